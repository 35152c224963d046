"""What a participation report shows, aggregated in SQL (never one row per contribution).

A report is public once the exercise's results are published. ``report_data`` gathers every
figure of the "Informe de participación" (the HTML page and the PDF use the same data and the
same template body); ``annual_report`` gathers a year's exercises with their figures.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.core.errors import NotFound
from urna.core.privacy import mask_personal_data
from urna.exercises.models import (
    Contribution,
    ContributionResponse,
    Decision,
    Exercise,
    ResponseGroup,
)
from urna.exercises.phases import PHASES
from urna.exercises.selectors import question_results
from urna.opendata.analysis import analysis_themes
from urna.opendata.selectors import exercise_data_modified, is_published
from urna.opendata.tables import demographic_rows
from urna.queries.selectors import sla_figures
from urna.reports.charts import bar_chart, column_chart
from urna.reports.models import ReportTakeaways

TOP_DEPARTMENTS = 15
TOP_GROUPS = 12


def _results_statuses() -> list[str]:
    return [status for status, phase in PHASES.items() if phase.shows_results]


def reportable_exercises():
    return Exercise.objects.filter(status__in=_results_statuses()).select_related(
        "owner", "department", "municipality"
    )


def report_exercise(slug: str) -> Any:
    """The exercise of a public report; NotFound unless its results are published."""
    exercise = reportable_exercises().filter(slug=slug).first()
    if exercise is None:
        raise NotFound(_("No hay un informe publicado para este ejercicio."))
    return exercise


def report_url_for(exercise: Any) -> str | None:
    if exercise.status not in _results_statuses():
        return None
    return reverse("reports:exercise", kwargs={"slug": exercise.slug})


def takeaways_of(exercise: Any) -> ReportTakeaways | None:
    return ReportTakeaways.objects.filter(exercise=exercise).first()


def report_stamp(exercise: Any) -> datetime:
    """When anything in the report last changed: the published data or the takeaways."""
    stamp = exercise_data_modified(exercise)
    takeaways = takeaways_of(exercise)
    if takeaways is not None and takeaways.updated_at > stamp:
        stamp = takeaways.updated_at
    return stamp


def _visible(exercise: Any):
    return Contribution.objects.filter(
        exercise=exercise, moderation=Contribution.Moderation.VISIBLE
    ).order_by()


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def participation_by_channel(exercise: Any) -> list[dict[str, Any]]:
    labels = dict(Contribution.Channel.choices)
    rows = list(_visible(exercise).values_list("channel").annotate(n=Count("id")).order_by("-n"))
    total = sum(n for _c, n in rows)
    return [
        {"key": c, "label": str(labels.get(c, c)), "count": n, "percent": _share(n, total)}
        for c, n in rows
    ]


def participation_by_department(exercise: Any) -> dict[str, Any]:
    """Departments ranked by contributions: the top ones, the rest summed, and those without a
    department (channels that do not ask for it)."""
    rows = list(
        _visible(exercise)
        .values_list("department_id", "department__display_name")
        .annotate(n=Count("id"))
        .order_by("-n", "department_id")
    )
    known = [(code, name, n) for code, name, n in rows if code]
    unknown = sum(n for code, _name, n in rows if not code)
    total = sum(n for _c, _name, n in rows)
    top = [
        {"code": code, "label": name, "count": n, "percent": _share(n, total)}
        for code, name, n in known[:TOP_DEPARTMENTS]
    ]
    rest = known[TOP_DEPARTMENTS:]
    return {
        "top": top,
        "others": {"departments": len(rest), "count": sum(n for *_x, n in rest)},
        "unknown": unknown,
        "reached": len(known),
        "total": total,
    }


def participation_by_day(exercise: Any) -> list[tuple[date, int]]:
    return list(
        _visible(exercise)
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )


def responses_summary(exercise: Any) -> dict[str, Any]:
    """The results matrix, summarised: decisions with shares, and the largest response groups."""
    counts = dict(
        ContributionResponse.objects.filter(
            contribution__exercise=exercise,
            contribution__moderation="visible",
        )
        .values_list("decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counts.values())
    decisions = [
        {
            "key": key,
            "label": str(label),
            "count": counts.get(key, 0),
            "percent": _share(counts.get(key, 0), total),
        }
        for key, label in Decision.choices
    ]
    labels = dict(Decision.choices)
    groups = [
        {
            "title": mask_personal_data(g.title),
            "decision": str(labels.get(g.decision, g.decision)),
            "reason": mask_personal_data(g.reason),
            "count": g.n,
        }
        for g in ResponseGroup.objects.filter(exercise=exercise)
        .annotate(n=Count("responses", filter=Q(responses__contribution__moderation="visible")))
        .order_by("-n", "id")[:TOP_GROUPS]
    ]
    return {"decisions": decisions, "answered": total, "groups": groups}


def report_data(exercise: Any) -> dict[str, Any]:
    """Everything the report shows. Aggregates only: cost grows with the number of days,
    departments and groups, not with the number of contributions beyond the SQL scans."""
    by_channel = participation_by_channel(exercise)
    by_department = participation_by_department(exercise)
    by_day = participation_by_day(exercise)
    total = sum(row["count"] for row in by_channel)
    takeaways = takeaways_of(exercise)
    questions = question_results(exercise)
    for result in questions:
        result["chart"] = bar_chart(
            [(o["label"], o["count"]) for o in result["options"]],
            title=result["question"].text,
            unit=_("respuestas"),
        )
    themes = analysis_themes(exercise)
    for theme in themes:
        theme["quotes"] = [mask_personal_data(q) for q in theme.get("quotes", [])]
    dataset_url = None
    if is_published(exercise):
        dataset_url = reverse("opendata:exercise_page", kwargs={"slug": exercise.slug})
    dept_items = [(d["label"], d["count"]) for d in by_department["top"]]
    if by_department["others"]["count"]:
        dept_items.append((_("Otros departamentos"), by_department["others"]["count"]))
    return {
        "exercise": exercise,
        "partners": [p.name for p in exercise.partners.all()],
        "topics": [t.name for t in exercise.topics.all()],
        "total": total,
        "days": len(by_day),
        "by_channel": by_channel,
        "channel_chart": bar_chart(
            [(r["label"], r["count"]) for r in by_channel],
            title=_("Aportes por canal"),
            unit=_("aportes"),
        ),
        "by_department": by_department,
        "department_chart": bar_chart(
            dept_items, title=_("Aportes por departamento"), unit=_("aportes")
        ),
        "by_day": [{"day": d, "count": n} for d, n in by_day],
        "day_chart": column_chart(by_day, title=_("Aportes por día"), unit=_("aportes")),
        "demographics": demographic_rows(exercise),
        "questions": questions,
        "themes": themes,
        "responses": responses_summary(exercise),
        "takeaways": takeaways,
        "dataset_url": dataset_url,
        "generated_at": timezone.now(),
    }


# --- annual report ---------------------------------------------------------------------------


def report_years() -> list[int]:
    years = {
        d.year
        for d in Exercise.objects.public()
        .filter(opens_at__isnull=False)
        .datetimes("opens_at", "year", tzinfo=ZoneInfo(settings.TIME_ZONE))
    }
    return sorted(years, reverse=True)


def _exercises_of_year(year: int) -> list[Any]:
    """Public exercises that opened in ``year`` (local time), in opening order."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    return list(
        Exercise.objects.public()
        .filter(opens_at__gte=start, opens_at__lt=end)
        .select_related("owner")
        .order_by("opens_at", "id")
    )


