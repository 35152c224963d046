"""Kill test: SIGKILL web hosts and job workers at random moments during a mixed load, then check
that nothing acknowledged was lost and nothing was processed twice.

The load is bench/mixed.py's (its request builders, ``citizen_request``, and its response
managers): API contributions, citizen queries with a contact (each confirmed by a job), signed
Twilio SMS and Meta WhatsApp webhooks (processed and answered by jobs), staff answers through the
staff API. Every request a 2xx answered is *acknowledged*: its idempotency key or provider
message id, and its receipt, are recorded. Meanwhile, every 8 to 20 s, one process chosen at
random is killed with SIGKILL and started again 2 to 6 s later:

- on the two-host layout (default; ``deploy/twohost up`` first, as root): a host's gunicorn
  (master and workers: the whole process group, as a host losing power) or a host's jobs_worker,
  through ``deploy/twohost kill|start``; the load goes through nginx, each client from its own
  loopback address (nginx's ``X-Forwarded-For`` hop), so no rate limit stands in for the load;
- with ``--serve``, on the embedded default (``bin/serve`` on a scratch SQLite file, as
  bench/mixed.py runs it): gunicorn's master, one gunicorn worker or the job worker, which
  ``bin/serve`` (or gunicorn's master) starts again itself.

After the load the queue drains (a killed worker's job waits for its lease,
``JOBS_LEASE_SECONDS``), then the checks: every acknowledged contribution, query and inbound
message is stored exactly once under its key, with the receipt the client was given; each query
has its confirmation, and no query or inbound message has the same outbound message twice;
every inbound message of the run is processed; no outbound message is in the file backend's
outbox twice; no job of the run is left queued, running or failed. Exits 1 when one fails.

    .venv/bin/python deploy/killtest.py                  # two-host layout, 3 minutes
    .venv/bin/python deploy/killtest.py --serve          # bin/serve on SQLite
    .venv/bin/python deploy/killtest.py --seconds 60 --clients 4
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import layout

BENCH = layout.ROOT / "bench"
FIRST_SEED = 40  # the clients' seeds: bench/mixed.py's own runs use 1, 2, …
KEYS = {"contribution": "mx-{seed}-", "query": "mxq-{seed}-"}


class Acks:
    """What the server acknowledged, per kind of request, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.receipts: dict[str, dict[str, str]] = defaultdict(dict)

    def add(self, kind: str, code: int | str, ident: str = "", receipt: str = "") -> None:
        with self.lock:
            self.codes[kind][code] += 1
            if ident:
                self.receipts[kind][ident] = receipt


def ident_of(request) -> str:
    """The key a request is stored under: its idempotency key or its provider's message id."""
    if request.kind in ("contribution", "query"):
        return request.kwargs["json"]["idempotency_key"]
    if request.kind == "twilio":
        return parse_qs(request.kwargs["content"])["MessageSid"][0]
    payload = json.loads(request.kwargs["content"])
    return payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


def citizen(
    mixed, base: str, acks: Acks, stop: threading.Event, seed: int, first: int, **options
) -> None:
    """One closed-loop client of bench/mixed.py's requests about the exercise ``slug``.
    ``own_address``: send each request from the loopback twin of the address bench/mixed.py
    gives its citizen (10.s.a.b → 127.s.a.b), since nginx, not the client, writes the hop the
    hosts trust."""
    rng = random.Random(seed)
    n = first
    while not stop.is_set():
        n += 1
        request = mixed.citizen_request(base, rng, seed, n, slug=options["slug"])
        source = None
        if options.get("own_address"):
            hop = request.kwargs.get("headers", {}).get("X-Forwarded-For", f"10.{seed}.0.1")
            source = "127." + hop.split(".", 1)[1]
        transport = httpx.HTTPTransport(local_address=source) if source else None
        try:
            with httpx.Client(timeout=60, transport=transport) as client:
                response = client.request(request.method, request.url, **request.kwargs)
        except httpx.HTTPError as exc:
            acks.add(request.kind, type(exc).__name__)
            continue
        if 200 <= response.status_code < 300:
            receipt = ""
            if request.kind in ("contribution", "query"):
                receipt = response.json().get("receipt", "")
            acks.add(request.kind, response.status_code, ident_of(request), receipt)
        else:
            acks.add(request.kind, response.status_code)


