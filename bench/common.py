"""Helpers shared by the benchmark and audit scripts under bench/ (run as ``python bench/x.py``,
so this directory is on ``sys.path``)."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# Headless Chromium's flags for the browser checks (e2e/, bench/a11y.py): without the last ones its
# own connections (updates, sync, QUIC probes) fail on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def machine() -> str:
    """The machine a figure was measured on, for the docs: OS, CPU model, cores, Python."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    """Run a command in the repository, failing loudly."""
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kwargs)


@contextmanager
def fresh_site(
    prefix: str, *, database: Path | None = None, **settings: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """A throwaway embedded-default site (SQLite and media in a temporary folder, migrated, static
    files collected, DEBUG off, no DATABASE_URL/REDIS_URL): yields the venv's python and the
    environment to run the bench's child processes with. ``database``: a migrated SQLite file to
    start from (a copy), instead of migrating. ``settings`` are extra variables."""
    python = str(ROOT / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        env = {
            **os.environ,
            "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
            "URNA_VAR_DIR": tmp,
            "MEDIA_ROOT": str(Path(tmp) / "media"),
            "DEBUG": "false",
            **settings,
            "DJANGO_SETTINGS_MODULE": "urna.settings",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if database is None:
            migrate = [python, "manage.py", "migrate", "-v0"]
            subprocess.run(migrate, cwd=ROOT, env=env, check=True)
        else:
            shutil.copyfile(database, env["SQLITE_PATH"])
        collect = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
        yield python, env


def wait_up(base: str, server: subprocess.Popen | None = None) -> None:
    """Wait until the server at ``base`` answers its ping (about 30 s at most, less when the
    server process we started has died)."""
    for _ in range(150):
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server at {base} exited with {server.returncode}")
        try:
            urllib.request.urlopen(base + "/api/v1/ping", timeout=2)  # noqa: S310 - local URL
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"the server at {base} did not answer")


def _demo_cached(env: dict[str, str]) -> Path | None:
    """The demo database URNA_DEMO_CACHE holds, if one was saved there."""
    cache = env.get("URNA_DEMO_CACHE")
    database = Path(cache) / "demo.sqlite3" if cache else None
    return database if database and database.exists() else None


def _seed_demo(python: str, env: dict[str, str], *, cached: bool) -> None:
    """Load the demo data into the fresh site of ``env``. With URNA_DEMO_CACHE (a folder, e.g. one
    CI run's temporary folder, where the browser tests and the accessibility audit both need the
    demo), the first site seeded saves its database and media there and later ones start from
    them (``demo_server`` hands the database to ``fresh_site``, which then skips migrating) instead
    of seeding again. The demo's dates follow today's: keep a cache for one run only."""
    cache = Path(env["URNA_DEMO_CACHE"]) if env.get("URNA_DEMO_CACHE") else None
    database, media = Path(env["SQLITE_PATH"]), Path(env["MEDIA_ROOT"])
    if cache and cached:
        if (cache / "media").is_dir():
            shutil.copytree(cache / "media", media, dirs_exist_ok=True)
        return
    run([python, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        if media.is_dir():
            shutil.copytree(media, cache / "media", dirs_exist_ok=True)
        partial = cache / "demo.sqlite3.partial"
        source, copy = sqlite3.connect(database), sqlite3.connect(partial)
        try:
            source.backup(copy)  # a consistent copy, whatever the WAL still holds
        finally:
            source.close()
            copy.close()
        partial.rename(cache / "demo.sqlite3")


@contextmanager
def demo_server(
    prefix: str, *, workers: int = 2, log: Path | None = None, **settings: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh_site seeded with the demo data (`seed_demo`) and served by gunicorn (sync workers,
    DEBUG off) on a free 127.0.0.1 port: yields the base URL and the environment of the site (for
    `manage.py` commands against its database). The server's output goes to ``log`` when given.
    Used by the accessibility audit (bench/a11y.py) and the browser tests (e2e/)."""
    cached = _demo_cached({**os.environ, **settings})
    with fresh_site(prefix, database=cached, **settings) as (python, env):
        _seed_demo(python, env, cached=cached is not None)
        base = f"http://127.0.0.1:{free_port()}"
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        output = open(log, "w") if log else None  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [gunicorn, "urna.wsgi:application", "-w", str(workers), "--worker-class", "sync",
             "--bind", base.removeprefix("http://"), "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=output, stderr=output,
        )  # fmt: skip
        try:
            wait_up(base, server)
            yield base, env
        finally:
            server.terminate()
            server.wait(timeout=30)
            if output:
                output.close()


def write_section(heading: str, text: str) -> None:
    """Put ``text`` (which starts with ``heading``) in docs/benchmarks.md in place of the section
    under that heading, or at the end when there is none yet."""
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = current.find(heading + "\n")
    if start == -1:
        updated = current.rstrip() + "\n\n" + text
    else:
        end = current.find("\n## ", start + len(heading))
        updated = current[:start] + text.rstrip() + "\n" + (current[end:] if end != -1 else "")
    path.write_text(updated.rstrip() + "\n", encoding="utf-8")
