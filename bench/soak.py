"""Soak: mixed traffic at a fixed rate for a long time; memory, p99, 5xx and the job queue flat.

Open-loop (requests go out at ``--rate`` per second whatever the answers take, as citizens do)
for ``--minutes``, across every inbound channel and the staff workflows:

- citizens: API contributions, citizen queries with a contact, signed Twilio SMS and signed Meta
  WhatsApp webhooks (bench/mixed.py's ``citizen_request``), contributions through the web form
  (with its CSRF token) and USSD sessions (Africa's Talking callbacks, a step a request, the last
  step submitting). Email has no inbound webhook (``manage.py channels_fetch_mail`` reads a
  mailbox), so no email traffic;
- staff: response managers working the inbox through the staff API with bearer tokens (list,
  answer, extend the term, transfer to an outside authority) and a moderator hiding and showing
  contributions on the moderation page (session and CSRF token, as a browser does).

Every ``--interval`` (60 s) it prints that interval's p50/p99 latency, 5xx (and cut-off)
count, the resident memory of every process of the deployment (the given PIDs and all their
descendants: gunicorn masters and workers, job workers; ``/proc/<pid>/status`` VmRSS) and the
job queue's lag (the largest ``urna_jobs_oldest_due_age_seconds`` of ``/metrics``; the
database's oldest due job when ``/metrics`` refuses, as it does through a proxy). Memory and
lag are sampled every 10 s.

The verdict, with the run cut in sixths (30 min: warm-up 0–5, baseline 5–10, final 25–30):

- memory flat: every process's mean RSS over the final sixth within 10 % of its mean over the
  baseline sixth (the warm-up is left out: imports, caches and connection pools fill it);
- p99 flat: the final sixth's p99 at most 1.5 × the baseline's (p99 over a few thousand requests
  on a shared 2-core host moves by a third from minute to minute; 1.5 × still catches growth);
- zero responses 5xx or cut off;
- the queue's lag under 60 s at every sample.

Exits 1 when a criterion fails. Layouts:

    .venv/bin/python bench/soak.py                      # embedded default: bin/serve, SQLite
    .venv/bin/python bench/soak.py --quick              # 2 min (20 s intervals), docs untouched
    .venv/bin/python bench/soak.py --twohost            # the layout of deploy/twohost
    .venv/bin/python bench/soak.py --target URL --pids 123,456 --database-url postgres://…

The embedded default starts ``bin/serve`` (3 gunicorn sync workers, one job worker) on a
scratch SQLite file, as bench/mixed.py does. ``--target`` starts nothing: it seeds the exercise,
the managers' tokens and the moderator's session through the target's ``--database-url`` and
signs webhooks with ``$TWILIO_AUTH_TOKEN``, ``$META_APP_SECRET``, ``$AFRICASTALKING_API_KEY``
(else the development values); ``$METRICS_TOKEN`` when the target's ``/metrics`` asks for it;
the target's ``$SECRET_KEY`` (the moderator's session is signed with it).
``--twohost`` reads the same from deploy/twohost's state (``var/twohost/``, see
``twohost_state``). The default rate is half the peak bench/mixed.py measured (docs/benchmarks.md,
"Mixed load"): its SQLite row for the embedded default, its PostgreSQL row for a target.

A run (not ``--quick``) writes its layout's subsection of "## Soak (bench/soak.py)" in
docs/benchmarks.md, leaving the other layout's subsection as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from common import ROOT, machine, write_section
from mixed import (
    PYTHON,
    Credentials,
    Request,
    citizen_request,
    percentile,
    seed_info,
    serve_env,
    served,
    target_credentials,
    target_env,
)

from urna.channels.devcredentials import DEV_VALUES, africastalking_callback_token
from urna.channels.tests.harness import SEED as CHANNEL_EXERCISES
from urna.channels.tests.harness import USSD_STEPS

SECTION = "## Soak (bench/soak.py)"
MIXED_SECTION = "## Mixed load (bench/mixed.py)"
FALLBACK_PEAK = {"sqlite": 24.0, "postgresql": 16.0}  # req/s, bench/mixed.py on 2026-12-03
SAMPLE_SECONDS = 10
MEMORY_GROWTH = 0.10
P99_RATIO = 1.5
LAG_LIMIT_S = 60
AT_KEY = "bench-africastalking-key"
# Share of the requests (the rest of the mixed builder's own mix is in mixed.WEIGHTS).
MIX = {"mixed": 70, "web": 8, "ussd": 10, "manager": 8, "moderator": 4}
MANAGER_ACTIONS = {"inbox": 2, "answer": 4, "extend": 1, "transfer": 1}

STAFF_SEED = r"""
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from urna.accounts.models import User
from urna.accounts.services import staff_create
from urna.exercises.models import Exercise
owner = Exercise.objects.get(code="AGRO").owner
user = User.objects.filter(username="moderador.soak").first() or staff_create(
    username="moderador.soak", password="bench-password-123456", entity=owner, role="moderator")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key}))