# --- who gets killed ----------------------------------------------------------------------


def twohost_victims() -> tuple[list[str], Callable[[str], None], Callable[[str], None]]:
    def kill(name: str) -> None:
        layout.twohost("kill", name)

    def start(name: str) -> None:
        layout.twohost("start", name)

    return list(layout.PROCESSES), kill, start


def children(pid: int) -> list[tuple[int, str]]:
    """The direct children of ``pid``, with their command lines."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry.name), cmdline))
        except (OSError, IndexError, ValueError):
            continue
    return found


def serve_victims(serve_pid: int):
    def find(name: str) -> int | None:
        procs = children(serve_pid)
        master = next((pid for pid, cmd in procs if "gunicorn" in cmd), None)
        if name == "gunicorn master":
            return master
        if name == "gunicorn worker":
            return next((pid for pid, _ in children(master)), None) if master else None
        return next((pid for pid, cmd in procs if "jobs_worker" in cmd), None)

    def kill(name: str) -> None:
        pid = find(name)
        if pid:
            os.kill(pid, signal.SIGKILL)

    def start(name: str) -> None:  # bin/serve, or gunicorn's master, starts it again
        return None

    return ["gunicorn master", "gunicorn worker", "job worker"], kill, start


def chaos(victims, kill, start, stop: threading.Event, rng: random.Random, events: list) -> None:
    began = time.monotonic()
    turn: list[str] = []
    while not stop.wait(rng.uniform(8, 20)):
        # Each process in turn, in a new random order each round: every one is killed.
        turn = turn or rng.sample(victims, len(victims))
        victim = turn.pop()
        at = time.monotonic() - began
        kill(victim)
        time.sleep(rng.uniform(2, 6))  # even when the load is over: leave nothing dead
        start(victim)
        events.append(f"{at:.0f}s {victim}")


# --- checks -------------------------------------------------------------------------------


def settle(started: datetime, seconds: float) -> float:
    """Wait until no job of the run is due or running and no inbound message waits."""
    from django.utils import timezone

    from urna.channels.models import InboundMessage
    from urna.jobs.models import Job

    def settled() -> bool:
        jobs = Job.objects.filter(created_at__gte=started)
        due = jobs.filter(status=Job.Status.QUEUED, run_at__lte=timezone.now())
        running = jobs.filter(status=Job.Status.RUNNING)
        waiting = InboundMessage.objects.filter(
            received_at__gte=started, status=InboundMessage.Status.RECEIVED
        )
        return not (due.exists() or running.exists() or waiting.exists())

    began = time.monotonic()
    layout.wait_until(settled, seconds, 1)
    return time.monotonic() - began


def stored_once(model, field: str, acked: dict[str, str]) -> tuple[list[str], dict]:
    from django.db.models import Count

    rows = (
        model.objects.filter(**{f"{field}__in": list(acked)})
        .values(field)
        .annotate(n=Count("id"))
        .values_list(field, "n")
    )
    counts = dict(rows)
    problems = [key for key in acked if counts.get(key, 0) != 1]
    return problems, counts


def check(acks: Acks, started: datetime) -> list[tuple[bool, str]]:
    from django.conf import settings
    from django.db.models import Count

    from urna.channels.models import InboundMessage
    from urna.exercises.models import Contribution
    from urna.jobs.models import Job
    from urna.messaging.models import OutboundMessage
    from urna.queries.models import Query

    results = []
    for kind, model in (("contribution", Contribution), ("query", Query)):
        acked = acks.receipts[kind]
        missing, _ = stored_once(model, "idempotency_key", acked)
        stored = dict(
            model.objects.filter(idempotency_key__in=list(acked)).values_list(
                "idempotency_key", "receipt"
            )
        )
        other = [key for key in acked if key in stored and stored[key] != acked[key]]
        results.append(
            (
                bool(acked) and not missing and not other,
                f"{kind}: {len(acked)} acknowledged, {len(missing)} not stored exactly once, "
                f"{len(other)} stored under another receipt",
            )
        )
    inbound_acked = {**acks.receipts["twilio"], **acks.receipts["meta"]}
    missing, _ = stored_once(InboundMessage, "provider_message_id", inbound_acked)
    statuses = Counter(
        InboundMessage.objects.filter(provider_message_id__in=list(inbound_acked)).values_list(
            "status", flat=True
        )
    )
    results.append(
        (
            bool(inbound_acked)
            and not missing
            and set(statuses) <= {InboundMessage.Status.PROCESSED},
            f"SMS and WhatsApp: {len(inbound_acked)} acknowledged, {len(missing)} not stored "
            f"exactly once; statuses {dict(statuses)}",
        )
    )
    query_ids = [
        str(pk)
        for pk in Query.objects.filter(
            idempotency_key__in=list(acks.receipts["query"])
        ).values_list("pk", flat=True)
    ]
    inbound_ids = [
        str(pk)
        for pk in InboundMessage.objects.filter(
            provider_message_id__in=list(inbound_acked)
        ).values_list("pk", flat=True)
    ]
    ours = OutboundMessage.objects.filter(
        related_type="queries.query", related_id__in=query_ids
    ) | OutboundMessage.objects.filter(
        related_type="channels.inboundmessage", related_id__in=inbound_ids
    )
    twice = (
        ours.values("related_type", "related_id", "body")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    confirmed = set(
        OutboundMessage.objects.filter(
            related_type="queries.query", related_id__in=query_ids
        ).values_list("related_id", flat=True)
    )
    message_status = Counter(ours.values_list("status", flat=True))
    results.append(
        (
            twice == 0
            and confirmed == set(query_ids)
            and set(message_status) <= {OutboundMessage.Status.SENT},
            f"outbound: {sum(message_status.values())} messages to the run's queries and "
            f"inbound messages, statuses {dict(message_status)}; {len(query_ids) - len(confirmed)}"
            f" queries without a confirmation; {twice} messages queued twice",
        )
    )
    ids = set(ours.values_list("pk", flat=True))
    written: Counter = Counter()
    for path in (Path(settings.MESSAGING_FILE_PATH)).glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("id") in ids:
                written[record["id"]] += 1
    by_file = OutboundMessage.objects.filter(pk__in=ids, backend="file").count()
    twice_written = sum(n > 1 for n in written.values())
    results.append(
        (
            twice_written == 0 and len(written) == by_file,
            f"file outbox (SMS, WhatsApp): {by_file} sent through it, {len(written)} in it, "
            f"{twice_written} written twice (email goes through Django's backend: not counted)",
        )
    )
    jobs = Job.objects.filter(created_at__gte=started)
    statuses = Counter(jobs.values_list("status", flat=True))
    rerun = jobs.filter(attempts__gt=1).count()
    left = jobs.filter(status__in=[Job.Status.RUNNING, Job.Status.FAILED]).count()
    from django.utils import timezone

    due = jobs.filter(status=Job.Status.QUEUED, run_at__lte=timezone.now()).count()
    results.append(
        (
            left == 0 and due == 0,
            f"jobs of the run: {dict(statuses)}; {rerun} run again after a kill or an error; "
            f"{due} due and not run",
        )
    )
    return results


# --- the run ------------------------------------------------------------------------------


def free_block(seeds: list[int]) -> int:
    """A block of request numbers (10,000 wide) no earlier run on this database used, so that
    every key of this run is new: an old key would be answered as a replay."""
    from urna.exercises.models import Contribution
    from urna.queries.models import Query

    for block in range(1, 10):
        used = any(
            Contribution.objects.filter(idempotency_key__startswith=f"mx-{seed}-{block}").exists()
            or Query.objects.filter(idempotency_key__startswith=f"mxq-{seed}-{block}").exists()
            for seed in seeds
        )
        if not used:
            return block * 10_000
    raise SystemExit("every block of keys is used: `deploy/twohost down --purge` and up again")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--serve", action="store_true", help="bin/serve on SQLite instead")
    parser.add_argument("--seed", type=int, default=None, help="the kills' random seed")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not every request of the load
    with tempfile.TemporaryDirectory(prefix="urna-killtest-") as folder:
        if args.serve:
            # bench/mixed.py sets Django up when imported: on this run's database.
            os.environ.pop("DATABASE_URL", None)
            os.environ.pop("REDIS_URL", None)
            os.environ["URNA_VAR_DIR"] = folder
            os.environ["SQLITE_PATH"] = str(Path(folder) / "urna.sqlite3")
        else:
            current = layout.state()
            if not all(layout.answers(base) for base in layout.hosts(current).values()):
                raise SystemExit("the two-host layout does not answer: deploy/twohost up")
            layout.django_on_layout()
        sys.path.insert(0, str(BENCH))
        import mixed

        if args.serve:
            env = mixed.serve_env("sqlite", Path(folder))
            env["JOBS_LEASE_SECONDS"] = "30"
        else:
            env = {**os.environ, "PYTHONPATH": str(layout.ROOT)}
        seeded = mixed.seed_info(env)
        tokens = seeded["tokens"]
        seeds = [FIRST_SEED + k for k in range(args.clients)]
        first = free_block(seeds)
        lease = float(env.get("JOBS_LEASE_SECONDS", "60"))
        serve = None
        if args.serve:
            log = Path(folder) / "serve.log"
            serve = subprocess.Popen(
                [str(layout.ROOT / "bin" / "serve")],
                env=env,
                cwd=layout.ROOT,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{env['PORT']}"
            if not layout.wait_until(lambda: layout.answers(base), 90):
                raise SystemExit("bin/serve did not answer: " + log.read_text()[-2000:])
            victims, kill, start = serve_victims(serve.pid)
            options = {"slug": seeded["slug"]}
        else:
            base = current["BASE_URL"]
            victims, kill, start = twohost_victims()
            options = {"slug": seeded["slug"], "own_address": True}
        try:
            started = datetime.now(UTC)
            acks, tally, stop, events = Acks(), mixed.Tally(), threading.Event(), []
            threads = [
                threading.Thread(
                    target=citizen, args=(mixed, base, acks, stop, seed, first), kwargs=options
                )
                for seed in seeds
            ] + [
                threading.Thread(
                    target=mixed.manager, args=(base, token, tally, stop, k, len(tokens))
                )
                for k, token in enumerate(tokens)
            ]
            killer = threading.Thread(target=chaos, args=(victims, kill, start, stop, rng, events))
            for thread in [*threads, killer]:
                thread.start()
            stop.wait(args.seconds)
            stop.set()
            for thread in [*threads, killer]:
                thread.join(timeout=120)
            drained = settle(started, lease + 120)
            results = check(acks, started)
        finally:
            if serve is not None:
                os.killpg(serve.pid, signal.SIGTERM)
                serve.wait(timeout=60)
    print(f"{'bin/serve on SQLite' if args.serve else 'two-host layout'}: {args.clients} clients, "
          f"{args.seconds:.0f} s, {len(events)} kills: {', '.join(events)}")  # fmt: skip
    for kind, codes in sorted({**acks.codes, **tally.codes}.items()):
        print(f"  {kind}: {dict(sorted(codes.items(), key=str))}")
    print(f"  queue settled {drained:.0f} s after the load")
    for ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {detail}")
    sys.exit(0 if all(ok for ok, _ in results) else 1)


if __name__ == "__main__":
    main()
