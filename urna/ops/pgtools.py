"""PostgreSQL's client tools (pg_dump, pg_restore), found and given the connection settings.

pg_dump refuses a server newer than itself, so the newest installed version wins: the Debian
packages put each version under /usr/lib/postgresql/<version>/bin, and only one of them is on
PATH. ``PG_BINDIR`` names another folder. The password goes in the environment, never on the
command line (where ``ps`` shows it).
"""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from urna.ops.errors import BackupError

_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def _version(folder: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in folder.parent.name.split("."))
    except ValueError:
        return (0,)


def tool(name: str) -> str:
    """The path of the PostgreSQL client program ``name``."""
    if folder := os.environ.get("PG_BINDIR"):
        return str(Path(folder) / name)
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version)
    if installed:
        return str(installed[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"No se encontró {name}: instale el cliente de PostgreSQL "
            "(apt-get install postgresql-client) o indique su carpeta en PG_BINDIR."
        )
    return found


def environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the database of ``settings_dict``."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values |= {variable: options.get(key) for key, variable in _LIBPQ_OPTIONS.items()}
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run(arguments: list[str], settings_dict: dict[str, Any]) -> None:
    """Run a client program against the database; its error output becomes the error."""
    done = subprocess.run(
        arguments, env=environment(settings_dict), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{Path(arguments[0]).name} falló: " + " / ".join(detail))