"""

# The queue's lag from the database, for a target whose /metrics refuses this client (through a
# proxy it is not loopback): one long-lived process answering a line with a line.
LAG = r"""
import sys, django
django.setup()
from django.db import connection
from django.utils import timezone
from urna.jobs.models import Job
for _ in sys.stdin:
    now = timezone.now()
    due = Job.objects.filter(status=Job.Status.QUEUED, run_at__lte=now)
    first = due.order_by("run_at").values_list("run_at", flat=True).first()
    print((now - first).total_seconds() if first else 0.0, flush=True)
    connection.close()
"""


# --- what to drive ----------------------------------------------------------------------------


@dataclass
class Target:
    """A deployment to drive: its base URL, the PIDs whose process trees to watch, and the
    environment that reaches its database."""

    layout: str
    base: str
    pids: list[int]
    env: dict[str, str]
    credentials: Credentials
    at_key: str
    metrics_token: str = ""


def twohost_state() -> dict:
    """deploy/twohost's state: ``var/twohost/state.json`` (``base_url``; ``database_url`` or
    ``env.DATABASE_URL``; every integer under a key naming a pid), with ``deploy/twohost env``'s
    ``KEY=value`` lines for the environment when the script is there."""
    folder = ROOT / "var" / "twohost"
    path = folder / "state.json"
    if not path.exists():
        sys.exit(f"{path} does not exist: run deploy/twohost up, or use --target and --pids")
    state = json.loads(path.read_text())
    env = dict(state.get("env") or {})
    script = ROOT / "deploy" / "twohost"
    if script.exists():
        done = subprocess.run([str(script), "env"], cwd=ROOT, capture_output=True, text=True)
        for line in done.stdout.splitlines():
            key, sep, value = line.removeprefix("export ").partition("=")
            if sep and key.strip().isidentifier():
                env[key.strip()] = value.strip().strip("'\"")
    pids: list[int] = []

    def collect(node: object, under_pid: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                collect(value, under_pid or "pid" in str(key).lower())
        elif isinstance(node, list):
            for value in node:
                collect(value, under_pid)
        elif under_pid and isinstance(node, int) and not isinstance(node, bool):
            pids.append(node)

    collect(state, False)
    base = state.get("base_url") or state.get("url") or env.get("PUBLIC_BASE_URL", "")
    database_url = state.get("database_url") or env.get("DATABASE_URL", "")
    if not base or not database_url:
        sys.exit(f"{path}: no base_url or database_url")
    return {"base": base, "pids": pids, "database_url": database_url, "env": env}


def target_of(layout: str, base: str, pids: list[int], database_url: str, env: dict) -> Target:
    for name in ("TWILIO_AUTH_TOKEN", "META_APP_SECRET", "AFRICASTALKING_API_KEY", "METRICS_TOKEN"):
        if env.get(name):
            os.environ.setdefault(name, env[name])
    return Target(
        layout=layout,
        base=base.rstrip("/"),
        pids=pids,
        env=target_env(database_url, env),
        credentials=target_credentials(),
        at_key=os.environ.get("AFRICASTALKING_API_KEY") or DEV_VALUES["AFRICASTALKING_API_KEY"],
        metrics_token=os.environ.get("METRICS_TOKEN", ""),
    )


def seed_target(env: dict[str, str]) -> dict:
    """The exercises, two managers' tokens and a moderator's session, in the database of
    ``env`` (migrated first, as bench/mixed.py's seed does)."""
    seeded = seed_info(env)
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", CHANNEL_EXERCISES],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [PYTHON, "-c", STAFF_SEED], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return {**seeded, **json.loads(done.stdout.decode().strip().splitlines()[-1])}


def default_rate(database: str) -> float:
    """Half the peak of bench/mixed.py's section (its closed-loop clients keep the server
    saturated, so requests ÷ seconds there is the peak), for ``database``."""
    docs = ROOT / "docs" / "benchmarks.md"
    text = docs.read_text(encoding="utf-8") if docs.exists() else ""
    start = text.find(MIXED_SECTION + "\n")
    requests, seconds = 0, 0.0
    if start != -1:
        end = text.find("\n## ", start + 1)
        for line in text[start : end if end != -1 else None].splitlines():
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if len(cells) == 8 and cells[0] == database and cells[4].replace(",", "").isdigit():
                requests += int(cells[4].replace(",", ""))
                seconds = float(cells[2])
    peak = requests / seconds if seconds else FALLBACK_PEAK[database]
    return round(peak / 2, 1)


# --- the traffic ------------------------------------------------------------------------------


@dataclass
class Record:
    at: float  # monotonic, when the answer came
    kind: str
    code: int | str
    seconds: float


@dataclass
class Log:
    """Every answer, shared by the sending threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    records: list[Record] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    late: int = 0  # requests that left more than a second after their scheduled time

    def add(self, kind: str, code: int | str, seconds: float, body: bytes = b"") -> None:
        with self.lock:
            self.records.append(Record(time.monotonic(), kind, code, seconds))
            if (not isinstance(code, int) or code >= 500) and len(self.samples) < 10:
                self.samples.append(f"{kind} {code}: {body[:300]!r}")


class Traffic:
    """Builds and sends the soak's requests; holds what the staff workflows carry between
    requests (open query ids, visible contribution ids, USSD sessions half walked)."""

    def __init__(self, target: Target, seeded: dict, log: Log, run_seed: int) -> None:
        from django.urls import reverse

        self.target, self.log, self.seed = target, log, run_seed
        self.tokens: list[str] = seeded["tokens"]
        self.session: str = seeded["session"]
        self.lock = threading.Lock()
        self.n = 0
        self.rng = random.Random(run_seed)
        self.queries: list[dict] = []
        self.contributions: list[int] = []
        self.ussd_sessions: list[tuple[int, int]] = []  # (session number, next step)
        self.slug: str = seeded["slug"]  # AGRO's: the demo data gives it its own
        self.participate = reverse("exercises:participate", args=[self.slug])
        self.moderation = reverse("exercises:staff_moderation", args=[self.slug])
        self.ussd_path = f"/channels/ussd/?token={africastalking_callback_token(target.at_key)}"
        self.sender = threading.local()  # the sending thread's own source address

    def transport(self) -> httpx.HTTPTransport | None:
        """Through a proxy on this machine (deploy/twohost's nginx) every request would come from
        one address and the per-network rate limits would stand in for the load: each sending
        thread connects from its own loopback address (127.77.x.y), which the proxy passes on."""
        address = getattr(self.sender, "address", None)
        return httpx.HTTPTransport(local_address=address) if address else None

    def next_number(self) -> int:
        with self.lock:
            self.n += 1
            return self.n

    def timed(self, client: httpx.Client, request: Request) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = client.request(request.method, request.url, **request.kwargs)
        except httpx.HTTPError as exc:
            self.log.add(request.kind, type(exc).__name__, time.perf_counter() - started)
            return None
        self.log.add(
            request.kind, response.status_code, time.perf_counter() - started, response.content
        )
        return response

    def one(self, client: httpx.Client, rng: random.Random) -> None:
        """One scheduled request (two for a web contribution: its form, then its POST)."""
        kind = rng.choices(list(MIX), list(MIX.values()))[0]
        try:
            getattr(self, kind)(client, rng)
        except (ValueError, KeyError, TypeError) as exc:  # an answer not shaped as expected
            self.log.add(f"{kind} (client)", type(exc).__name__, 0.0, str(exc).encode())

    def mixed(self, client: httpx.Client, rng: random.Random) -> None:
        n = self.next_number()
        request = citizen_request(
            self.target.base, rng, self.seed, n, self.target.credentials, self.slug
        )
        self.timed(client, request)

    def web(self, client: httpx.Client, rng: random.Random) -> None:
        n = self.next_number()
        url = self.target.base + self.participate
        proxy = {"X-Forwarded-For": f"10.{self.seed}.{200 + n // 250 % 50}.{n % 250 + 1}"}
        # A citizen's own cookies.
        with httpx.Client(timeout=60, headers=proxy, transport=self.transport()) as browser:
            form = self.timed(browser, Request("web form", "GET", url))
            token = browser.cookies.get("csrftoken")
            if form is None or form.status_code != 200 or not token:
                return
            data = {
                "csrfmiddlewaretoken": token,
                "kind": "opinion",
                "text": f"Desde la página web propongo escuelas rurales, aporte {self.seed}-{n}",
                "sitio_web": "",
            }
            headers = {"Referer": url, "Origin": self.target.base}
            self.timed(
                browser,
                Request("web contribution", "POST", url, {"data": data, "headers": headers}),
            )

    def ussd(self, client: httpx.Client, rng: random.Random) -> None:
        with self.lock:
            if self.ussd_sessions and rng.random() < 0.8:
                number, step = self.ussd_sessions.pop(rng.randrange(len(self.ussd_sessions)))
            else:
                number, step = self.next_number_locked(), 0
        form = {
            "sessionId": f"ATUid_soak{self.seed}_{number}",
            "serviceCode": "*384#",
            "phoneNumber": f"+57311{self.seed:02d}{number:05d}",
            "networkCode": "73201",
            "text": USSD_STEPS[step],
        }
        response = self.timed(
            client, Request("ussd", "POST", self.target.base + self.ussd_path, {"data": form})
        )
        ongoing = response is not None and response.content.startswith(b"CON ")
        if ongoing and step + 1 < len(USSD_STEPS):
            with self.lock:
                self.ussd_sessions.append((number, step + 1))

    def next_number_locked(self) -> int:
        self.n += 1
        return self.n

    def manager(self, client: httpx.Client, rng: random.Random) -> None:
        token = rng.choice(self.tokens)
        headers = {"Authorization": f"Bearer {token}"}
        api = f"{self.target.base}/api/v1/staff/queries"
        with self.lock:
            action = rng.choices(list(MANAGER_ACTIONS), list(MANAGER_ACTIONS.values()))[0]
            query = self.queries.pop(rng.randrange(len(self.queries))) if self.queries else None
        if query is None or action == "inbox":
            if query is not None:
                with self.lock:
                    self.queries.append(query)
            inbox = self.timed(
                client,
                Request("staff inbox", "GET", f"{api}?state=open&limit=50", {"headers": headers}),
            )
            if inbox is not None and inbox.status_code == 200:
                with self.lock:
                    self.queries = inbox.json()["items"]
            return
        url = f"{api}/{query['id']}"
        if action == "answer":
            body = {"text": "Respuesta de la entidad: el subsidio abre en marzo."}
            self.timed(
                client,
                Request(
                    "staff answer", "POST", f"{url}/answer", {"json": body, "headers": headers}
                ),
            )
        elif action == "extend" and not query.get("extended"):
            due = dt.date.fromisoformat(query["due_date"])
            new = due + dt.timedelta(days=rng.randint(3, 8))
            while new.weekday() >= 5:  # a holiday still gets the 422 it deserves
                new += dt.timedelta(days=1)
            body = {"new_due_date": new.isoformat(), "reason": "Se requiere concepto técnico."}
            self.timed(
                client,
                Request(
                    "staff extend", "POST", f"{url}/extend", {"json": body, "headers": headers}
                ),
            )
        else:
            body = {
                "to_authority": "Superintendencia de Servicios Públicos Domiciliarios",
                "reason": "La solicitud es competencia de la Superintendencia.",
            }
            self.timed(
                client,
                Request(
                    "staff transfer", "POST", f"{url}/transfer", {"json": body, "headers": headers}
                ),
            )

    def moderator(self, client: httpx.Client, rng: random.Random) -> None:
        url = self.target.base + self.moderation
        cookies = {"sessionid": self.session}
        with httpx.Client(timeout=60, cookies=cookies, transport=self.transport()) as browser:
            with self.lock:
                ids = list(self.contributions)
            if not ids or rng.random() < 0.3:
                page = self.timed(browser, Request("moderation page", "GET", url))
                if page is None or page.status_code != 200:
                    return
                ids = [
                    int(pk) for pk in re.findall(r'name="contribution" value="(\d+)"', page.text)
                ]
                with self.lock:
                    self.contributions = ids
                return
            token = browser.cookies.get("csrftoken")
            if not token:
                page = self.timed(browser, Request("moderation page", "GET", url))
                token = browser.cookies.get("csrftoken")
                if page is None or not token:
                    return
            hide = rng.random() < 0.5
            data = {
                "csrfmiddlewaretoken": token,
                "contribution": rng.choice(ids),
                "to": "hidden" if hide else "visible",
                "reason": "Lenguaje ofensivo (prueba de carga)" if hide else "",
            }
            headers = {"Referer": url, "Origin": self.target.base}
            self.timed(
                browser, Request("moderation", "POST", url, {"data": data, "headers": headers})
            )


def pace(traffic: Traffic, rate: float, seconds: float, stop: threading.Event) -> int:
    """Open loop: a ticket every 1/rate s onto a queue that a pool of senders empties; a sender
    that starts a ticket more than a second late counts it (the client could not keep up)."""
    tickets: queue.Queue = queue.Queue()
    senders = max(16, min(128, int(rate * 4)))

    loopback = urlsplit(traffic.target.base).hostname == "127.0.0.1"

    def sender(k: int) -> None:
        rng = random.Random(traffic.seed * 1000 + k)
        if loopback:
            traffic.sender.address = f"127.77.{k // 250}.{k % 250 + 1}"
        with httpx.Client(timeout=60, transport=traffic.transport()) as client:
            while True:
                due = tickets.get()
                if due is None:
                    return
                if time.monotonic() - due > 1:
                    with traffic.log.lock:
                        traffic.log.late += 1
                traffic.one(client, rng)

    pool = [threading.Thread(target=sender, args=(k,), daemon=True) for k in range(senders)]
    for thread in pool:
        thread.start()
    started = time.monotonic()
    sent = 0
    while not stop.is_set():
        due = started + sent / rate
        if due - started >= seconds:
            break
        delay = due - time.monotonic()
        if delay > 0:
            stop.wait(delay)
        tickets.put(due)
        sent += 1
    for _ in pool:
        tickets.put(None)
    for thread in pool:
        thread.join(timeout=90)
    return sent


# --- what to watch ----------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (gunicorn's workers, bin/serve's children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        if not Path(f"/proc/{current}").exists():
            continue
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in (task / "children").read_text().split()]
    return found


def process_label(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    line = " ".join(part.decode(errors="replace") for part in argv if part)
    if "jobs_worker" in line:
        return "job worker"
    if "gunicorn" in line:
        return "gunicorn"
    if "bin/serve" in line:
        return "bin/serve"
    return Path(argv[0].decode(errors="replace")).name or "process"


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def gunicorn_roles(pids: list[int]) -> dict[int, str]:
    """Each watched process's label; a gunicorn process whose parent is gunicorn is a worker."""
    labels = {pid: process_label(pid) for pid in pids}
    roles = {}
    for pid, label in labels.items():
        if label == "gunicorn":
            try:
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                parent = 0
            label = "gunicorn worker" if labels.get(parent) == "gunicorn" else "gunicorn master"
        roles[pid] = label
    return roles


class LagProbe:
    """The oldest due job's age in seconds: the largest ``urna_jobs_oldest_due_age_seconds`` of
    /metrics, else the database's (through LAG, started on the first refusal)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.process: subprocess.Popen | None = None

    def __call__(self, client: httpx.Client) -> tuple[float, str]:
        if self.process is None:
            token = self.target.metrics_token
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            try:
                response = client.get(f"{self.target.base}/metrics", headers=headers)
                if response.status_code == 200:
                    ages = [
                        float(line.rsplit(" ", 1)[1])
                        for line in response.text.splitlines()
                        if line.startswith("urna_jobs_oldest_due_age_seconds{")
                    ]
                    return max(ages, default=0.0), "/metrics"
            except httpx.HTTPError:
                pass
            self.process = subprocess.Popen(
                [PYTHON, "-c", LAG],
                env=self.target.env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        try:
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            return float(self.process.stdout.readline()), "the database"
        except (OSError, ValueError):
            return float("nan"), "nothing (the database probe failed)"

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


@dataclass
class Sample:
    at: float
    rss: dict[int, float]
    lag: float


def watch(
    target: Target, samples: list[Sample], roles: dict, stop: threading.Event, every: float
) -> None:
    """Every ``every`` seconds: the RSS of every process of the deployment and the queue's lag."""
    probe = LagProbe(target)
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            pids = sorted({pid for root in target.pids for pid in descendants(root)})
            for pid, role in gunicorn_roles(pids).items():
                roles.setdefault(pid, role)
            rss = {pid: mb for pid in pids if (mb := rss_mb(pid)) is not None}
            lag, source = probe(client)
            roles["lag source"] = source
            samples.append(Sample(time.monotonic(), rss, lag))
            stop.wait(every)
    probe.close()


# --- the verdict ------------------------------------------------------------------------------


def interval_rows(
    records: list[Record], samples: list[Sample], started: float, every: float, seconds: float
) -> list[dict]:
    """Per interval of the run: requests, p50/p99, 5xx, mean total RSS, largest queue lag."""
    rows = []
    last = min(max((r.at for r in records), default=started), started + seconds)
    k = 0
    while started + k * every < last - 1e-6:
        lo, hi = started + k * every, started + (k + 1) * every
        inside = [r for r in records if lo <= r.at < hi]
        seen = [s for s in samples if lo <= s.at < hi]
        latencies = [r.seconds for r in inside]
        rows.append(
            {
                "interval": k + 1,
                "requests": len(inside),
                "p50_ms": round(percentile(latencies, 0.5) * 1000),
                "p99_ms": round(percentile(latencies, 0.99) * 1000),
                "errors_5xx": sum(
                    1 for r in inside if not isinstance(r.code, int) or r.code >= 500
                ),
                "rss_mb": round(sum(sum(s.rss.values()) for s in seen) / len(seen)) if seen else 0,
                "lag_s": max((s.lag for s in seen), default=0.0),
                "rss_by_pid": {
                    pid: round(statistics.mean(s.rss[pid] for s in seen if pid in s.rss))
                    for pid in sorted({pid for s in seen for pid in s.rss})
                },
            }
        )
        k += 1
    return rows


def verdict(
    records: list[Record], samples: list[Sample], roles: dict, started: float, seconds: float
) -> dict:
    sixth = seconds / 6
    baseline = (started + sixth, started + 2 * sixth)
    final = (started + 5 * sixth, started + seconds + 1)

    def window_latencies(window):
        return [r.seconds for r in records if window[0] <= r.at < window[1]]

    p99_base = percentile(window_latencies(baseline), 0.99) * 1000
    p99_final = percentile(window_latencies(final), 0.99) * 1000
    memory = []
    for pid in sorted({pid for s in samples for pid in s.rss}):
        before = [s.rss[pid] for s in samples if baseline[0] <= s.at < baseline[1] and pid in s.rss]
        after = [s.rss[pid] for s in samples if final[0] <= s.at < final[1] and pid in s.rss]
        if before and after:
            growth = statistics.mean(after) / statistics.mean(before) - 1
            memory.append(
                {
                    "pid": pid,
                    "role": roles.get(pid, "?"),
                    "baseline_mb": round(statistics.mean(before), 1),
                    "final_mb": round(statistics.mean(after), 1),
                    "growth": round(growth, 4),
                }
            )
    seen = {pid for s in samples for pid in s.rss}
    replaced = [pid for pid in seen if not any(pid in s.rss for s in samples if s.at >= final[0])]
    codes: dict[str, Counter] = defaultdict(Counter)
    latencies: dict[str, list[float]] = defaultdict(list)
    for r in records:
        codes[r.kind][r.code] += 1
        latencies[r.kind].append(r.seconds)
    errors = sum(1 for r in records if not isinstance(r.code, int) or r.code >= 500)
    lags = [s.lag for s in samples]
    checks = {
        "memory": bool(memory) and all(m["growth"] <= MEMORY_GROWTH for m in memory),
        "p99": p99_base > 0 and p99_final <= P99_RATIO * p99_base,
        "5xx": errors == 0,
        "queue": bool(lags) and all(lag < LAG_LIMIT_S for lag in lags),
    }
    return {
        "checks": checks,
        "memory": memory,
        "gone_before_the_end": sorted(replaced),
        "p99_baseline_ms": round(p99_base),
        "p99_final_ms": round(p99_final),
        "errors_5xx": errors,
        "max_lag_s": round(max(lags, default=float("nan")), 1),
        "codes": {k: dict(v) for k, v in sorted(codes.items())},
        "p50_ms": {k: round(percentile(v, 0.5) * 1000) for k, v in latencies.items()},
        "p99_ms": {k: round(percentile(v, 0.99) * 1000) for k, v in latencies.items()},
    }


def section_text(result: dict) -> str:
    v = result["verdict"]
    checks = v["checks"]
    mark = {True: "pass", False: "**FAIL**"}
    lines = [
        f"### {result['layout_title']}",
        "",
        f"Measured {result['date']} on {machine()}; load average at the start "
        f"{result['load_average']}. {result['setup']}",
        "",
        f"{result['minutes']:g} minutes open-loop at {result['rate']:g} requests/s "
        f"({result['sent']:,} scheduled; {result['late']:,} left more than 1 s late), mix "
        f"{', '.join(f'{k} {w}' for k, w in MIX.items())} (mixed: bench/mixed.py's builder).",
        "",
        "| criterion | measured | result |",
        "|---|---|---|",
        f"| memory of every process: final sixth ≤ 1.1 × baseline sixth | largest growth "
        f"{max((m['growth'] for m in v['memory']), default=0):+.1%} over {len(v['memory'])} "
        f"processes | {mark[checks['memory']]} |",
        f"| p99 flat: final sixth ≤ {P99_RATIO} × baseline sixth | {v['p99_final_ms']} ms "
        f"against {v['p99_baseline_ms']} ms | {mark[checks['p99']]} |",
        f"| zero 5xx (or cut off) | {v['errors_5xx']} | {mark[checks['5xx']]} |",
        f"| job queue lag < {LAG_LIMIT_S} s at every sample (every {SAMPLE_SECONDS} s, "
        f"from {result['lag_source']}) | max {v['max_lag_s']} s | {mark[checks['queue']]} |",
        "",
        "| interval | requests | p50 | p99 | 5xx | RSS of all processes | queue lag |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["intervals"]:
        lines.append(
            f"| {row['interval']} | {row['requests']:,} | {row['p50_ms']} ms | {row['p99_ms']} ms "
            f"| {row['errors_5xx']} | {row['rss_mb']:,} MB | {row['lag_s']:.1f} s |"
        )
    lines += ["", "| process | baseline RSS | final RSS | growth |", "|---|---|---|---|"]
    for m in v["memory"]:
        lines.append(
            f"| {m['role']} (pid {m['pid']}) | {m['baseline_mb']} MB | {m['final_mb']} MB | "
            f"{m['growth']:+.1%} |"
        )
    lines += ["", "| request | count | status codes | p50 | p99 |", "|---|---|---|---|---|"]
    for kind, codes in v["codes"].items():
        statuses = ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items(), key=str))
        lines.append(
            f"| {kind} | {sum(codes.values()):,} | {statuses} | {v['p50_ms'][kind]} ms | "
            f"{v['p99_ms'][kind]} ms |"
        )
    if v["gone_before_the_end"]:
        lines += ["", f"Processes gone before the final sixth: {v['gone_before_the_end']}."]
    verdict_text = "pass" if all(checks.values()) else "**FAIL**"
    lines += ["", f"Verdict: {verdict_text}.", ""]
    return "\n".join(lines)


# --- a run ------------------------------------------------------------------------------------


def soak(target: Target, seeded: dict, *, rate: float, seconds: float, every: float) -> dict:
    log, samples, roles = Log(), [], {}
    run_seed = int(time.time()) % 90 + 10
    traffic = Traffic(target, seeded, log, run_seed)
    stop = threading.Event()
    load_average = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    # At least two samples a sixth, however short the run.
    sample_every = min(SAMPLE_SECONDS, seconds / 12)
    watcher = threading.Thread(
        target=watch, args=(target, samples, roles, stop, sample_every), daemon=True
    )
    started = time.monotonic()
    watcher.start()
    printer_stop = threading.Event()

    def report() -> None:
        k = 0
        while not printer_stop.wait(max(0.0, started + (k + 1) * every - time.monotonic())):
            with log.lock:
                records = list(log.records)
            rows = interval_rows(records, list(samples), started, every, seconds)
            if len(rows) > k:
                row = rows[k]
                print(
                    f"[{row['interval'] * every / 60:5.1f} min] {row['requests']} requests, "
                    f"p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, 5xx {row['errors_5xx']}, "
                    f"queue lag {row['lag_s']:.1f} s; RSS {row['rss_mb']} MB: "
                    + ", ".join(
                        f"{roles.get(pid, '?')} {pid} {mb}" for pid, mb in row["rss_by_pid"].items()
                    ),
                    flush=True,
                )
            k += 1

    printer = threading.Thread(target=report, daemon=True)
    printer.start()
    try:
        sent = pace(traffic, rate, seconds, stop)
    finally:
        stop.set()
        printer_stop.set()
        watcher.join(timeout=60)
    records = list(log.records)
    return {
        "layout": target.layout,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": load_average,
        "rate": rate,
        "minutes": seconds / 60,
        "sent": sent,
        "late": log.late,
        "samples": log.samples,
        "lag_source": roles.get("lag source", "none"),
        "intervals": interval_rows(records, samples, started, every, seconds),
        "verdict": verdict(records, samples, roles, started, seconds),
    }


LAYOUTS = {
    "embedded": (
        "Embedded default",
        "`bin/serve` (3 gunicorn sync workers with `urna/gunicorn_conf.py`, one job worker, DEBUG "
        "off) on a scratch SQLite file; the client on the same machine.",
    ),
    "twohost": (
        "Two hosts (deploy/twohost)",
        "deploy/twohost: nginx on 127.0.0.1 in front of two network namespaces, each with its "
        "gunicorn and its job worker, PostgreSQL and Redis shared; the client on the same "
        "machine.",
    ),
    "target": ("Target", "A running deployment given by `--target`."),
}


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line a request otherwise
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, help="requests/s (default: half the mixed peak)")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--interval", type=float, default=60, help="seconds between reports")
    parser.add_argument("--quick", action="store_true", help="2 minutes, 20 s intervals, no docs")
    parser.add_argument("--target", help="base URL of a running deployment")
    parser.add_argument("--pids", default="", help="with --target: PIDs to watch, comma-separated")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--twohost", action="store_true", help="deploy/twohost's layout")
    parser.add_argument("--layout", help="the docs subsection's layout name (with --target)")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.interval = 2, 20
    seconds = args.minutes * 60
    if args.twohost:
        state = twohost_state()
        target = target_of(
            "twohost", state["base"], state["pids"], state["database_url"], state["env"]
        )
        result = run_on(target, seed_target(target.env), args, seconds, "postgresql")
    elif args.target:
        if not args.database_url or not args.pids:
            parser.error("--target needs --pids and --database-url (or DATABASE_URL)")
        pids = [int(pid) for pid in args.pids.split(",") if pid.strip()]
        target = target_of(args.layout or "target", args.target, pids, args.database_url, {})
        result = run_on(target, seed_target(target.env), args, seconds, "postgresql")
    else:
        with tempfile.TemporaryDirectory(prefix="urna-soak-") as folder:
            env = serve_env("sqlite", Path(folder))
            env["AFRICASTALKING_API_KEY"] = AT_KEY
            collect = [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"]
            subprocess.run(collect, cwd=ROOT, env=env, check=True)
            seeded = seed_target(env)  # migrates: before bin/serve's job worker polls
            with served(env, Path(folder) / "serve.log") as (base, serve):
                target = Target(
                    layout="embedded",
                    base=base,
                    pids=[serve.pid],
                    env=env,
                    credentials=Credentials(),
                    at_key=AT_KEY,
                )
                result = run_on(target, seeded, args, seconds, "sqlite")
            server_log = (Path(folder) / "serve.log").read_text(errors="replace")
            result["tracebacks_in_log"] = server_log.count("Traceback (most recent call last)")
            first = server_log.find("Traceback (most recent call last)")
            result["first_traceback"] = server_log[first : first + 3000] if first != -1 else ""
    print(json.dumps({k: v for k, v in result.items() if k != "intervals"}, indent=1, default=str))
    text = section_text(result)
    print(text)
    if not args.quick:
        write_section(SECTION, with_subsection(f"### {result['layout_title']}", text))
    if not all(result["verdict"]["checks"].values()):
        sys.exit(1)


INTRO = (
    "Written by `bench/soak.py`, one subsection per layout (a run rewrites only its own): "
    "mixed traffic across every channel and the staff workflows, open-loop at half the "
    "peak bench/mixed.py measured. The run is cut in sixths: the first is the warm-up, the "
    "second the baseline the last is compared with. Memory is VmRSS of every process of the "
    "deployment, sampled every 10 s."
)


def with_subsection(subheading: str, text: str) -> str:
    """The soak section of docs/benchmarks.md with ``text`` (starting with ``subheading``) in
    place of that layout's subsection, the other layouts' subsections kept."""
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    start = current.find(SECTION + "\n")
    if start == -1:
        return f"{SECTION}\n\n{INTRO}\n\n{text.rstrip()}\n"
    end = current.find("\n## ", start + len(SECTION))
    section = current[start : end if end != -1 else None].rstrip() + "\n"
    at = section.find(subheading + "\n")
    if at == -1:
        return section + "\n" + text.rstrip() + "\n"
    following = section.find("\n### ", at + len(subheading))
    rest = section[following + 1 :] if following != -1 else ""
    return section[:at] + text.rstrip() + "\n" + ("\n" + rest if rest else "")


def run_on(
    target: Target, seeded: dict, args: argparse.Namespace, seconds: float, database: str
) -> dict:
    rate = args.rate or default_rate(database)
    print(
        f"== {target.layout}: {target.base}, {rate:g} req/s for {seconds / 60:g} min, "
        f"watching {target.pids}",
        flush=True,
    )
    result = soak(target, seeded, rate=rate, seconds=seconds, every=args.interval)
    result["layout_title"], result["setup"] = LAYOUTS.get(target.layout, LAYOUTS["target"])
    return result


if __name__ == "__main__":
    main()
