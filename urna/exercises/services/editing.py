"""Creating an exercise and changing its fields (its status changes only in ``transitions``)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import code_normalise, text_normalise
from urna.exercises.models import Exercise, Topic
from urna.exercises.phases import phase
from urna.exercises.services.base import exercise_touch, jsonable
from urna.exercises.services.content import markdown_render
from urna.territory.models import Department, Municipality

# Path segments under /ejercicios/ that an exercise's slug must not take.
RESERVED_SLUGS = frozenset({"gestion", "mis-aportes"})

EDITABLE_FIELDS = {
    "title",
    "summary",
    "body",
    "code",
    "kind",
    "scope",
    "department_code",
    "municipality_code",
    "opens_at",
    "closes_at",
    "results_due_at",
    "premoderation",
    "is_example",
    "support_threshold",
}
# What may still change once participation has opened: nothing citizens are commenting on.
# The support threshold may change while supports come in (it decides nothing citizens wrote).
LATE_EDITABLE_FIELDS = {"summary", "results_due_at", "results_summary", "support_threshold"}


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "ejercicio"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or (
        Exercise.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_code(code: str | None, *, exclude_pk: int | None = None) -> str | None:
    if not code:
        return None
    normalised = code_normalise(code)
    if not 2 <= len(normalised) <= 12:
        raise InvalidInput(
            _("El código corto debe tener de 2 a 12 letras o números."), field="code"
        )
    if Exercise.objects.filter(code=normalised).exclude(pk=exclude_pk).exists():
        raise InvalidInput(_("Ese código corto ya lo usa otro ejercicio."), field="code")
    return normalised


def _clean_scope(values: dict) -> None:
    scope = values.get("scope", Exercise.Scope.NATIONAL)
    if scope not in Exercise.Scope.values:
        raise InvalidInput(_("Alcance territorial no válido."), field="scope")
    department = values.pop("department_code", None) or None
    municipality = values.pop("municipality_code", None) or None
    values["department"] = values["municipality"] = None
    if scope == Exercise.Scope.MUNICIPALITY:
        found = Municipality.objects.filter(code=municipality or "").first()
        if found is None:
            raise InvalidInput(_("Indique el municipio (código DANE)."), field="municipality")
        values["municipality"] = found
        values["department_id"] = found.department_id
        values.pop("department")
    elif scope == Exercise.Scope.DEPARTMENT:
        found_department = Department.objects.filter(code=department or "").first()
        if found_department is None:
            raise InvalidInput(_("Indique el departamento (código DANE)."), field="department")
        values["department"] = found_department


def _clean_dates(values: dict) -> None:
    opens, closes, due = (
        values.get("opens_at"),
        values.get("closes_at"),
        values.get("results_due_at"),
    )
    if opens and closes and closes <= opens:
        raise InvalidInput(
            _("La fecha de cierre debe ser posterior a la de apertura."), field="closes_at"
        )
    if closes and due and due < closes:
        raise InvalidInput(
            _("La fecha prevista de resultados debe ser posterior al cierre."),
            field="results_due_at",
        )


def exercise_create(
    *,
    by: Any,
    owner: Any,
    title: str,
    summary: str,
    kind: str,
    body: str = "",
    code: str | None = None,
    slug: str | None = None,
    partners: Iterable[Any] = (),
    topics: Iterable[str] = (),
    scope: str = Exercise.Scope.NATIONAL,
    department_code: str | None = None,
    municipality_code: str | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    results_due_at: datetime | None = None,
    premoderation: bool = False,
    is_example: bool = False,
    support_threshold: int | None = None,
    request: Any = None,
) -> Exercise:
    """A new exercise, in draft, owned by an entity the user may create exercises for."""
    require(by, "exercise.create", owner)
    title, summary = text_normalise(title), text_normalise(summary)
    if len(title) < 5:
        raise InvalidInput(_("Escriba un título (mínimo 5 caracteres)."), field="title")
    if len(summary) < 10:
        raise InvalidInput(_("Escriba un resumen (mínimo 10 caracteres)."), field="summary")
    if kind not in Exercise.Kind.values:
        raise InvalidInput(_("Tipo de ejercicio no válido."), field="kind")
    values: dict[str, Any] = {
        "scope": scope,
        "department_code": department_code,
        "municipality_code": municipality_code,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "results_due_at": results_due_at,
    }
    _clean_scope(values)
    _clean_dates(values)
    with transaction.atomic():
        exercise = Exercise.objects.create(
            title=title[:200],
            slug=slug if slug and slug not in RESERVED_SLUGS else _unique_slug(title),
            code=_clean_code(code),
            summary=summary[:500],
            body=body,
            body_html=markdown_render(body),
            owner=owner,
            kind=kind,
            premoderation=premoderation,
            is_example=is_example,
            support_threshold=_clean_threshold(support_threshold),
            created_by=by if getattr(by, "is_authenticated", False) else None,
            **values,
        )
        if partners:
            exercise.partners.set(list(partners))
        if topics:
            exercise.topics.set(topics_get_or_create(topics))
        audit_record(
            action="exercise.create",
            obj=exercise,
            actor=by,
            entity=owner,
            after={"title": exercise.title, "kind": kind, "status": exercise.status},
            ip=client_ip(request),
        )
    return exercise


def topics_get_or_create(names: Iterable[str]) -> list[Topic]:
    topics = []
    for name in names:
        name = text_normalise(name)[:80]
        if name:
            topic, _created = Topic.objects.get_or_create(
                slug=slugify(name)[:80], defaults={"name": name}
            )
            topics.append(topic)
    return topics


def _clean_changes(exercise: Exercise, changes: dict[str, Any]) -> None:
    """Check and normalise the changed fields in place (``body`` adds its ``body_html``)."""
    for name in ("title", "summary", "results_summary"):
        if name in changes:
            changes[name] = text_normalise(changes[name])
    if "title" in changes and len(changes["title"]) < 5:
        raise InvalidInput(_("Escriba un título (mínimo 5 caracteres)."), field="title")
    if "summary" in changes and len(changes["summary"]) < 10:
        raise InvalidInput(_("Escriba un resumen (mínimo 10 caracteres)."), field="summary")
    if "kind" in changes and changes["kind"] not in Exercise.Kind.values:
        raise InvalidInput(_("Tipo de ejercicio no válido."), field="kind")
    if "code" in changes:
        changes["code"] = _clean_code(changes["code"], exclude_pk=exercise.pk)
    if {"scope", "department_code", "municipality_code"} & set(changes):
        changes.setdefault("scope", exercise.scope)
        _clean_scope(changes)
    dates = {
        name: changes.get(name, getattr(exercise, name))
        for name in ("opens_at", "closes_at", "results_due_at")
    }
    _clean_dates(dates)
    if "body" in changes:
        changes["body_html"] = markdown_render(changes["body"])
    if "support_threshold" in changes:
        changes["support_threshold"] = _clean_threshold(changes["support_threshold"])


def _clean_threshold(value: Any) -> int | None:
    """A support threshold: a whole number from 1, or None (no threshold)."""
    if value in (None, "", 0):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or number > 10_000_000:
        raise InvalidInput(
            _("El umbral de apoyos es un número entero de 1 a 10.000.000."),
            field="support_threshold",
        )
    return number


def exercise_update(
    *, exercise: Exercise, by: Any, request: Any = None, **changes: Any
) -> Exercise:
    """Change an exercise's fields. Once participation has opened, only the summary and the
    results texts may change: citizens are commenting on the rest."""
    require(by, "exercise.edit", exercise)
    allowed = EDITABLE_FIELDS | LATE_EDITABLE_FIELDS
    if not phase(exercise.status).editable:
        allowed = LATE_EDITABLE_FIELDS
    unknown = set(changes) - allowed - {"partners", "topics"}
    if unknown:
        raise Conflict(
            _("Este campo ya no se puede cambiar en esta fase: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    partners = changes.pop("partners", None)
    topics = changes.pop("topics", None)
    _clean_changes(exercise, changes)
    with transaction.atomic():
        before = {
            name: jsonable(getattr(exercise, name)) for name in changes if name != "body_html"
        }
        for name, value in changes.items():
            setattr(exercise, name, value)
        exercise.save()
        if partners is not None:
            exercise.partners.set(list(partners))
        if topics is not None:
            exercise.topics.set(topics_get_or_create(topics))
        audit_record(
            action="exercise.edit",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            before=before,
            after={name: jsonable(getattr(exercise, name)) for name in before},
            ip=client_ip(request),
        )
    exercise_touch(exercise)
    return exercise
