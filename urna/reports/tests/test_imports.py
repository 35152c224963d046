"""WeasyPrint is heavy to import: a process loads it only when it renders a PDF."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHECK = """
import sys
import django
django.setup()
import urna.reports.services, urna.reports.tasks, urna.reports.views
assert "weasyprint" not in sys.modules, "importing the reports app loaded WeasyPrint"
from urna.reports.pdf import PlatformFiles
from weasyprint.urls import URLFetcher
assert issubclass(PlatformFiles, URLFetcher)
print("ok")
"""


def test_the_reports_app_imports_weasyprint_only_to_render():
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "urna.settings"},
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
