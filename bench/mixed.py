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
    .venv/bin/python bench/mixed.py --quick --target http://127.0.0.1:8080 \
        --database-url postgres://postgres@127.0.0.1:5432/urna_twohost   # a running deployment

With ``--target`` it starts nothing: it seeds the exercise and the managers' tokens through the
target's own database (``--database-url``, default ``$DATABASE_URL``), signs the webhooks with the
target's credentials (``$TWILIO_AUTH_TOKEN``, ``$META_APP_SECRET``, else the development values)
and drives the same load against the target's base URL; docs/benchmarks.md is left untouched.
bench/soak.py builds its open-loop traffic from the same request builders (``citizen_request``).
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
# Idempotent, so that a running deployment can be seeded again (--target); on a site with the
# demo data AGRO is already there, under its own slug.
exercise, _created = Exercise.objects.get_or_create(code="AGRO", defaults=dict(
    slug="agro", title="Política de desarrollo rural, prueba de carga mixta",
    summary="Ejercicio del benchmark de carga mixta.", owner=owner, kind="policy",
    status="open", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)))
from urna.accounts.models import User
tokens = []
for n in range(2):
    username = f"gestor.mixto{n}"
    user = User.objects.filter(username=username).first() or staff_create(
        username=username, password="bench-password-123456", entity=owner, role="manager")
    tokens.append(api_token_create(user=user, by=user, name="bench")[1])
print(json.dumps({"tokens": tokens, "slug": exercise.slug}))
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


@dataclass(frozen=True)
class Request:
    """One request of the load, built ahead of sending: its kind (the row of the figures)."""

    kind: str
    method: str
    url: str
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Credentials:
    """The secrets the target checks the webhooks' signatures with."""

    twilio_token: str = TWILIO_TOKEN
    meta_secret: str = META_SECRET


def send(tally: Tally, client: httpx.Client, request: Request) -> httpx.Response | None:
    return timed(tally, request.kind, client, request.method, request.url, **request.kwargs)


def citizen_request(
    base: str,
    rng: random.Random,
    seed: int,
    n: int,
    credentials: Credentials = Credentials(),
    slug: str = "agro",
) -> Request:
    """The ``n``-th request of simulated citizen ``seed``: an API contribution, a query with a
    contact, a signed Twilio SMS or a signed Meta WhatsApp message (``WEIGHTS``), about the
    exercise AGRO (``slug``: its slug, ``seed_info``'s). Each citizen has its own address
    (X-Forwarded-For through a trusted proxy, as in production) and contact, so rate limits do
    not stand in for the load."""
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    who = f"{seed}-{n}"
    phone = f"+57310{seed:02d}{n:05d}"
    proxy = {"X-Forwarded-For": f"10.{seed % 250}.{n // 250 % 250}.{n % 250 + 1}"}
    kind = rng.choices(kinds, weights)[0]
    text = f"Propongo mejorar las vías terciarias de la vereda, mensaje {who}"
    if kind == "contribution":
        body = {"kind": "opinion", "text": text, "idempotency_key": f"mx-{who}"}
        if rng.random() < 0.2:
            body.update(contact={"phone": phone}, consent=True)
        headers = {**proxy, "X-Client-Id": f"mx-{who}"}
        url = f"{base}/api/v1/exercises/{slug}/contributions"
        return Request(kind, "POST", url, {"json": body, "headers": headers})
    if kind == "query":
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
        return Request(kind, "POST", f"{base}/api/v1/queries", {"json": body, "headers": proxy})
    if kind == "twilio":
        url = f"{base}/channels/sms/twilio/"
        form = {
            "MessageSid": f"SM{seed:02d}{n:030d}",
            "From": phone,
            "To": "+5715550100",
            "Body": f"AGRO {text}",
            "NumMedia": "0",
        }
        signature = twilio_signature(url, list(form.items()), credentials.twilio_token)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        }
        return Request(kind, "POST", url, {"content": urlencode(form), "headers": headers})
    raw = json.dumps(whatsapp(phone.lstrip("+"), f"wamid.mx{who}", f"AGRO {text}")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(raw, credentials.meta_secret),
    }
    return Request(kind, "POST", f"{base}/channels/meta/", {"content": raw, "headers": headers})


def citizen(
    base: str,
    tally: Tally,
    stop: threading.Event,
    seed: int,
    credentials: Credentials = Credentials(),
    slug: str = "agro",
) -> None:
    """One closed-loop client: a random mix of contributions, queries with contact and signed
    webhooks (``citizen_request``), one after the other until ``stop``."""
    rng = random.Random(seed)
    n = 0
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            n += 1
            send(tally, client, citizen_request(base, rng, seed, n, credentials, slug))


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


