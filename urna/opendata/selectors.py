"""Which datasets exist, and when their data last changed.

The rule, in one place: an exercise has a public dataset when its phase shows results (see
``urna.exercises.phases``), or when it is open or in analysis and its entity opted into a
preliminary edition (``DatasetSettings.preliminary``); a perception survey has one once its
entity publishes its results (``Survey.published``, never a draft). Nothing else is ever
published: every view, the catalogue, the data package, the ZIP and the CKAN and Socrata
commands ask these selectors.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for
from urna.core.errors import NotFound
from urna.entities.models import Entity
from urna.entities.services import platform_entity
from urna.exercises.models import Contribution, Exercise
from urna.exercises.phases import PHASES
from urna.opendata.analysis import analyses_modified, analysis_modified
from urna.opendata.datasets import EXERCISE, QUERIES, SURVEY, Dataset, local_date
from urna.opendata.models import DatasetSettings
from urna.opendata.platform_tables import published_queries, query_tables
from urna.opendata.survey_tables import survey_tables
from urna.opendata.tables import exercise_tables
from urna.queries.models import QueryStat
from urna.surveys.models import Response, Survey

STAMP_SECONDS = 60
QUERIES_IDENTIFIER = "urna-pqrsd"


def _results_statuses() -> list[str]:
    return [status for status, phase in PHASES.items() if phase.shows_results]


def _preliminary_statuses() -> list[str]:
    return [Exercise.Status.OPEN, Exercise.Status.ANALYSIS]


def published_exercises() -> QuerySet:
    """Exercises with a public dataset, newest results first, with what their metadata needs."""
    return (
        Exercise.objects.filter(
            Q(status__in=_results_statuses())
            | Q(status__in=_preliminary_statuses(), dataset_settings__preliminary=True)
        )
        .select_related(
            "owner", "department", "municipality__department", "dataset_settings", "deliberation"
        )
        # Long texts are not metadata: leave them in the database.
        .defer("body", "body_html", "results_summary", "short_period_justification")
        .prefetch_related(
            "topics", Prefetch("partners", queryset=Entity.objects.only("id", "name"))
        )
        .order_by("-results_published_at", "-opens_at", "-id")
    )


def is_published(exercise: Any) -> bool:
    return published_exercises().filter(pk=exercise.pk).exists()


def _settings_of(exercise: Any) -> DatasetSettings | None:
    try:
        return exercise.dataset_settings
    except DatasetSettings.DoesNotExist:
        return None


def is_preliminary(exercise: Any) -> bool:
    return exercise.status not in _results_statuses()


def _base_stamp(exercise: Any) -> datetime:
    """The exercise's own changes: phase, texts, publication, open-data settings."""
    stamps = [exercise.updated_at, exercise.results_published_at, analysis_modified(exercise)]
    settings_row = _settings_of(exercise)
    if settings_row is not None:
        stamps.append(settings_row.updated_at)
    return max(s for s in stamps if s is not None)


def exercise_data_modified(exercise: Any) -> datetime:
    """When anything published about the exercise last changed: the exercise itself, its
    moderation and answers and, in a preliminary edition, new contributions. Cached a minute
    (the aggregate reads the exercise's contributions), keyed by the exercise's own stamp."""
    base = _base_stamp(exercise)
    key = f"opendata:stamp:{exercise.pk}:{base.timestamp()}"
    stamp = cache.get(key)
    if stamp is None:
        aggregates = {"moderated": Max("moderated_at"), "answered": Max("response__responded_at")}
        if is_preliminary(exercise):
            aggregates["created"] = Max("created_at")
        found = Contribution.objects.filter(exercise=exercise).aggregate(**aggregates)
        stamp = max([base, *(v for v in found.values() if v is not None)])
        cache.set(key, stamp, STAMP_SECONDS)
    return stamp


def _spatial(exercise: Any) -> str:
    if exercise.scope == Exercise.Scope.MUNICIPALITY and exercise.municipality_id:
        m = exercise.municipality
        return f"{m.display_name}, {m.department.display_name}, Colombia"
    if exercise.scope == Exercise.Scope.DEPARTMENT and exercise.department_id:
        return f"{exercise.department.display_name}, Colombia"
    return "Colombia"


