"""Mixed load on ``bin/serve`` (gunicorn + the job worker): no 5xx, no job lost.

Starts the real ``bin/serve`` (gunicorn sync workers with ``urna/gunicorn_conf.py`` and one
``jobs_worker``, supervised) on a temporary SQLite file (``--postgres``: a scratch PostgreSQL
database), DEBUG off, and drives it for a bounded time from 127.0.0.1 with concurrent clients,
each doing a random mix of what citizens and systems do at once:

- contributions through the API (a few with a contact);
- citizen queries (PQRSD) with a contact, which make the worker send a confirmation;
- signed Twilio SMS and Meta (WhatsApp) webhooks, which the worker processes and answers;
- and, beside them, response managers answering queries through the staff API with a bearer
  token, which makes the worker send each answer.

Counts every status code per kind of request, then waits for the queue to drain and checks that
no job failed or was left behind and that every queued message went out. Writes the section
"## Mixed load (bench/mixed.py)" of docs/benchmarks.md.

    .venv/bin/python bench/mixed.py                 # SQLite, 8 clients, 40 s
    .venv/bin/python bench/mixed.py --postgres      # PostgreSQL too
    .venv/bin/python bench/mixed.py --quick         # 4 clients, 10 s, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

import httpx
from common import ROOT, free_port, machine, write_section

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")

import django  # noqa: E402

django.setup()

from urna.channels.providers.meta.signature import meta_signature  # noqa: E402
from urna.channels.providers.twilio.signature import twilio_signature  # noqa: E402

SECTION = "## Mixed load (bench/mixed.py)"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_DB = "urna_bench_mixed"
TWILIO_TOKEN = "bench-twilio-token"
META_SECRET = "bench-meta-secret"
WEIGHTS = {"contribution": 40, "query": 30, "twilio": 15, "meta": 15}

SEED = r"""
import json, django
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from urna.territory.services import divipola_load
from urna.entities.services import entities_load_national
from urna.entities.models import Entity
from urna.exercises.models import Exercise
from urna.accounts.services import api_token_create, staff_create
divipola_load(); entities_load_national()
owner = Entity.objects.get(acronym="MINAGRICULTURA")
now = timezone.now()
Exercise.objects.create(
    code="AGRO", slug="agro", title="Política de desarrollo rural, prueba de carga mixta",
    summary="Ejercicio del benchmark de carga mixta.", owner=owner, kind="policy",
    status="open", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
tokens = []
for n in range(2):
    user = staff_create(username=f"gestor.mixto{n}", password="bench-password-123456",
                        entity=owner, role="manager")
    tokens.append(api_token_create(user=user, by=user, name="bench")[1])
print(json.dumps({"tokens": tokens}))
"""

FIGURES = r"""
import json, django
django.setup()
from django.db.models import Count, Q
from urna.jobs.models import Job
from urna.messaging.models import OutboundMessage
from urna.channels.models import InboundMessage
from urna.queries.models import Query
from urna.exercises.models import Contribution
jobs = dict(Job.objects.values_list("status").annotate(n=Count("id")))
retried = Job.objects.filter(~Q(last_error="")).count()
locked = Job.objects.filter(last_error__icontains="locked").count()
print(json.dumps({
    "jobs": jobs, "jobs_with_an_error": retried, "jobs_locked": locked,
    "messages": dict(OutboundMessage.objects.values_list("status").annotate(n=Count("id"))),
    "inbound": dict(InboundMessage.objects.values_list("status").annotate(n=Count("id"))),
    "queries": Query.objects.count(),
    "answered": Query.objects.filter(state="answered").count(),
    "contributions": Contribution.objects.count(),
}))
"""


class Tally:
    """Status codes and latencies per kind of request, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.samples: list[str] = []

    def add(self, kind: str, code: int | str, seconds: float, body: bytes = b"") -> None:
        with self.lock:
            self.codes[kind][code] += 1
            self.latencies[kind].append(seconds)
            if (not isinstance(code, int) or code >= 500) and len(self.samples) < 5:
                self.samples.append(f"{kind} {code}: {body[:300]!r}")


def timed(tally: Tally, kind: str, client: httpx.Client, method: str, url: str, **kwargs):
    started = time.perf_counter()
    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        tally.add(kind, type(exc).__name__, time.perf_counter() - started)
        return None
    tally.add(kind, response.status_code, time.perf_counter() - started, response.content)
    return response


def citizen(base: str, tally: Tally, stop: threading.Event, seed: int) -> None:
    """One client: a random mix of contributions, queries with contact and signed webhooks.
    Each simulated citizen has its own address (X-Forwarded-For through a trusted proxy, as in
    production) and contact, so rate limits do not stand in for the load."""
    rng = random.Random(seed)
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    n = 0
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            n += 1
            who = f"{seed}-{n}"
            phone = f"+57310{seed:02d}{n:05d}"
            proxy = {"X-Forwarded-For": f"10.{seed}.{n // 250 % 250}.{n % 250 + 1}"}
            kind = rng.choices(kinds, weights)[0]
            text = f"Propongo mejorar las vías terciarias de la vereda, mensaje {who}"
            if kind == "contribution":
                body = {"kind": "opinion", "text": text, "idempotency_key": f"mx-{who}"}
                if rng.random() < 0.2:
                    body.update(contact={"phone": phone}, consent=True)
                timed(
                    tally,
                    kind,
                    client,
                    "POST",
                    f"{base}/api/v1/exercises/agro/contributions",
                    json=body,
                    headers={**proxy, "X-Client-Id": f"mx-{who}"},
                )
            elif kind == "query":
                contact = {"email": f"ciudadana.{who}@example.org", "name": "Ana"}
                if rng.random() < 0.5:
                    contact = {"phone": phone}
                body = {
                    "type": "peticion",
                    "exercise": "AGRO",
                    "consent": True,
                    "contact": contact,
                    "idempotency_key": f"mxq-{who}",
                    "text": f"Solicito información sobre el subsidio de vivienda rural {who}",
                }
                timed(
                    tally, kind, client, "POST", f"{base}/api/v1/queries", json=body, headers=proxy
                )
            elif kind == "twilio":
                url = f"{base}/channels/sms/twilio/"
                form = {
                    "MessageSid": f"SM{seed:02d}{n:030d}",
                    "From": phone,
                    "To": "+5715550100",
                    "Body": f"AGRO {text}",
                    "NumMedia": "0",
                }
                signature = twilio_signature(url, list(form.items()), TWILIO_TOKEN)
                timed(
                    tally,
                    kind,
                    client,
                    "POST",
                    url,
                    content=urlencode(form),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Twilio-Signature": signature,
                    },
                )
            else:
                raw = json.dumps(whatsapp(phone.lstrip("+"), f"wamid.mx{who}", f"AGRO {text}"))
                timed(
                    tally,
                    kind,
                    client,
                    "POST",
                    f"{base}/channels/meta/",
                    content=raw.encode(),
                    headers={
                        "Content-Type": "application/json",
                        "X-Hub-Signature-256": meta_signature(raw.encode(), META_SECRET),
                    },
                )


