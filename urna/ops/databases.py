"""The databases a backup reads and a restore writes, opened from a Django ``DATABASES`` entry.

A restore writes into a database that may not be the one the process serves (a scratch database,
a new server), so these helpers open a connection of their own from a settings dictionary
instead of using ``django.db.connections``. Reads that must agree with each other (the table
fingerprints of a backup and the dump itself) run in one snapshot.
"""

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS, BaseDatabaseWrapper
from django.db.utils import load_backend

# Rows that ``manage.py migrate`` writes into a new database: a database holding only these is
# empty, and a restore may write into it without --force.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
_FETCH = 2000


def default_settings(alias: str = "default") -> dict[str, Any]:
    """A copy of the ``DATABASES`` entry of ``alias``, with Django's defaults filled in."""
    return dict(connections[alias].settings_dict)


def sqlite_file_settings(settings_dict: dict[str, Any], path: Path) -> dict[str, Any]:
    """Settings that open the SQLite file ``path`` as it is: no WAL switch, no pragmas."""
    return {**settings_dict, "NAME": str(path), "OPTIONS": {}}


@contextmanager
def open_database(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own to the database ``settings_dict`` describes, closed after."""
    # NO_DB_ALIAS: a connection outside django.db.connections (the alias Django gives its own
    # maintenance connections), which contrib.postgres does not look up to register hstore.
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        dict(settings_dict), alias=NO_DB_ALIAS
    )
    try:
        wrapper.ensure_connection()
        yield wrapper
    finally:
        if wrapper.vendor == "sqlite" and wrapper.connection is not None:
            # Django never closes an in-memory database (closing would drop it); this
            # connection is only ours, the database lives on in the others.
            wrapper.connection.close()
            wrapper.connection = None
        wrapper.close()


@contextmanager
def snapshot(wrapper: BaseDatabaseWrapper) -> Iterator[None]:
    """One read-only view of the whole database for the reads inside: a REPEATABLE READ
    transaction on PostgreSQL (whose snapshot pg_dump can share), a read transaction on SQLite
    (WAL readers see the database as it was when they began)."""
    raw = wrapper.connection
    if wrapper.vendor == "postgresql":
        raw.autocommit = False
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        try:
            yield
        finally:
            raw.rollback()
            raw.read_only = None
            raw.isolation_level = None
            raw.autocommit = True
        return
    raw.execute("BEGIN")
    try:
        yield
    finally:
        raw.execute("COMMIT")


def table_names(wrapper: BaseDatabaseWrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        names = wrapper.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith("sqlite_"))


def _ordering(wrapper: BaseDatabaseWrapper, table: str) -> str:
    quote = wrapper.ops.quote_name
    with wrapper.cursor() as cursor:
        columns = wrapper.introspection.get_primary_key_columns(cursor, table)
        if not columns:
            columns = [
                column.name for column in wrapper.introspection.get_table_description(cursor, table)
            ]
    return ", ".join(quote(column) for column in columns)


def _rows(wrapper: BaseDatabaseWrapper, table: str) -> Iterator[tuple]:
    """Every row of ``table`` in primary-key order, streamed (a server-side cursor on
    PostgreSQL, which needs the transaction of ``snapshot``; on SQLite a connection of its own,
    so the file must have no writer meanwhile: a backup's copy, a restore's source)."""
    quote = wrapper.ops.quote_name
    sql = f"SELECT * FROM {quote(table)} ORDER BY {_ordering(wrapper, table)}"  # noqa: S608
    if wrapper.vendor == "postgresql":
        cursor = wrapper.connection.cursor(name="urna_ops_rows")
        cursor.itersize = _FETCH
        closing = cursor
    else:
        # Values as SQLite stores them: Django's converters (dates parsed in Python) would
        # double the time of a backup, and a fingerprint needs no types.
        params = wrapper.get_connection_params()
        params.pop("detect_types", None)
        closing = sqlite3.connect(**params)
        cursor = closing.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_FETCH):
            yield from batch
    finally:
        closing.close()


def fingerprints(wrapper: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of every table: each row's values, in primary-key order. Two
    databases of one engine holding the same rows give the same fingerprints."""
    result = {}
    for table in table_names(wrapper):
        digest, count = hashlib.sha256(), 0
        for row in _rows(wrapper, table):
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
            count += 1
        result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def applied_migrations(wrapper: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations recorded as applied, by app ({} before any ``migrate``)."""
    if "django_migrations" not in table_names(wrapper):
        return {}
    applied: dict[str, list[str]] = {}
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def populated_tables(wrapper: BaseDatabaseWrapper) -> list[str]:
    """The tables holding a row, other than what ``migrate`` alone writes."""
    quote = wrapper.ops.quote_name
    found = []
    with wrapper.cursor() as cursor:
        for table in table_names(wrapper):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def sqlite_copy(wrapper: BaseDatabaseWrapper, destination: Path) -> None:
    """SQLite's online backup of the open database into the file ``destination``: all pages in
    one step, so one read transaction sees one state while other connections keep writing."""
    target = sqlite3.connect(destination)
    try:
        wrapper.connection.backup(target)
    finally:
        target.close()


def sqlite_load(source: Path, wrapper: BaseDatabaseWrapper) -> None:
    """Replace every page of the open database with those of the SQLite file ``source``."""
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(wrapper.connection)
    finally:
        origin.close()


def sqlite_check(path: Path) -> str:
    """SQLite's own quick check of the file: "ok" or what it found."""
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return database.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        database.close()
