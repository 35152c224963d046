"""The platform's annual indicators: reach, interaction, responses, channels, exercises and
partnerships, computed with aggregate queries from the apps that own the data."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urna.channels.selectors import channel_traffic
from urna.contacts.consent import CHANNELS as CONSENT_CHANNELS
from urna.contacts.consent import bits as consent_bits
from urna.contacts.models import Contact, Purpose
from urna.entities.models import Entity
from urna.exercises.models import Contribution, Exercise
from urna.indicators.models import IndicatorGoal
from urna.queries.selectors import sla_figures

# key → (label, unit); the order is the order of the public table.
INDICATORS: dict[str, tuple[str, str]] = {
    "exercises": (_("Ejercicios de participación abiertos en el año"), "count"),
    "contributions": (_("Aportes ciudadanos recibidos"), "count"),
    "participants": (_("Personas que participaron (con contacto o cuenta)"), "count"),
    "departments": (_("Departamentos desde los que se participó"), "count"),
    "exercises_with_results": (_("Ejercicios con resultados publicados"), "count"),
    "queries_received": (_("Consultas ciudadanas recibidas"), "count"),
    "queries_answered": (_("Consultas respondidas"), "count"),
    "queries_within_term_pct": (_("Respondidas dentro del plazo legal"), "percent"),
    "queries_median_days": (_("Mediana de días hábiles para responder"), "days"),
    "entities_national": (_("Entidades nacionales aliadas"), "count"),
    "entities_territorial": (_("Entidades territoriales aliadas"), "count"),
    "campaign_audience": (_("Contactos que reciben información (CRM)"), "count"),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    value: float | int | None
    target: Decimal | None

    @property
    def progress_pct(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return round(100 * float(self.value) / float(self.target), 1)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz),
    )


def _participation(year: int) -> dict[str, Any]:
    low, high = _year_bounds(year)
    in_year = Q(opens_at__gte=low, opens_at__lt=high)
    exercises = Exercise.objects.filter(in_year)
    contributions = Contribution.objects.filter(created_at__gte=low, created_at__lt=high)
    totals = contributions.aggregate(
        n=Count("id"),
        contacts=Count("contact", distinct=True),
        users=Count("user", distinct=True),
        departments=Count("department", distinct=True),
    )
    entity_ids = set(exercises.values_list("owner_id", flat=True)) | set(
        exercises.values_list("partners__id", flat=True)
    )
    entity_ids.discard(None)
    levels = dict(
        Entity.objects.filter(pk__in=entity_ids)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return {
        "exercises": exercises.count(),
        "exercises_with_results": Exercise.objects.filter(
            results_published_at__gte=low, results_published_at__lt=high
        ).count(),
        "contributions": totals["n"],
        "participants": totals["contacts"] + totals["users"],
        "departments": totals["departments"],
        "entities_national": levels.get(Entity.Level.NATIONAL, 0),
        "entities_territorial": levels.get(Entity.Level.TERRITORIAL, 0),
    }


def _responses(year: int) -> dict[str, Any]:
    overall = sla_figures(year=year, scopes=[0]).get(0)
    if overall is None:
        return {"queries_received": 0, "queries_answered": 0}
    return {
        "queries_received": overall.received,
        "queries_answered": overall.answered,
        "queries_within_term_pct": overall.within_term_pct,
        "queries_median_days": overall.median_days,
    }


def _reach() -> dict[str, Any]:
    """Contacts who receive the government's information on at least one channel."""
    campaigns = consent_bits([Purpose.CAMPAIGNS], CONSENT_CHANNELS)
    audience = Contact.objects.live().alias(bits=F("consents").bitand(campaigns)).exclude(bits=0)
    return {"campaign_audience": audience.count()}


def indicators_for_year(*, year: int) -> list[Indicator]:
    values = {**_participation(year), **_responses(year), **_reach()}
    goals = dict(IndicatorGoal.objects.filter(year=year).values_list("key", "target"))
    return [
        Indicator(key, str(label), unit, values.get(key), goals.get(key))
        for key, (label, unit) in INDICATORS.items()
    ]


def contributions_by_channel(*, year: int) -> list[dict[str, Any]]:
    low, high = _year_bounds(year)
    labels = dict(Contribution.Channel.choices)
    rows = (
        Contribution.objects.filter(created_at__gte=low, created_at__lt=high)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [
        {"channel": r["channel"], "label": labels.get(r["channel"], r["channel"]), "n": r["n"]}
        for r in rows
    ]


def channel_traffic_for_year(*, year: int) -> list[dict[str, Any]]:
    """Inbound and outbound messages, contributions and queries per channel over a year."""
    totals: dict[str, dict[str, int]] = {}
    for row in channel_traffic(start=date(year, 1, 1), end=date(year, 12, 31)):
        slot = totals.setdefault(
            row["channel"], {"inbound": 0, "outbound": 0, "contributions": 0, "queries": 0}
        )
        for field in slot:
            slot[field] += row[field]
    return [{"channel": channel, **figures} for channel, figures in sorted(totals.items())]


def years_available() -> list[int]:
    first = Contribution.objects.order_by("created_at").values_list("created_at", flat=True).first()
    current = timezone.localdate().year
    start = timezone.localtime(first).year if first else current
    return list(range(current, start - 1, -1))