def serve_env(database: str, folder: Path) -> dict[str, str]:
    """The environment of an embedded ``bin/serve`` on a free port, its data in ``folder`` (and,
    for ``postgresql``, a fresh scratch database ``PG_DB``)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "PORT": str(free_port()),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "3",
        "JOB_WORKERS": "1",
        "URNA_VAR_DIR": str(folder),
        "SQLITE_PATH": str(folder / "urna.sqlite3"),
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"),
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
    (folder / "prometheus").mkdir(exist_ok=True)
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        pg = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", PG_DB], check=True)
        subprocess.run(["createdb", *pg, PG_DB], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    return env


def target_env(database_url: str, settings: dict[str, str] | None = None) -> dict[str, str]:
    """The environment that reaches a running deployment's database (``--target``): this one's,
    with the deployment's ``settings`` over it (its SECRET_KEY signs the sessions seeded for
    it). An embedded default's ``sqlite:///path`` becomes its ``SQLITE_PATH``, so that the
    settings' SQLite options (WAL, busy timeout, ``BEGIN IMMEDIATE``) hold beside its server."""
    env = {
        **os.environ,
        **(settings or {}),
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "PYTHONPATH": str(ROOT),
    }
    if database_url.startswith("sqlite:///"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = database_url.removeprefix("sqlite:///")
    else:
        env["DATABASE_URL"] = database_url
    return env


def target_credentials() -> Credentials:
    """The target's webhook secrets: the environment's, else the development values that a
    deployment in development mode accepts (``urna.channels.devcredentials``)."""
    from urna.channels.devcredentials import DEV_VALUES

    return Credentials(
        twilio_token=os.environ.get("TWILIO_AUTH_TOKEN") or DEV_VALUES["TWILIO_AUTH_TOKEN"],
        meta_secret=os.environ.get("META_APP_SECRET") or DEV_VALUES["META_APP_SECRET"],
    )


def seed_info(env: dict[str, str]) -> dict:
    """The exercise AGRO and two response managers in the database of ``env``: the managers'
    ``tokens`` and the exercise's ``slug``."""
    seeded = subprocess.run(
        [PYTHON, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def seed(env: dict[str, str]) -> list[str]:
    """``seed_info``'s tokens."""
    return seed_info(env)["tokens"]


@contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``bin/serve`` with ``env``, answering: yields its base URL and its process (the
    supervisor, which leads its own session; gunicorn and the job workers are its children)."""
    serve = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
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
        yield base, serve
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)


def figures_of(env: dict[str, str]) -> dict:
    """Jobs, messages, contributions and queries in the database of ``env``."""
    done = subprocess.run(
        [PYTHON, "-c", FIGURES], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def drive(
    base: str,
    tokens: list[str],
    env: dict[str, str],
    *,
    clients: int,
    seconds: float,
    credentials: Credentials = Credentials(),
    slug: str = "agro",
) -> dict:
    """The closed-loop load on ``base`` for ``seconds``, then the wait for the queue to drain."""
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=citizen, args=(base, tally, stop, n + 1, credentials, slug))
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
        figures = figures_of(env)
        if not figures["jobs"].get("queued") and not figures["jobs"].get("running"):
            break
        time.sleep(1)
    return {
        "load_average": load_average,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "codes": {kind: dict(counter) for kind, counter in sorted(tally.codes.items())},
        "p50_ms": {k: round(percentile(v, 0.5) * 1000) for k, v in tally.latencies.items()},
        "p99_ms": {k: round(percentile(v, 0.99) * 1000) for k, v in tally.latencies.items()},
        "samples": tally.samples,
        "drained_s": round(time.monotonic() - drain_started, 1),
        "figures": figures,
    }


def run(database: str, *, clients: int, seconds: float, folder: Path) -> dict:
    env = serve_env(database, folder)
    log = folder / "serve.log"
    try:
        tokens = seed(env)
        with served(env, log) as (base, _serve):
            result = drive(base, tokens, env, clients=clients, seconds=seconds)
    finally:
        if database == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB])
    server_log = log.read_text(errors="replace")
    return {
        "database": database,
        **result,
        "locked_in_log": server_log.count("database is locked"),
        "tracebacks_in_log": server_log.count("Traceback (most recent call last)"),
    }


def run_target(base: str, database_url: str, *, clients: int, seconds: float) -> dict:
    """The same load on a running deployment: seeded through its database, nothing started."""
    env = target_env(database_url)
    seeded = seed_info(env)
    result = drive(
        base,
        seeded["tokens"],
        env,
        clients=clients,
        seconds=seconds,
        credentials=target_credentials(),
        slug=seeded["slug"],
    )
    # The target's logs are the deployment's own: not read here.
    return {"database": "target", **result, "locked_in_log": 0, "tracebacks_in_log": 0}


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
    parser.add_argument("--target", help="base URL of a running deployment (starts nothing)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="with --target: the target's DATABASE_URL, to seed and count through",
    )
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 4, 10
    results = []
    if args.target:
        if not args.database_url:
            parser.error("--target needs --database-url (or DATABASE_URL) of the target")
        print(f"== {args.target}: {args.clients} clients, {args.seconds:.0f} s", flush=True)
        result = run_target(
            args.target.rstrip("/"), args.database_url, clients=args.clients, seconds=args.seconds
        )
        print(json.dumps(result, indent=1, default=str), flush=True)
        results.append(result)
    for database in (
        [] if args.target else ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
    ):
        with tempfile.TemporaryDirectory(prefix="urna-mixed-") as folder:
            print(f"== {database}: {args.clients} clients, {args.seconds:.0f} s", flush=True)
            result = run(database, clients=args.clients, seconds=args.seconds, folder=Path(folder))
            print(json.dumps(result, indent=1, default=str), flush=True)
            results.append(result)
    text = section(results)
    print(text)
    if not args.quick and not args.target:
        write_section(SECTION, text)
    if any(server_errors(r) for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
