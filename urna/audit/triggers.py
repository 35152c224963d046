"""SQL that makes the audit table append-only at the storage level (SQLite and PostgreSQL).

Used by migration 0002. Test teardown of transactional tests must empty every table, so the
test suite uninstalls the triggers just before that flush and installs them again after.
"""

from typing import Any

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
        """CREATE OR REPLACE TRIGGER audit_no_update_delete
           BEFORE UPDATE OR DELETE ON audit_auditentry
           FOR EACH ROW EXECUTE FUNCTION audit_append_only();""",
        """CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();""",
    ],
}
UNINSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_no_update_delete ON audit_auditentry;",
        "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry;",
    ],
}


def _run(statements: dict[str, list[str]], execute: Any, vendor: str) -> None:
    for statement in statements.get(vendor, []):
        execute(statement)


def install(execute: Any, vendor: str) -> None:
    _run(INSTALL, execute, vendor)


def uninstall(execute: Any, vendor: str) -> None:
    _run(UNINSTALL, execute, vendor)