def _visible_of(ids: list[int]):
    return Contribution.objects.filter(
        exercise_id__in=ids, moderation=Contribution.Moderation.VISIBLE
    )


def _contribution_figures(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per exercise: visible contributions, and the channels and departments they came from."""
    return {
        row["exercise_id"]: row
        for row in _visible_of(ids)
        .values("exercise_id")
        .annotate(
            contributions=Count("id"),
            channels=Count("channel", distinct=True),
            departments=Count("department", distinct=True),
        )
        .order_by()
    }


def _decisions_by_exercise(ids: list[int]) -> dict[int, Counter]:
    """Per exercise: how many visible contributions got each decision."""
    decisions: dict[int, Counter] = {pk: Counter() for pk in ids}
    for exercise_id, decision, n in (
        ContributionResponse.objects.filter(
            contribution__exercise_id__in=ids, contribution__moderation="visible"
        )
        .values_list("contribution__exercise_id", "decision")
        .annotate(n=Count("id"))
        .order_by()
    ):
        decisions[exercise_id][decision] = n
    return decisions


def _annual_row(exercise: Any, figures: dict[str, Any], decisions: Counter) -> dict[str, Any]:
    answered = sum(decisions.values())
    return {
        "exercise": exercise,
        "contributions": figures.get("contributions", 0),
        "channels": figures.get("channels", 0),
        "departments": figures.get("departments", 0),
        "answered": answered,
        "accepted_percent": _share(decisions["accepted"] + decisions["partial"], answered),
        "report_url": report_url_for(exercise),
    }


def _channel_items(ids: list[int]) -> list[tuple[str, int]]:
    """(channel label, visible contributions) over the exercises, most used first."""
    channel_totals: Counter = Counter()
    for channel, n in _visible_of(ids).values_list("channel").annotate(n=Count("id")).order_by():
        channel_totals[channel] += n
    labels = dict(Contribution.Channel.choices)
    return [(str(labels.get(c, c)), n) for c, n in channel_totals.most_common()]


def annual_report(year: int) -> dict[str, Any]:
    """Every public exercise that opened in ``year``, with its figures, and the year's totals
    (and the citizen-queries response figures for the year)."""
    exercises = _exercises_of_year(year)
    ids = [e.pk for e in exercises]
    figures = _contribution_figures(ids)
    decisions = _decisions_by_exercise(ids)
    rows = [_annual_row(e, figures.get(e.pk, {}), decisions[e.pk]) for e in exercises]
    channel_items = _channel_items(ids)
    queries = sla_figures(year=year, scopes=[0]).get(0)
    return {
        "year": year,
        "rows": rows,
        "exercises": len(rows),
        "contributions": sum(r["contributions"] for r in rows),
        "with_results": sum(1 for r in rows if r["report_url"]),
        "channels": channel_items,
        "channel_chart": bar_chart(
            channel_items,
            title=_("Aportes por canal en %(year)s") % {"year": year},
            unit=_("aportes"),
        ),
        "queries": queries,
    }