def _labels() -> dict[str, Any]:
    """The translated words of exercise datasets, looked up once per list of datasets."""
    return {
        "title": _("Participación: %(title)s"),
        "preliminary_title": _("%(title)s (edición preliminar)"),
        "preliminary_description": _(
            "%(summary)s Edición preliminar: el ejercicio sigue en curso y los datos cambian."
        ),
        "participation": _("participación ciudadana"),
        "kinds": {key: str(label) for key, label in Exercise.Kind.choices},
    }


def exercise_dataset(
    exercise: Any, *, modified: datetime | None = None, labels: dict[str, Any] | None = None
) -> Dataset:
    """The dataset of an exercise (call only for a published one: see ``dataset_for_slug``)."""
    labels = labels or _labels()
    preliminary = is_preliminary(exercise)
    title = labels["title"] % {"title": exercise.title}
    description = exercise.summary
    if preliminary:
        title = labels["preliminary_title"] % {"title": title}
        description = labels["preliminary_description"] % {"summary": exercise.summary}
    topics = [t.name for t in exercise.topics.all()]
    keywords = [
        *topics,
        labels["kinds"].get(exercise.kind, exercise.kind),
        labels["participation"],
        exercise.owner.acronym,
    ]
    start = local_date(exercise.opens_at or exercise.published_at)
    end = local_date(exercise.closes_at) if not preliminary else timezone.localdate()
    return Dataset(
        kind=EXERCISE,
        identifier=f"urna-ejercicio-{exercise.slug}",
        title=title,
        description=description,
        keywords=list(dict.fromkeys(k for k in keywords if k)),
        publisher=exercise.owner.name,
        publisher_acronym=exercise.owner.acronym,
        partners=[p.name for p in exercise.partners.all()],
        spatial=_spatial(exercise),
        temporal=(start, end),
        modified=modified or exercise_data_modified(exercise),
        issued=exercise.results_published_at or exercise.opens_at,
        preliminary=preliminary,
        tables=exercise_tables(exercise),
        exercise=exercise,
    )


def dataset_for_slug(slug: str) -> Dataset:
    """An exercise's public dataset; NotFound when there is none (unknown, draft, unpublished
    results without a preliminary edition) — the same answer in every case."""
    exercise = published_exercises().filter(slug=slug).first()
    if exercise is None:
        raise NotFound(_("No hay datos abiertos publicados para este ejercicio."))
    return exercise_dataset(exercise)


def queries_modified() -> datetime | None:
    last_query = published_queries().aggregate(m=Max("updated_at"))["m"]
    last_stat = QueryStat.objects.aggregate(m=Max("month"))["m"]
    stamps = [last_query]
    if last_stat is not None:
        stamps.append(timezone.make_aware(datetime.combine(last_stat, datetime.min.time())))
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def queries_dataset() -> Dataset:
    """The platform's dataset of citizen queries; NotFound until there is something in it."""
    modified = queries_modified()
    if modified is None:
        raise NotFound(_("Todavía no hay consultas ciudadanas publicadas."))
    first = published_queries().order_by("filed_at").values_list("filed_at", flat=True).first()
    try:
        platform = platform_entity()
    except Exception:  # noqa: BLE001 - a deployment without the platform entity still publishes
        platform = None
    return Dataset(
        kind=QUERIES,
        identifier=QUERIES_IDENTIFIER,
        title=_("Consultas ciudadanas (PQRSD) y tiempos de respuesta"),
        description=_(
            "Peticiones, quejas, reclamos, sugerencias y denuncias respondidas por las entidades "
            "y publicadas con autorización, y el cumplimiento de los términos legales de "
            "respuesta por entidad."
        ),
        keywords=[_("PQRSD"), _("peticiones"), _("tiempos de respuesta"), _("transparencia")],
        publisher=platform.name if platform else "Urna",
        publisher_acronym=platform.acronym if platform else "URNA",
        spatial="Colombia",
        temporal=(local_date(first), timezone.localdate()),
        modified=modified,
        tables=query_tables(),
    )


def published_surveys() -> QuerySet:
    """Surveys with a public dataset (results published by their entity), newest first."""
    return (
        Survey.objects.filter(published=True)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("entity", "result")
        .order_by("-closed_at", "-opened_at", "-id")
    )


