"""A backup taken while another connection keeps writing is one consistent state: each of the
writer's transactions adds a row to two tables, and the backup holds as many rows in one as in
the other, rows the writer committed during the backup included."""

import threading
import time

import pytest

from urna.ops import databases
from urna.ops.backup import backup_create, backup_restore

# Only scratch databases are read and written: the test database's transaction stays out of it.
pytestmark = pytest.mark.django_db

FILLER_ROWS = 60_000


def _run(settings_dict, statements):
    with databases.open_database(settings_dict) as wrapper, wrapper.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _count(settings_dict, table):
    with databases.open_database(settings_dict) as wrapper, wrapper.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


class Writer(threading.Thread):
    """Commits transactions of two INSERTs (a ledger line and its mirror) until stopped."""

    def __init__(self, settings_dict):
        super().__init__(daemon=True)
        self.settings_dict, self.stop, self.committed = settings_dict, threading.Event(), 0
        self.error = None

    def run(self):
        try:
            with databases.open_database(self.settings_dict) as wrapper:
                while not self.stop.is_set():
                    with wrapper.cursor() as cursor:
                        cursor.execute("BEGIN")
                        for table in ("ledger", "mirror"):
                            cursor.execute(
                                f"INSERT INTO {table} (id, amount) VALUES (%s, %s)",
                                [self.committed + 1, self.committed],
                            )
                        cursor.execute("COMMIT")
                    self.committed += 1
                    time.sleep(0.001)
        except Exception as exc:
            self.error = exc

    def wait_for(self, n):
        deadline = time.monotonic() + 30
        while self.committed < n and self.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None and self.committed >= n, self.error


def test_a_backup_while_another_connection_writes_is_consistent(scratch_database, tmp_path):
    source = scratch_database()
    _run(
        source,
        [
            ("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)", []),
            ("CREATE TABLE mirror (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)", []),
            ("CREATE TABLE filler (id INTEGER PRIMARY KEY, text VARCHAR(200) NOT NULL)", []),
            (
                "INSERT INTO filler (id, text) SELECT n, 'fila de relleno número ' || n "
                "FROM (WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                f"WHERE n < {FILLER_ROWS}) SELECT n FROM s) AS numbers",
                [],
            ),
        ],
    )
    writer = Writer(source)
    writer.start()
    writer.wait_for(20)
    try:
        before = writer.committed
        manifest = backup_create(
            destination=tmp_path / "b.tar", settings_dict=source, media_root=tmp_path / "none"
        )
        during = writer.committed - before
    finally:
        writer.stop.set()
        writer.join(10)
    assert writer.error is None, writer.error
    assert during > 0, "the writer committed nothing while the backup ran"

    ledger, mirror = manifest["tables"]["ledger"], manifest["tables"]["mirror"]
    assert ledger["rows"] == mirror["rows"] >= before
    assert ledger["sha256"] == mirror["sha256"]  # same ids and amounts, row for row
    assert manifest["tables"]["filler"]["rows"] == FILLER_ROWS

    target = scratch_database()
    backup_restore(
        archive_path=tmp_path / "b.tar", settings_dict=target, media_root=tmp_path / "m"
    )  # checks every table against the manifest
    assert _count(target, "ledger") == _count(target, "mirror") == ledger["rows"]
