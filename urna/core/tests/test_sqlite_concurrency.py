"""Concurrent read-then-write transactions on the embedded SQLite database wait, never fail.

Real processes on a file database, each with the project's own database settings: in WAL mode a
transaction that began by reading cannot become a writer once another connection has written,
and SQLite then answers "database is locked" at once, whatever the busy timeout.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]

# Each process reads a counter, then writes a row, in one transaction (like a service that looks
# a contact up, then files a query), as fast as it can; it prints how many transactions failed.
WRITER = """
import os, sys, time
import django
django.setup()
from django.db import OperationalError, connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS tally (id INTEGER PRIMARY KEY, seen INTEGER)")
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.005)
failed = 0
for _ in range(int(sys.argv[2])):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM tally")
            seen = cursor.fetchone()[0]
            cursor.execute("INSERT INTO tally (seen) VALUES (%s)", [seen])
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        failed += 1
print(failed)
"""


def test_concurrent_read_then_write_transactions_wait_instead_of_failing(tmp_path):
    # Given four processes with the project's SQLite settings on one database file
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "SQLITE_PATH": str(tmp_path / "urna.sqlite3"),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    transactions = 150
    start = time.time() + 4  # every process is set up before any of them writes
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(start), str(transactions)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    # When each runs its read-then-write transactions at the same time as the others
    outputs = [process.communicate(timeout=120) for process in processes]

    # Then every transaction committed: none failed with "database is locked"
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    assert [int(stdout) for stdout, _stderr in outputs] == [0, 0, 0, 0]
    with sqlite3.connect(tmp_path / "urna.sqlite3") as connection:
        rows, distinct = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT seen) FROM tally"
        ).fetchone()
    # ...and they ran one after another: each saw every row committed before it
    assert rows == distinct == 4 * transactions
