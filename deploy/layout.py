"""What deploy/check_cross_host.py and deploy/killtest.py share: the two-host layout's state
(``var/twohost/state.env``, written by ``deploy/twohost``), its processes, and Django set up on
the layout's own database and Redis (``deploy/twohost env``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TWOHOST = str(ROOT / "deploy" / "twohost")
STATE = ROOT / "var" / "twohost" / "state.env"
PROCESSES = ("web-a", "web-b", "worker-a", "worker-b")


def state() -> dict[str, str]:
    """The layout's state file as a dict; exits when the layout was never brought up."""
    if not STATE.exists():
        raise SystemExit(f"no two-host layout: run `deploy/twohost up` first ({STATE} missing)")
    pairs = (line.split("=", 1) for line in STATE.read_text().splitlines() if "=" in line)
    return dict(pairs)


def pid_key(process: str) -> str:
    return "PID_" + process.replace("-", "_")


def hosts(current: dict[str, str]) -> dict[str, str]:
    """Each host's own address, past nginx: {"a": "http://10.77.0.11:8000", …}."""
    return {name: f"http://{current[f'HOST_{name}']}" for name in ("a", "b")}


def twohost(*args: str) -> None:
    subprocess.run([TWOHOST, *args], check=True, cwd=ROOT)


def django_on_layout() -> None:
    """Point this process's Django at the layout's PostgreSQL and Redis (as `twohost env`)."""
    exported = subprocess.run(
        [TWOHOST, "env"], check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    for line in exported.splitlines():
        key, value = line.removeprefix("export ").split("=", 1)
        os.environ[key] = value
    setup_django()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    import django

    django.setup()


def answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/v1/ping", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition, seconds: float, step: float = 0.3) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False
