"""Benchmark of the results matrix at the scale of the Agrarian Pact.

Seeds a temporary SQLite database (migrate, DIVIPOLA, national entities) with one exercise in
analysis holding 108,739 contributions (bulk_create), a finished analysis (10 themes, every
contribution assigned) with one 20,000-member campaign group and 300 small ones, 10% of the
contributions with a consenting contact and a quarter already answered. Then, in-process through
Django's test client as a logged-in manager, times every matrix page variant (first, middle and
last page; each filter; median of 5 requests), the request that answers the 20,000-member
campaign (it only queues the job) and the job itself (answers, audit entries and citizen
notices). Writes the section "## Results matrix (bench/matrix.py)" of docs/benchmarks.md.

    .venv/bin/python bench/matrix.py            # full run (a few minutes)
    .venv/bin/python bench/matrix.py --quick    # 20,000 contributions; docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import fresh_site, machine, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECTION = "## Results matrix (bench/matrix.py)"
SLUG = "bench-matriz"
TARGETS = {"page_ms": 300.0, "request_s": 10.0}
CAMPAIGN = 20_000
TOPICS = [
    "vías terciarias para sacar la cosecha",
    "crédito barato del Banco Agrario",
    "acceso a la tierra y formalización",
    "agua y distritos de riego",
    "precios justos para la leche",
    "asistencia técnica en las veredas",
    "compras públicas a asociaciones campesinas",
    "conectividad rural e internet",
    "semillas certificadas y bioinsumos",
    "mujeres rurales y jóvenes del campo",
]
CHANNELS = ["web", "sms", "whatsapp", "ussd", "email", "radio", "in_person"]


def seed(total: int) -> dict:
    """Bulk-load the exercise, its analysis and contacts; returns ids the timings need."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from urna.accounts.models import Role
    from urna.accounts.services import staff_create
    from urna.contacts.models import Contact
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national
    from urna.exercises.models import Contribution, ContributionResponse, Exercise, ResponseGroup
    from urna.insights.models import Analysis, Assignment, DuplicateGroup, Theme
    from urna.territory.models import Municipality
    from urna.territory.services import divipola_load

    divipola_load()
    entities_load_national()
    owner = Entity.objects.get(acronym="MINAGRICULTURA")
    manager = staff_create(
        username="bench-gestora",
        password="a-long-bench-password",
        entity=owner,
        role=Role.MANAGER,
    )
    rng = random.Random(14)
    opens = dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.UTC)
    exercise = Exercise.objects.create(
        title="Pacto Agrario (benchmark)",
        slug=SLUG,
        summary="Consulta de prueba de rendimiento de la matriz de respuestas.",
        owner=owner,
        kind=Exercise.Kind.POLICY,
        status=Exercise.Status.ANALYSIS,
        published_at=opens,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=45),
        created_by=get_user_model().objects.get(pk=manager.pk),
    )
    places = list(Municipality.objects.values_list("code", "department_id"))
    contacts = Contact.objects.bulk_create(
        Contact(phone=f"+57300{n:07d}", consent_at=opens) for n in range(total // 10 + 1)
    )
    campaign_text = (
        "Las familias campesinas de la vereda firmantes pedimos {t}. Adjuntamos las firmas."
    )
    rows = []
    for n in range(total):
        topic = n % len(TOPICS)
        in_campaign = n < CAMPAIGN
        text = (
            campaign_text.format(t=TOPICS[0])
            if in_campaign
            else f"Propongo {TOPICS[topic]} en mi municipio ({n % 997})."
        )
        code, department = places[n % len(places)]
        rows.append(
            Contribution(
                exercise=exercise,
                kind="opinion",
                text=text,
                public_text=text,
                channel=CHANNELS[n % len(CHANNELS)],
                municipality_id=code,
                department_id=department,
                contact=contacts[n // 10] if n % 10 == 0 else None,
                created_at=opens + dt.timedelta(seconds=n * 30),
                receipt=f"UC-B{n:08d}",
            )
        )
    with transaction.atomic():
        Contribution.objects.bulk_create(rows, batch_size=5000)
    ids = list(
        Contribution.objects.filter(exercise=exercise).order_by("id").values_list("id", flat=True)
    )
    analysis = Analysis.objects.create(
        exercise=exercise, status=Analysis.Status.DONE, finished_at=opens
    )
    themes = Theme.objects.bulk_create(
        Theme(analysis=analysis, key=k, label=t, size=0) for k, t in enumerate(TOPICS)
    )
    campaign = DuplicateGroup.objects.create(
        analysis=analysis, key=0, size=CAMPAIGN, representative_id=ids[0], theme=themes[0]
    )
    small = DuplicateGroup.objects.bulk_create(
        DuplicateGroup(analysis=analysis, key=k, size=5, representative_id=ids[CAMPAIGN + k * 5])
        for k in range(1, 301)
    )
    assignments = []
    for n, pk in enumerate(ids):
        group = campaign if n < CAMPAIGN else None
        if group is None and CAMPAIGN <= n < CAMPAIGN + 1500:
            group = small[(n - CAMPAIGN) // 5]
        theme = themes[0] if n < CAMPAIGN else themes[n % len(TOPICS)]
        assignments.append(
            Assignment(analysis=analysis, contribution_id=pk, theme=theme, group=group)
        )
    with transaction.atomic():
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        answered = ResponseGroup.objects.create(
            exercise=exercise, title="Respondidos antes", decision="partial", reason="x" * 20
        )
        ContributionResponse.objects.bulk_create(
            (
                ContributionResponse(
                    contribution_id=pk, decision="partial", reason="x" * 20, group=answered
                )
                for n, pk in enumerate(ids)
                if n >= CAMPAIGN and rng.random() < 0.25
            ),
            batch_size=5000,
        )
    return {
        "manager": manager.pk,
        "exercise": exercise.pk,
        "campaign": campaign.pk,
        "theme": themes[3].pk,
        "article": None,
        "department": places[0][1],
    }


def _median_ms(client, url: str, params: dict, repeat: int = 5) -> tuple[float, int]:
    times = []
    status = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), status


def measure(total: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from urna.accounts.models import User
    from urna.jobs.services import run_pending
    from urna.messaging.models import OutboundMessage
    from urna.results.models import AnswerBatch

    started = time.perf_counter()
    ids = seed(total)
    seed_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(pk=ids["manager"]))
    url = reverse("results:matrix", args=[SLUG])
    pages = -(-total // 50)
    variants = {
        "first page": {},
        "middle page": {"pagina": pages // 2},
        "last page": {"pagina": pages},
        "theme (10%)": {"tema": ids["theme"]},
        "campaign (20,000), middle page": {"campana": ids["campaign"], "pagina": 200},
        "channel sms": {"canal": "sms"},
        "department": {"departamento": ids["department"]},
        "unanswered, last page": {"respondidos": "no", "pagina": 1000},
        "answered": {"respondidos": "si"},
        "decision partial": {"con_decision": "partial"},
        "free text": {"q": "riego"},
        "theme + channel + unanswered": {
            "tema": ids["theme"],
            "canal": "web",
            "respondidos": "no",
        },
    }
    pages_ms = {}
    for name, params in variants.items():
        ms, status = _median_ms(client, url, params)
        assert status == 200, (name, status)
        pages_ms[name] = ms
        print(f"page {name}: {ms:.0f} ms")
    answer = reverse("results:answer_many", args=[SLUG])
    started = time.perf_counter()
    response = client.post(
        answer,
        {
            "campana": ids["campaign"],
            "selection": "campaign",
            "decision": "partial",
            "reason": "Se incluirá un programa de vías terciarias en el plan plurianual.",
            "keep": "on",
        },
    )
    request_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    batch = AnswerBatch.objects.get(status="running")
    messages_before = OutboundMessage.objects.count()
    started = time.perf_counter()
    run_pending(max_jobs=1)
    job_s = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == "done" and batch.answered == CAMPAIGN, (batch.status, batch.answered)
    return {
        "total": total,
        "seed_s": seed_s,
        "pages_ms": pages_ms,
        "request_s": request_s,
        "job_s": job_s,
        "answered": batch.answered,
        "notified": batch.notified,
        "messages": OutboundMessage.objects.count() - messages_before,
        "load": os.getloadavg()[0],
    }


def write_doc(r: dict) -> None:
    worst = max(r["pages_ms"].values())
    request_met = "met" if r["request_s"] <= TARGETS["request_s"] else "NOT met"
    lines = [
        SECTION,
        "",
        f"Measured on {machine()}, {dt.date.today():%Y-%m-%d}, SQLite (WAL), in-process through",
        "Django's test client as a logged-in manager (no network, templates rendered). One",
        f"exercise of {r['total']:,} contributions, a finished analysis of 10 themes, a",
        f"{CAMPAIGN:,}-member campaign group and 300 small ones; 10% of the contributions have a",
        "consenting contact, a quarter of those outside the campaign already answered.",
        f"Seeding took {r['seed_s']:.0f} s. Page size 50; median of 5 requests each. The",
        f"machine's load average was {r['load']:.1f} at the end of the run (2 cores shared with",
        "other work), and the figures move with it.",
        "",
        "| Matrix page | ms |",
        "|---|---:|",
        *(f"| {name} | {ms:.0f} |" for name, ms in r["pages_ms"].items()),
        "",
        f"Slowest page: {worst:.0f} ms (target ≤ {TARGETS['page_ms']:.0f} ms: "
        f"{'met' if worst <= TARGETS['page_ms'] else 'NOT met'}).",
        "",
        f"Answering the {CAMPAIGN:,}-member campaign: the request (validate, count, create the",
        f"response group and queue the job) took {r['request_s']:.2f} s (target ≤ "
        f"{TARGETS['request_s']:.0f} s: {request_met});",
        f"the background job wrote {r['answered']:,} answers, as many audit entries and "
        f"{r['notified']:,} citizen notices ({r['messages']:,} queued messages) in "
        f"{r['job_s']:.1f} s, in chunks of 1,000 with its cursor committed per chunk.",
    ]
    write_section(SECTION, "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--run", type=int, metavar="TOTAL")
    args = parser.parse_args()
    if args.run:
        result = measure(args.run)
        print("RESULT " + json.dumps(result))
        return
    total = 25_000 if args.quick else 108_739
    with fresh_site(
        "urna-bench-matrix-",
        STAFF_REQUIRE_OTP="false",
        JOBS_EAGER="false",
        MESSAGING_SMS_BACKEND="file",
    ) as (python, env):
        out = subprocess.run(
            [python, __file__, "--run", str(total)],
            cwd=ROOT,
            env=env,
            check=True,
            text=True,
            stdout=subprocess.PIPE,
        ).stdout
    print(out)
    result = json.loads(out.split("RESULT ", 1)[1])
    if not args.quick:
        write_doc(result)
        print(f"wrote {SECTION!r} in docs/benchmarks.md")


if __name__ == "__main__":
    main()
