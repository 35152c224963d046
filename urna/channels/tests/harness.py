"""A production-style server for the channel benchmarks and the SIGKILL fault test.

gunicorn (sync workers) + one ``jobs_worker`` on a temporary SQLite file, each in its own
process group so that a test can SIGKILL one whole group; a bounded, self-stopping load client
on 127.0.0.1 that signs Twilio webhooks and walks USSD sessions.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[3]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TOKEN = "harness-twilio-token"
AT_KEY = "harness-at-key"

SEED = """
from datetime import timedelta
from django.utils import timezone
from urna.territory.services import divipola_load
from urna.entities.services import entities_load_national
from urna.entities.models import Entity
from urna.exercises.models import Exercise
divipola_load(); entities_load_national()
owner = Entity.objects.get(acronym="MINAGRICULTURA")
now = timezone.now()
for n, code in enumerate(["AGRO", "AGUA", "EDU", "SALUD", "VIAS", "TIC"]):
    Exercise.objects.get_or_create(code=code, defaults=dict(
        title=f"Ejercicio de prueba {code} sobre politica rural", slug=code.lower(),
        summary="Resumen del ejercicio para la prueba de carga de los canales.",
        owner=owner, kind="policy", status="open",
        opens_at=now - timedelta(days=1, minutes=n), closes_at=now + timedelta(days=30)))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, folder: Path, *, web_workers: int = 2, extra_env: dict | None = None):
        self.folder = Path(folder)
        self.port = free_port()
        self.web_workers = web_workers
        self.db = self.folder / "urna.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "urna.settings",
            "SQLITE_PATH": str(self.db),
            "URNA_VAR_DIR": str(self.folder),
            "DEBUG": "false",
            "URNA_ENV": "development",
            "TWILIO_AUTH_TOKEN": TOKEN,
            "AFRICASTALKING_API_KEY": AT_KEY,
            "PUBLIC_BASE_URL": "",
            "MESSAGING_SMS_BACKEND": "file",
            "JOBS_POLL_SECONDS": "0.2",
            "JOBS_LEASE_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": "",
            "DATABASE_URL": "",
            **(extra_env or {}),
        }
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: int = 600) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return done.stdout

    def prepare(self) -> None:
        self.manage("migrate", "--noinput", "-v0")
        self.manage("shell", "-c", SEED)

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{Path(args[0]).name}-{time.time_ns()}.log").open("w")
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self) -> None:
        self.web = self._spawn(
            [
                GUNICORN,
                "urna.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.web_workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--backlog",
                "2048",
            ]
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("web server did not start")

    def start_worker(self) -> None:
        self.worker = self._spawn([PYTHON, "manage.py", "jobs_worker", "--poll", "0.2"])

    def kill(self, which: str) -> None:
        process = getattr(self, which)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        setattr(self, which, None)

    def stop(self) -> None:
        for which in ("web", "worker"):
            process = getattr(self, which)
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            setattr(self, which, None)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.db, timeout=30) as connection:
            return connection.execute(sql, params).fetchall()


def twilio_form(url: str, sid: str, phone: str, body: str, token: str = TOKEN) -> tuple[bytes, str]:
    from urna.channels.providers.twilio.signature import twilio_signature

    data = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": phone,
        "To": "+5715550100",
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    return urlencode(data).encode(), twilio_signature(url, list(data.items()), token)