def _survey_modified(survey: Any, *, responses: bool) -> datetime:
    """The survey's own changes and its last results; with ``responses`` its last complete
    response too (the microdata is read live: an open survey's changes with every answer)."""
    result = getattr(survey, "result", None)
    stamps = [survey.updated_at, result.computed_at if result is not None else None]
    if responses:
        found = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).aggregate(
            completed=Max("completed_at"), updated=Max("updated_at")
        )
        stamps += found.values()
    return max(s for s in stamps if s is not None)


def survey_dataset(survey: Any, *, listing: bool = False) -> Dataset:
    """The dataset of a published survey; ``listing`` for a catalogue (no query per survey:
    see ``survey_tables``)."""
    return Dataset(
        kind=SURVEY,
        identifier=f"urna-encuesta-{survey.slug}",
        title=_("Encuesta de percepción: %(title)s") % {"title": survey.label},
        description=_(
            "Encuesta de percepción: microdatos anonimizados y estimaciones ponderadas con "
            "margen de error."
        ),
        keywords=[
            k
            for k in (_("encuestas"), _("percepción"), _("microdatos"), survey.entity.acronym)
            if k
        ],
        publisher=survey.entity.name,
        publisher_acronym=survey.entity.acronym,
        spatial="Colombia",
        temporal=(local_date(survey.opened_at), local_date(survey.closed_at)),
        modified=_survey_modified(survey, responses=not listing),
        issued=survey.opened_at,
        # Published while still open: the microdata grows with every answer.
        preliminary=survey.status == Survey.Status.OPEN,
        tables=survey_tables(survey, listing=listing),
        survey=survey,
    )


def survey_dataset_for_slug(slug: str) -> Dataset:
    """A survey's public dataset; NotFound when there is none (unknown, draft, unpublished)."""
    survey = published_surveys().filter(slug=slug).first()
    if survey is None:
        raise NotFound(_("La encuesta no existe o sus resultados no están publicados."))
    return survey_dataset(survey)


def _surveys_version() -> list[Any]:
    row = (
        published_surveys()
        .order_by()
        .aggregate(
            n=Count("id"),
            ids=Max("id"),
            updated=Max("updated_at"),
            computed=Max("result__computed_at"),
        )
    )
    return [row["n"], row["ids"], row["updated"], row["computed"]]


def catalog_version() -> tuple[str, datetime | None]:
    """What the catalogue is a function of, in a few aggregate queries: (version, modified)."""
    row = (
        published_exercises()
        .order_by()
        .aggregate(
            n=Count("id"),
            ids=Max("id"),
            updated=Max("updated_at"),
            results=Max("results_published_at"),
            settings=Max("dataset_settings__updated_at"),
        )
    )
    stamps = [
        row["updated"],
        row["results"],
        row["settings"],
        analyses_modified(published_exercises()),
        queries_modified(),
    ]
    surveys = _surveys_version()
    stamps += surveys[2:]
    version = "|".join(str(v) for v in (row["n"], row["ids"], *surveys[:2], *stamps))
    known = [s for s in stamps if s is not None]
    return version, (max(known) if known else None)


def datasets_public() -> list[Dataset]:
    """Every public dataset (the catalogue): exercises' datasets, then the surveys', then the
    queries dataset.

    The catalogue's ``modified`` of an exercise is its own stamp (phase, publication,
    settings): after results are published answers cannot change, and reading every
    exercise's contributions for a moderation date would make the catalogue as slow as the
    data. A download's Last-Modified adds moderation and answers (``exercise_data_modified``).
    """
    labels = _labels()
    datasets = [
        exercise_dataset(exercise, modified=_base_stamp(exercise), labels=labels)
        for exercise in published_exercises()
    ]
    datasets += [survey_dataset(survey, listing=True) for survey in published_surveys()]
    with contextlib.suppress(NotFound):
        datasets.append(queries_dataset())
    return datasets


def exercises_for_staff(user: Any) -> QuerySet:
    """Exercises whose open-data settings the user may change."""
    return (
        Exercise.objects.public()
        .for_entities(entity_ids_for(user, "opendata.publish"))
        .select_related("owner", "dataset_settings")
        .order_by("-id")
    )