def whatsapp(sender: str, message_id: str, text: str) -> dict:
    """A WhatsApp Cloud API text message, shaped like urna/channels/meta/fixtures."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": "1065403522",
                            },
                            "contacts": [{"profile": {"name": "Ciudadana"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": message_id,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def manager(base: str, token: str, tally: Tally, stop: threading.Event, k: int, of: int) -> None:
    """A response manager's system working the inbox through the staff API: list the open
    queries, answer each of this manager's share (query id modulo the managers)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=60, headers=headers) as client:
        while not stop.is_set():
            inbox = timed(
                tally,
                "staff inbox",
                client,
                "GET",
                f"{base}/api/v1/staff/queries?state=open&limit=50",
            )
            items = inbox.json()["items"] if inbox is not None and inbox.status_code == 200 else []
            mine = [item["id"] for item in items if item["id"] % of == k]
            for query_id in mine[:10]:
                if stop.is_set():
                    break
                timed(
                    tally,
                    "staff answer",
                    client,
                    "POST",
                    f"{base}/api/v1/staff/queries/{query_id}/answer",
                    json={"text": "Respuesta de la entidad: el subsidio abre en marzo."},
                )
            if not mine:
                stop.wait(0.5)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run(database: str, *, clients: int, seconds: float, folder: Path) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "3",
        "JOB_WORKERS": "1",
        "URNA_VAR_DIR": str(folder),
        "SQLITE_PATH": str(folder / "urna.sqlite3"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 40,
        "ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "WARNING",
        "TRUSTED_PROXY": "1",
        "PUBLIC_BASE_URL": "",
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "META_APP_SECRET": META_SECRET,
        "MESSAGING_SMS_BACKEND": "file",
        "MESSAGING_WHATSAPP_BACKEND": "file",
        "JOBS_POLL_SECONDS": "0.2",
        "CHANNELS_DRAIN_DELAY_SECONDS": "0.5",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", PG_DB], check=True)
        subprocess.run(["createdb", *pg, PG_DB], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    seeded = subprocess.run(
        [PYTHON, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    tokens = json.loads(seeded.stdout.strip().splitlines()[-1])["tokens"]
    log = folder / "serve.log"
    serve = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/ping", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("bin/serve did not answer: " + log.read_text()[-3000:])
        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(target=citizen, args=(base, tally, stop, n + 1))
            for n in range(clients)
        ] + [
            threading.Thread(target=manager, args=(base, token, tally, stop, k, len(tokens)))
            for k, token in enumerate(tokens)
        ]
        load_average = " / ".join(f"{n:.1f}" for n in os.getloadavg())
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started
        # The worker drains what the load left: confirmations, answers, inbound messages.
        drain_started = time.monotonic()
        figures: dict = {}
        while time.monotonic() - drain_started < 180:
            figures = json.loads(
                subprocess.run(
                    [PYTHON, "-c", FIGURES],
                    env=env,
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            if not figures["jobs"].get("queued") and not figures["jobs"].get("running"):
                break
            time.sleep(1)
        drained = time.monotonic() - drain_started
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        if database == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB])
    served = log.read_text(errors="replace")
    return {
        "database": database,
        "load_average": load_average,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "codes": {kind: dict(counter) for kind, counter in sorted(tally.codes.items())},
        "p50_ms": {k: round(percentile(v, 0.5) * 1000) for k, v in tally.latencies.items()},
        "p99_ms": {k: round(percentile(v, 0.99) * 1000) for k, v in tally.latencies.items()},
        "samples": tally.samples,
        "drained_s": round(drained, 1),
        "figures": figures,
        "locked_in_log": served.count("database is locked"),
        "tracebacks_in_log": served.count("Traceback (most recent call last)"),
    }


def server_errors(result: dict) -> int:
    return sum(
        n
        for codes in result["codes"].values()
        for code, n in codes.items()
        if not isinstance(code, int) or code >= 500
    )


def section(results: list[dict]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        "",
        "Setup: `bin/serve` (3 gunicorn sync workers with `urna/gunicorn_conf.py`, one job "
        "worker, DEBUG off) on 127.0.0.1; concurrent clients on the same machine, each a random "
        "mix of API contributions (20 % with a contact), citizen queries with a contact (the "
        "worker sends each a confirmation), signed Twilio SMS and signed Meta WhatsApp webhooks "
        f"(weights {', '.join(f'{k} {v}' for k, v in WEIGHTS.items())}), beside two response "
        "managers' systems answering queries through the staff API with bearer tokens (the "
        "worker sends each answer). Each simulated citizen has its own address "
        "(`X-Forwarded-For` through a trusted proxy) so that rate limits do not stand in for the "
        "load. Target: no 5xx and no failed job.",
        "",
        "| database | clients | seconds | request | count | status codes | p50 | p99 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for kind, codes in r["codes"].items():
            statuses = ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items(), key=str))
            lines.append(
                f"| {r['database']} | {r['clients']} | {r['seconds']} | {kind} | "
                f"{sum(codes.values()):,} | {statuses} | {r['p50_ms'][kind]} ms | "
                f"{r['p99_ms'][kind]} ms |"
            )
    lines.append("")
    for r in results:
        f = r["figures"]
        lines.append(
            f"**{r['database']}**: {server_errors(r)} responses 5xx or cut off; the queue drained "
            f"{r['drained_s']} s after the load (jobs {json.dumps(f['jobs'], sort_keys=True)}, "
            f"{f['jobs_with_an_error']} with an error on the way, {f['jobs_locked']} of them "
            f"'database is locked'); outbound messages {json.dumps(f['messages'], sort_keys=True)}"
            f"; inbound messages {json.dumps(f['inbound'], sort_keys=True)}; "
            f"{f['contributions']:,} contributions, {f['queries']:,} queries of which "
            f"{f['answered']:,} answered; 'database is locked' in the server log: "
            f"{r['locked_in_log']}. Load average at the start: {r['load_average']} (the machine "
            "is shared with other work)."
        )
        lines.append("")
    ok = all(
        server_errors(r) == 0
        and not r["figures"]["jobs"].get("failed")
        and not r["figures"]["jobs"].get("queued")
        and not r["figures"]["jobs"].get("running")
        and r["locked_in_log"] == 0
        for r in results
    )
    lines.append(f"Verdict: {'no 5xx, no failed or stuck job' if ok else 'TARGET MISSED'}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL as well as SQLite")
    parser.add_argument("--quick", action="store_true", help="4 clients, 10 s, docs untouched")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 4, 10
    results = []
    for database in ["sqlite", "postgresql"] if args.postgres else ["sqlite"]:
        with tempfile.TemporaryDirectory(prefix="urna-mixed-") as folder:
            print(f"== {database}: {args.clients} clients, {args.seconds:.0f} s", flush=True)
            result = run(database, clients=args.clients, seconds=args.seconds, folder=Path(folder))
            print(json.dumps(result, indent=1, default=str), flush=True)
            results.append(result)
    text = section(results)
    print(text)
    if not args.quick:
        write_section(SECTION, text)
    if any(server_errors(r) for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
