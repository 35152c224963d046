"""Scratch databases for the backup tests: an empty SQLite file, or an empty PostgreSQL database
with a unique name on the test server (created and dropped here; the test databases of other
runs are never touched)."""

import uuid

import psycopg
import pytest
from django.db import connection

from urna.ops.databases import default_settings


def _admin_connection(base: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        user=base.get("USER") or None,
        password=base.get("PASSWORD") or None,
        host=base.get("HOST") or None,
        port=base.get("PORT") or None,
        autocommit=True,
    )


@pytest.fixture
def scratch_database(tmp_path):
    """scratch_database() → the settings of a new, empty database of the test engine."""
    base = default_settings()
    created: list[str] = []

    def make() -> dict:
        if connection.vendor == "sqlite":
            path = tmp_path / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3"
            return {**base, "NAME": str(path)}
        name = f"urna_ops_scratch_{uuid.uuid4().hex[:12]}"
        with _admin_connection(base) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return {**base, "NAME": name}

    yield make
    if created:
        with _admin_connection(base) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
