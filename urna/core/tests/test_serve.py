"""bin/serve: gunicorn's configuration (workers never restart together, each is warm before it
accepts a connection) and the supervision of its children (a dead one is restarted, the web keeps
serving, TERM stops everything)."""

import re
import shlex
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVE = ROOT / "bin" / "serve"


def gunicorn_argv() -> list[str]:
    """The arguments bin/serve gives gunicorn, with its environment defaults filled in."""
    lines = SERVE.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.lstrip().startswith('"$BIN/gunicorn"'))
    command = ""
    for line in lines[start:]:
        command += " " + line.strip().removesuffix("\\")
        if not line.rstrip().endswith("\\"):
            break
    values = {"HOST": "127.0.0.1", "PORT": "8000", "WEB_CONCURRENCY": "3", "BIN": ".venv/bin"}
    command = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: values.get(m[1], m[2]), command)
    command = re.sub(r"\$(\w+)", lambda m: values[m[1]], command)
    return [word for word in shlex.split(command) if word[0] not in "&<>"][1:]


@pytest.fixture
def gunicorn_config(monkeypatch):
    """gunicorn's own reading of that command line (config module, then the options)."""
    from gunicorn.app.wsgiapp import WSGIApplication

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    monkeypatch.setattr(sys, "argv", ["gunicorn", *gunicorn_argv()])
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def test_gunicorn_workers_never_restart_at_the_same_time(gunicorn_config):
    # Under even load, workers recycled after N ± a small jitter requests all restart within
    # seconds of each other, and nobody accepts connections while they start.
    assert gunicorn_config.worker_class_str == "sync"
    assert gunicorn_config.workers == 3
    assert (
        gunicorn_config.max_requests == 0
        or gunicorn_config.max_requests_jitter >= gunicorn_config.max_requests
    )


def test_a_new_worker_is_warm_before_it_accepts_a_connection(gunicorn_config, monkeypatch):
    """gunicorn calls post_worker_init in each new worker after it loaded the application and
    before its first accept(): the hook leaves the worker with its URL tables and templates
    built and its database connection open, so a replaced worker's first callers do not wait."""
    from django.db import connection
    from django.urls import clear_url_caches, get_resolver

    import urna.wsgi

    # Given a worker process that has not warmed up (as if the import had not done it)
    monkeypatch.setitem(urna.wsgi.warm_state, "done", False)
    clear_url_caches()
    opened = []
    monkeypatch.setattr(connection, "ensure_connection", lambda: opened.append(True))

    # When gunicorn runs the hook
    gunicorn_config.post_worker_init(None)

    # Then the worker is warm: reverse tables built, database connection opened
    assert urna.wsgi.warm_state["done"] is True
    assert get_resolver()._populated
    assert opened == [True]


def _children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _session(sid: int) -> list[int]:
    """Every live process of the session ``sid`` (bin/serve and all it started)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


@pytest.mark.slow
def test_serve_restarts_a_dead_child_keeps_serving_and_stops_on_term(tmp_path):
    import os
    import signal
    import subprocess
    import time

    import httpx

    from urna.channels.tests.harness import free_port

    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "JOB_WORKERS": "1",
        "SQLITE_PATH": str(tmp_path / "urna.sqlite3"),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "DEBUG": "false",
        "ACCESS_LOG": str(tmp_path / "access.log"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    ping = f"http://127.0.0.1:{port}/api/v1/ping"

    def answers() -> bool:
        try:
            return httpx.get(ping, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_for(predicate, seconds: float):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.2)
        return None

    def child(word: str) -> int | None:
        pids = [pid for pid, cmd in _children(serve.pid).items() if word in cmd]
        return pids[0] if len(pids) == 1 else None

    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [str(SERVE)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # Given bin/serve with gunicorn and one job worker, answering
        assert wait_for(answers, 60), (tmp_path / "serve.log").read_text()
        worker = wait_for(lambda: child("jobs_worker"), 10)
        assert worker

        # When the job worker is killed with SIGKILL
        os.kill(worker, signal.SIGKILL)

        # Then the web keeps answering, and a new job worker is started
        assert all(answers() for _ in range(10))
        replacement = wait_for(lambda: (child("jobs_worker") or worker) != worker, 30)
        assert replacement, (tmp_path / "serve.log").read_text()
        assert serve.poll() is None

        # When gunicorn's master is killed with SIGKILL, it is started again too
        master = child("gunicorn")
        assert master
        os.kill(master, signal.SIGKILL)
        assert wait_for(lambda: (child("gunicorn") or master) != master and answers(), 60), (
            _children(serve.pid),
            answers(),
            (tmp_path / "serve.log").read_text(),
        )

        # When bin/serve gets TERM, it stops every process it started, and exits cleanly
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0
        assert wait_for(lambda: _session(serve.pid) == [], 10), _session(serve.pid)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for pid in _session(serve.pid):
            os.kill(pid, signal.SIGKILL)
        log.close()