def raw_post(port: int, path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 POST, built ahead of time so that the client spends its CPU on
    sending, not on building requests (gunicorn sync workers close every connection)."""
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def send(port: int, request: bytes, timeout: float = 10) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@dataclass
class Load:
    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _run(jobs: list, threads: int, step, stop: threading.Event | None) -> Load:
    load = Load()
    lock = threading.Lock()
    position = iter(range(len(jobs)))

    def worker() -> None:
        while not (stop and stop.is_set()):
            with lock:
                n = next(position, None)
            if n is None:
                return
            step(jobs[n], load)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return load


def _timed(port: int, request: bytes, load: Load) -> bytes | None:
    started = time.perf_counter()
    try:
        status, body = send(port, request)
    except (OSError, IndexError, ValueError):  # refused, reset, or cut off by a kill
        with load.lock:
            load.errors += 1
        return None
    with load.lock:
        load.latencies.append(time.perf_counter() - started)
        if status != 200:
            load.errors += 1
    return body if status == 200 else None


def sms_flood(
    server: Server,
    *,
    total: int,
    threads: int,
    stop: threading.Event | None = None,
    prefix: str = "SM",
    token: str = TOKEN,
) -> Load:
    """Send ``total`` signed Twilio webhooks from ``threads`` threads; record which got a 200.
    ``server`` needs only ``url`` and ``port`` (a running deployment on 127.0.0.1 will do, with
    its own ``token``)."""
    url = f"{server.url}/channels/sms/twilio/"
    jobs = []
    for n in range(total):
        sid = f"{prefix}{n:032d}"
        phone = f"+57310{n % 10_000_000:07d}"
        body, signature = twilio_form(
            url, sid, phone, f"AGRO Aporte numero {n} al ejercicio", token
        )
        request = raw_post(
            server.port, "/channels/sms/twilio/", body, {"X-Twilio-Signature": signature}
        )
        jobs.append((sid, request))

    def step(job, load: Load) -> None:
        sid, request = job
        if _timed(server.port, request, load) is not None:
            with load.lock:
                load.acknowledged.append(sid)

    return _run(jobs, threads, step, stop)


USSD_OPINION = "Necesitamos mas acueductos"
USSD_STEPS = ["", "1", "1*2", "1*2*2", f"1*2*2*{USSD_OPINION}", f"1*2*2*{USSD_OPINION}*1"]


def ussd_flood(
    server: Server, *, sessions: int, threads: int, at_key: str = AT_KEY, prefix: str = "ATUid"
) -> Load:
    """Walk ``sessions`` complete USSD sessions (6 steps each, the last one submits)."""
    from urna.channels.devcredentials import africastalking_callback_token

    path = f"/channels/ussd/?token={africastalking_callback_token(at_key)}"
    jobs = []
    for n in range(sessions):
        steps = []
        for text in USSD_STEPS:
            form = {
                "sessionId": f"{prefix}_{n}",
                "serviceCode": "*384#",
                "phoneNumber": f"+57311{n % 10_000_000:07d}",
                "networkCode": "73201",
                "text": text,
            }
            steps.append((text, raw_post(server.port, path, urlencode(form).encode())))
        jobs.append((n, steps))

    def step(job, load: Load) -> None:
        n, steps = job
        for text, request in steps:
            body = _timed(server.port, request, load)
            if body is None:
                return
            if body[:4] in {b"CON ", b"END "}:
                with load.lock:
                    load.acknowledged.append(f"{n}:{text}")

    return _run(jobs, threads, step, None)


def wait_processed(server: Server, *, timeout: float = 120) -> int:
    """Wait until no inbound row is left ``received``; returns how many are left."""
    deadline = time.time() + timeout
    left = -1
    while time.time() < deadline:
        left = server.query(
            "SELECT COUNT(*) FROM channels_inboundmessage WHERE status = 'received'"
        )[0][0]
        if left == 0:
            return 0
        time.sleep(0.5)
    return left


def check_exactly_once(server: Server, acknowledged: list[str]) -> dict[str, int]:
    """For every acknowledged message id: one raw row, processed, one contribution."""
    from urna.channels.intake import idempotency_key

    rows = dict(
        server.query(
            "SELECT provider_message_id, COUNT(*) FROM channels_inboundmessage "
            "WHERE provider = 'twilio' GROUP BY provider_message_id"
        )
    )
    processed = {
        sid
        for (sid,) in server.query(
            "SELECT provider_message_id FROM channels_inboundmessage "
            "WHERE provider = 'twilio' AND status = 'processed' AND result = 'contribution'"
        )
    }
    keys = dict(
        server.query(
            "SELECT idempotency_key, COUNT(*) FROM exercises_contribution "
            "WHERE idempotency_key LIKE 'ch:twilio:%' GROUP BY idempotency_key"
        )
    )
    report = {
        "acknowledged": len(acknowledged),
        "missing": 0,
        "duplicated": 0,
        "unprocessed": 0,
        "contribution_errors": 0,
    }
    for sid in acknowledged:
        count = rows.get(sid, 0)
        report["missing"] += count == 0
        report["duplicated"] += count > 1
        report["unprocessed"] += sid not in processed
        report["contribution_errors"] += keys.get(idempotency_key("twilio", sid), 0) != 1
    report["stored"] = sum(rows.values())
    report["contributions"] = sum(keys.values())
    return report


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


if __name__ == "__main__":  # pragma: no cover - manual smoke run
    sys.exit("use bench/channels.py")
