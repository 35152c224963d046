"""Demo registry: example accounts of the demo entities across networks, each with a figure for
every complete month since January of last year, so the indicators show the demo's two years
(last year and this one, like the other apps' demo data) of accounts tracked, active and
followers, and no earlier year.

Every account is marked ``is_example`` and its handle ends in "demo": none is a real account, and
the directory labels each one "Ejemplo". A few are quiet (no posts in the last months), a few are
not verified, one closed this year and one waits for review, so the advice page has something
to say. Idempotent: a second run finds every account and figure and changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from urna.audit.services import audit_record_many
from urna.entities.models import Entity
from urna.socialaccounts.models import SocialAccount, SocialFigure
from urna.socialaccounts.services import account_create

MONTHS = 24
# (entity acronym, network, handle, verified, followers at the first figure, state)
# state: "" active, "quiet" (no posts in the last 5 months), "closed" (closed this year),
# "pending" (waiting for review).
DEMO_ACCOUNTS = [
    ("PRESIDENCIA", "facebook", "presidencia.demo", True, 2_400_000, ""),
    ("PRESIDENCIA", "x", "presidencia_dm", True, 3_100_000, ""),
    ("PRESIDENCIA", "instagram", "presidencia.demo", True, 1_200_000, ""),
    ("PRESIDENCIA", "youtube", "presidencia-demo", True, 310_000, ""),
    ("MINAGRICULTURA", "facebook", "minagricultura.demo", True, 210_000, ""),
    ("MINAGRICULTURA", "x", "minagro_demo", True, 380_000, ""),
    ("MINAGRICULTURA", "instagram", "minagricultura.demo", False, 95_000, ""),
    ("MINAGRICULTURA", "youtube", "minagricultura-demo", True, 41_000, "quiet"),
    ("MINAGRICULTURA", "tiktok", "minagro_demo", False, 12_000, ""),
    ("MINEDUCACION", "facebook", "mineducacion.demo", True, 640_000, ""),
    ("MINEDUCACION", "x", "mineduc_demo", True, 1_050_000, ""),
    ("MINEDUCACION", "instagram", "mineducacion.demo", True, 330_000, ""),
    ("MINEDUCACION", "whatsapp", "0029VaDemoMinEducacion01", False, 18_000, ""),
    ("MINSALUD", "facebook", "minsalud.demo", True, 890_000, ""),
    ("MINSALUD", "x", "minsalud_demo", True, 1_400_000, ""),
    ("MINSALUD", "telegram", "minsalud_demo", False, 22_000, "quiet"),
    ("MINTIC", "x", "mintic_demo", True, 720_000, ""),
    ("MINTIC", "linkedin", "mintic-demo", False, 150_000, ""),
    ("MINTIC", "youtube", "mintic-demo", True, 88_000, ""),
    ("DNP", "x", "dnp_demo", True, 260_000, ""),
    ("DNP", "flickr", "dnp-demo", False, 1_900, "quiet"),
    ("FUNCIONPUBLICA", "x", "funcionp_demo", True, 150_000, ""),
    ("FUNCIONPUBLICA", "facebook", "funcionpublica.demo", False, 70_000, "closed"),
    ("GOB-17", "facebook", "gobcaldas.demo", True, 160_000, ""),
    ("GOB-17", "x", "gobcaldas_demo", True, 98_000, ""),
    ("GOB-17", "instagram", "gobcaldas.demo", False, 54_000, ""),
    ("GOB-17", "tiktok", "gobcaldas_demo", False, 8_000, "pending"),
    ("ALC-17001", "facebook", "alcmanizales.demo", True, 120_000, ""),
    ("ALC-17001", "x", "manizales_demo", True, 85_000, ""),
    ("ALC-17001", "instagram", "alcmanizales.demo", False, 61_000, "quiet"),
    ("ALC-05001", "x", "medellin_demo", True, 930_000, ""),
    ("ALC-05001", "instagram", "alcmedellin.demo", True, 510_000, ""),
    ("ALC-11001", "x", "bogota_demo", True, 2_050_000, ""),
    ("ALC-11001", "youtube", "bogota-demo", True, 140_000, ""),
]
STATUS = {
    "": SocialAccount.Status.ACTIVE,
    "quiet": SocialAccount.Status.DORMANT,
    "closed": SocialAccount.Status.CLOSED,
    "pending": SocialAccount.Status.PENDING,
}


def month_ends(today: date, months: int = MONTHS) -> list[date]:
    """The last day of each of the ``months`` complete months before ``today``, oldest first."""
    ends = []
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def demo_figures(account: SocialAccount, start: int, state: str, days: list[date]) -> list:
    """Monthly figures that grow 0.5-3 % a month, with 4-60 posts (none for the last five
    months of a quiet account), the same on every run."""
    rng = random.Random(f"{account.network}:{account.handle}")  # noqa: S311 - demo data
    followers, figures = start, []
    for index, day in enumerate(days):
        followers = int(followers * (1 + rng.uniform(0.005, 0.03)))
        quiet = state == "quiet" and index >= len(days) - 5
        posts = 0 if quiet else rng.randint(4, 60)
        figures.append(
            SocialFigure(
                account=account,
                date=day,
                followers=followers,
                posts=posts,
                source=SocialFigure.Source.CSV,
            )
        )
    return figures


@transaction.atomic
def demo_load(*, stdout) -> None:
    today = timezone.localdate()
    days = month_ends(today, 12 + today.month - 1)  # January of last year onwards
    entities = {
        e.acronym: e for e in Entity.objects.filter(acronym__in={r[0] for r in DEMO_ACCOUNTS})
    }
    created = figures_created = 0
    for acronym, network, handle, verified, start, state in DEMO_ACCOUNTS:
        entity = entities.get(acronym)
        if entity is None:
            continue
        account = SocialAccount.objects.filter(network=network, handle=handle).first()
        if account is None:
            account = account_create(
                by=None,
                entity=entity,
                network=network,
                handle=handle,
                name=f"{entity.name} (ejemplo)",
                verified=verified,
                status=STATUS[state],
                listed_on=days[0].replace(day=1),
                is_example=True,
            )
            if state == "closed":
                account.closed_on = min(today, today.replace(month=1, day=15))
                account.save(update_fields=["closed_on"])
            created += 1
        stored = set(account.figures.values_list("date", flat=True))
        closed_on = account.closed_on or today
        new = [
            f
            for f in demo_figures(account, start, state, days)
            if f.date not in stored and f.date < closed_on
        ]
        SocialFigure.objects.bulk_create(new)
        audit_record_many(
            action="socialfigure.record",
            entries=[
                (f, None, {"date": f.date.isoformat(), "followers": f.followers}) for f in new
            ],
            actor_label="system:demo",
        )
        figures_created += len(new)
    stdout.write(f"socialaccounts: {created} example accounts, {figures_created} figures")
