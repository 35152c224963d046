"""Checks that what must hold across hosts holds on the two-host layout (``deploy/twohost up``).

- a rate limit of 5 stays 5 across hosts: failed logins of one user, sent to each host's gunicorn
  directly in turn, are refused from the sixth on, whichever host gets it;
- a job runs once: the sends of many outbound messages, each enqueued several times over, are
  claimed by both hosts' workers and each message reaches the provider (the file backend's
  outbox, shared like a provider) exactly once;
- a staff session started on host A works on host B;
- a lock holds across hosts: the last seat of a meeting, asked for at once through both hosts'
  gunicorns, goes to one person; everyone else is put on the waiting list in order;
- nginx routes around a stopped host, and the host rejoins once it is started again.

    deploy/twohost up && .venv/bin/python deploy/check_cross_host.py

Exits non-zero when a check fails; prints one line per check. Needs root (it stops and starts a
host through deploy/twohost).
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import layout

DEMO_USER, DEMO_PASSWORD = "gestor.agricultura", "urna-demo-2026"
LIMIT = 5  # LOGIN_RATE_LIMIT's default, 5/300
MESSAGES, COPIES = 60, 5


def login(client: httpx.Client, base: str, username: str, password: str) -> httpx.Response:
    page = client.get(f"{base}/cuenta/entrar/")
    page.raise_for_status()
    token = client.cookies.get("csrftoken")
    return client.post(
        f"{base}/cuenta/entrar/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/cuenta/entrar/"},
    )


def as_client() -> dict[str, str]:
    """The proxy hop nginx would add for a client of its own (an address of the benchmarking
    range, new each run): the hosts trust it (TRUSTED_PROXY), so each run's logins count against
    a network of their own, never against the last run's."""
    return {"X-Forwarded-For": f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"}


def check_rate_limit(hosts: dict[str, str]) -> tuple[bool, str]:
    username = f"nadie-{secrets.token_hex(4)}"
    hop = as_client()  # one client, whichever host it reaches
    clients = {name: httpx.Client(timeout=30, headers=hop) for name in hosts}
    statuses = []
    try:
        for n in range(2 * LIMIT):
            name = "ab"[n % 2]
            statuses.append((name, login(clients[name], hosts[name], username, "no-es-la-clave")))
    finally:
        for client in clients.values():
            client.close()
    codes = [f"{name}:{response.status_code}" for name, response in statuses]
    allowed = sum(response.status_code != 429 for _, response in statuses)
    first_refused = next(
        (n for n, (_, response) in enumerate(statuses) if response.status_code == 429), None
    )
    ok = allowed == LIMIT and first_refused == LIMIT
    return ok, f"{allowed} attempts let through of {len(statuses)} ({' '.join(codes)})"


def check_session(hosts: dict[str, str]) -> tuple[bool, str]:
    with httpx.Client(timeout=30, headers=as_client()) as client:
        response = login(client, hosts["a"], DEMO_USER, DEMO_PASSWORD)
        if response.status_code != 302:
            return False, f"login on host A answered {response.status_code}"
        target = response.headers["location"]
        session = client.cookies.get("sessionid")
    cookie = {"Cookie": f"sessionid={session}"}
    with_session = httpx.get(f"{hosts['b']}{target}", headers=cookie, timeout=30)
    without = httpx.get(f"{hosts['b']}{target}", timeout=30)
    ok = with_session.status_code == 200 and without.status_code == 302
    return ok, (
        f"logged in on A, {target} on B: {with_session.status_code} with the session, "
        f"{without.status_code} without"
    )


def check_jobs(current: dict[str, str]) -> tuple[bool, str]:
    from django.conf import settings
    from django.db import transaction

    from urna.jobs.models import Job
    from urna.jobs.registry import enqueue
    from urna.messaging.models import OutboundMessage
    from urna.messaging.services import SEND_TASK, message_queue

    tag = secrets.token_hex(4)
    with transaction.atomic():  # every copy becomes claimable at once, for both workers
        messages = [
            message_queue(
                channel="sms", to="+573009990000", body=f"Prueba entre hosts {tag} número {n}"
            )
            for n in range(MESSAGES)
        ]
        ids = [message.pk for message in messages]
        for message_id in ids:
            for _ in range(COPIES - 1):
                enqueue(SEND_TASK, message_id=message_id)
    jobs = Job.objects.filter(name=SEND_TASK, kwargs__message_id__in=ids)

    def settled() -> bool:
        return not jobs.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()

    layout.wait_until(settled, 120, 0.5)
    outcomes = Counter(jobs.values_list("status", flat=True))
    attempts = Counter(jobs.values_list("attempts", flat=True))
    pid_host = {current.get(f"PID_worker_{h}"): f"worker-{h}" for h in ("a", "b")}
    by_worker = Counter(
        pid_host.get(locked_by.rsplit(":", 1)[-1], locked_by)
        for locked_by in jobs.values_list("locked_by", flat=True)
    )
    outbox = Path(settings.MESSAGING_FILE_PATH) / "sms.jsonl"
    wanted = set(ids)
    written = Counter(
        record["id"]
        for record in map(json.loads, outbox.read_text(encoding="utf-8").splitlines())
        if record["id"] in wanted
    )
    sent = OutboundMessage.objects.filter(pk__in=ids, status=OutboundMessage.Status.SENT).count()
    ok = (
        outcomes == Counter({Job.Status.DONE: MESSAGES * COPIES})
        and set(attempts) == {1}
        and all(by_worker.get(f"worker-{h}") for h in ("a", "b"))
        and sent == MESSAGES
        and len(written) == MESSAGES
        and set(written.values()) == {1}
    )
    return ok, (
        f"{MESSAGES} messages × {COPIES} send jobs: jobs {dict(outcomes)}, attempts "
        f"{dict(attempts)}, run by {dict(by_worker)}; {sent} sent, {len(written)} in the outbox, "
        f"{sum(n - 1 for n in written.values())} written twice"
    )


SEEKERS = 16  # people asking for the one seat at once, half through each host


def check_lock(hosts: dict[str, str]) -> tuple[bool, str]:
    from django.utils import timezone

    from urna.entities.models import Entity
    from urna.meetings.models import Meeting, Registration

    now = timezone.now()
    meeting = Meeting.objects.create(
        title="Taller de prueba entre hosts",
        slug=f"taller-entre-hosts-{secrets.token_hex(4)}",
        entity=Entity.objects.filter(active=True).order_by("pk").first(),
        mode=Meeting.Mode.ONLINE,
        video_url="https://meet.example.org/urna",
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=2),
        capacity=1,
        published_at=now,
    )

    def register(n: int) -> int:
        name = "ab"[n % 2]
        response = httpx.post(
            f"{hosts[name]}/api/v1/meetings/{meeting.slug}/registrations",
            json={"email": f"persona{n}@example.org", "consent": True},
            headers=as_client(),  # each person from a network of their own
            timeout=30,
        )
        return response.status_code

    with ThreadPoolExecutor(SEEKERS) as pool:
        statuses = Counter(pool.map(register, range(SEEKERS)))
    stored = Counter(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    confirmed = stored.get(Registration.Status.CONFIRMED, 0)
    waiting = stored.get(Registration.Status.WAITING, 0)
    ok = statuses == {201: SEEKERS} and confirmed == 1 and waiting == SEEKERS - 1
    return ok, (
        f"{SEEKERS} registrations for 1 seat, alternating hosts: answers {dict(statuses)}; "
        f"{confirmed} confirmed, {waiting} on the waiting list"
    )


def access_count(name: str) -> int:
    path = layout.ROOT / "var" / "twohost" / "logs" / f"{name}.access.log"
    return path.read_text().count("/api/v1/ping") if path.exists() else 0


def check_failover(current: dict[str, str], hosts: dict[str, str]) -> tuple[bool, str]:
    base = current["BASE_URL"]
    layout.twohost("kill", "web-a")
    try:
        before_b = access_count("web-b")
        codes = Counter()
        with httpx.Client(timeout=30) as client:
            for _ in range(20):
                codes[client.get(f"{base}/api/v1/ping").status_code] += 1
        # gunicorn writes a request's access line after its response: give the last one time.
        layout.wait_until(lambda: access_count("web-b") - before_b >= sum(codes.values()), 5)
        served_by_b = access_count("web-b") - before_b
    finally:
        layout.twohost("start", "web-a")
    up = layout.wait_until(lambda: layout.answers(hosts["a"]), 90)
    started = time.monotonic()
    before_a = access_count("web-a")

    def rejoined() -> bool:
        httpx.get(f"{base}/api/v1/ping", timeout=5)
        return access_count("web-a") > before_a

    back = up and layout.wait_until(rejoined, 60, 0.2)
    ok = codes == Counter({200: 20}) and served_by_b == 20 and back
    return ok, (
        f"web-a killed: 20 requests through nginx answered {dict(codes)}, {served_by_b} by B; "
        + (
            f"A restarted and back in nginx's rotation {time.monotonic() - started:.1f} s later"
            if back
            else "A did not rejoin"
        )
    )


def main() -> None:
    current = layout.state()
    hosts = layout.hosts(current)
    missing = [name for name in layout.PROCESSES if not current.get(layout.pid_key(name))]
    if missing or not all(layout.answers(base) for base in hosts.values()):
        raise SystemExit(f"the layout is not up ({', '.join(missing) or 'a host does not answer'})")
    layout.django_on_layout()
    checks = [
        ("rate limit of 5 across hosts", lambda: check_rate_limit(hosts)),
        ("a job runs once across workers", lambda: check_jobs(current)),
        ("session from host A on host B", lambda: check_session(hosts)),
        ("a lock across hosts: the last seat", lambda: check_lock(hosts)),
        ("nginx routes around a dead host", lambda: check_failover(current, hosts)),
    ]
    failed = 0
    for title, check in checks:
        try:
            ok, detail = check()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {title}: {detail}", flush=True)
    print(f"{len(checks) - failed} of {len(checks)} cross-host checks passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
