"""Importing the registry's accounts and figures from CSV or XLSX files (see ``run``)."""

from urna.socialaccounts.imports.run import imports_visible, rejection_rows, social_import_run

__all__ = ["imports_visible", "rejection_rows", "social_import_run"]
