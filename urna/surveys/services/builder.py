"""Writing a survey: create it from an XLSForm, edit its labels, open, close and publish it.

Every change staff make is checked against their entity and written to the audit log in the
same transaction. Which status allows which action is the table ``TRANSITIONS``.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.core.errors import Conflict, InvalidInput
from urna.surveys.models import Choice, Question, Quota, Section, Survey
from urna.surveys.permissions import EDIT, require
from urna.surveys.xlsform import xlsform_read

Status = Survey.Status
# action → (statuses it is allowed from, the status it leads to)
TRANSITIONS = {
    "open": ({Status.DRAFT, Status.CLOSED}, Status.OPEN),
    "close": ({Status.OPEN}, Status.CLOSED),
}
CHANNELS = ["web", "sms", "whatsapp", "ussd", "phone"]
WEIGHTING_NAMES = {
    "department": ("departamento", "department", "dpto", "depto"),
    "age_group": ("grupo_edad", "edad_grupo", "age_group", "rango_edad"),
    "sex": ("sexo", "sex", "genero", "gender"),
}


def _slug(code: str) -> str:
    base = slugify(code)[:60] or "encuesta"
    slug, n = base, 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _weighting(spec: dict[str, Any]) -> dict[str, str]:
    names = {q["name"] for s in spec["sections"] for q in s["questions"]}
    found = {}
    for dimension, candidates in WEIGHTING_NAMES.items():
        for candidate in candidates:
            if candidate in names:
                found[dimension] = candidate
                break
    return found


def _save_form(survey: Survey, spec: dict[str, Any]) -> None:
    position = 0
    choices: list[Choice] = []
    for s_index, s in enumerate(spec["sections"]):
        section = Section.objects.create(
            survey=survey,
            position=s_index,
            name=s["name"],
            label=s["label"],
            relevant=s["relevant"],
        )
        for q in s["questions"]:
            question = Question.objects.create(
                survey=survey,
                section=section,
                position=position,
                name=q["name"],
                kind=q["kind"],
                label=q["label"],
                hint=q.get("hint", {}),
                required=q["required"],
                relevant=q["relevant"],
                constraint=q["constraint"],
                constraint_message=q.get("constraint_message", {}),
                integer=q.get("integer", True),
                minimum=q.get("minimum"),
                maximum=q.get("maximum"),
                step=q.get("step"),
                list_name=q.get("list_name", ""),
                rows=q.get("rows", []),
            )
            position += 1
            choices += [
                Choice(question=question, position=i, name=c["name"], label=c["label"])
                for i, c in enumerate(q.get("choices", []))
            ]
    Choice.objects.bulk_create(choices)


def survey_create_from_spec(*, entity: Any, spec: dict[str, Any], by: Any = None) -> Survey:
    """A draft survey from an XLSForm's spec (``urna.surveys.xlsform.xlsform_read``)."""
    names = [q["name"] for s in spec["sections"] for q in s["questions"]]
    if len(names) != len(set(names)):
        raise InvalidInput(_("Hay preguntas con el mismo nombre."), field="file")
    with transaction.atomic():
        survey = Survey.objects.create(
            entity=entity,
            slug=_slug(spec["code"]),
            code=spec["code"],
            title=spec["title"],
            languages=spec["languages"],
            version=spec.get("version", ""),
            channels=list(CHANNELS),
            weighting=_weighting(spec),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _save_form(survey, spec)
        audit_record(
            action="survey.create",
            obj=survey,
            actor=by,
            entity=entity,
            after={"code": survey.code, "questions": len(names)},
        )
    return survey


def survey_import(*, entity: Any, file: IO[bytes], filename: str, by: Any) -> Survey:
    """Staff upload an XLSForm: a draft survey of their entity."""
    require(by, EDIT, entity)
    spec = xlsform_read(file, filename=filename)
    survey = survey_create_from_spec(entity=entity, spec=spec, by=by)
    # What was left out (metadata, notes, calculations), for the page to tell staff.
    survey.import_warnings = list(spec.get("warnings", []))
    return survey


def _audit(survey: Survey, action: str, by: Any, before: dict | None, after: dict) -> None:
    audit_record(
        action=action, obj=survey, actor=by, entity=survey.entity, before=before, after=after
    )


def survey_transition(*, survey: Survey, action: str, by: Any, system: bool = False) -> Survey:
    """Open or close a survey (the table ``TRANSITIONS``); ``system``: the demo loader, no
    staff member."""
    if not system:
        require(by, EDIT, survey)
    allowed, target = TRANSITIONS[action]
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status not in allowed:
            raise Conflict(
                _("La encuesta no se puede %(action)s en su estado actual.")
                % {"action": _("abrir") if action == "open" else _("cerrar")}
            )
        before = survey.status
        survey.status = target
        fields = ["status", "updated_at"]
        if action == "open":
            survey.opened_at, survey.closed_at = timezone.now(), None
            fields += ["opened_at", "closed_at"]
        else:
            survey.closed_at = timezone.now()
            fields.append("closed_at")
        survey.save(update_fields=fields)
        _audit(survey, f"survey.{action}", by, {"status": before}, {"status": target})
    return survey


def survey_publish(*, survey: Survey, published: bool, by: Any) -> Survey:
    """Make the results page public (or staff-only again)."""
    require(by, EDIT, survey)
    with transaction.atomic():
        before = survey.published
        survey.published = published
        survey.save(update_fields=["published", "updated_at"])
        _audit(survey, "survey.publish", by, {"published": before}, {"published": published})
    return survey


def _relabel(obj: Any, language: str, text: str) -> bool:
    text = text.strip()[:500]
    if not text or obj.label.get(language) == text:
        return False
    obj.label = {**obj.label, language: text}
    obj.save(update_fields=["label"])
    return True


def survey_labels_update(
    *,
    survey: Survey,
    language: str,
    labels: dict[str, str],
    by: Any,
    choices: dict[tuple[str, str], str] | None = None,
    title: str = "",
) -> Survey:
    """Set the ``language`` label of questions by name, of choices by (question, choice) and the
    title (a translation, a typo fixed); "" leaves a label as it is."""
    require(by, EDIT, survey)
    if language not in survey.languages:
        raise InvalidInput(_("Idioma no disponible en esta encuesta."), field="language")
    choices = choices or {}
    with transaction.atomic():
        changed = [
            q.name
            for q in Question.objects.filter(survey=survey, name__in=labels)
            if _relabel(q, language, labels[q.name])
        ]
        changed += [
            f"{c.question.name}/{c.name}"
            for c in Choice.objects.filter(
                question__survey=survey, question__name__in={q for q, _c in choices}
            ).select_related("question")
            if (c.question.name, c.name) in choices
            and _relabel(c, language, choices[(c.question.name, c.name)])
        ]
        title = title.strip()[:200]
        if title and survey.title.get(language) != title:
            survey.title = {**survey.title, language: title}
            changed.append("title")
        if changed:
            survey.save(update_fields=["title", "updated_at"])
            _audit(
                survey,
                "survey.labels",
                by,
                None,
                {"language": language, "changed": sorted(changed)},
            )
    return survey


def survey_weighting_set(
    *,
    survey: Survey,
    margin_set: Any,
    quotas: dict[tuple[str, str], int],
    by: Any,
    system: bool = False,
) -> Survey:
    """The margins a survey is raked to and its quota targets ((dimension, category) → n)."""
    if not system:
        require(by, EDIT, survey)
    with transaction.atomic():
        survey.margin_set = margin_set
        survey.save(update_fields=["margin_set", "updated_at"])
        Quota.objects.filter(survey=survey).delete()
        Quota.objects.bulk_create(
            Quota(survey=survey, dimension=d, category=c, target=n) for (d, c), n in quotas.items()
        )
        _audit(
            survey,
            "survey.weighting",
            by,
            None,
            {"margin_set": getattr(margin_set, "pk", None), "quotas": len(quotas)},
        )
    return survey
