"""Answer templates: a reusable decision and reason per entity, for staff who answer."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import Decision
from urna.results.models import AnswerTemplate
from urna.results.services.answers import REASON_MIN


def _clean(title: str, decision: str, reason: str) -> dict[str, str]:
    title = text_normalise(title)[:120]
    if len(title) < 3:
        raise InvalidInput(_("Dé un título a la plantilla (mínimo 3 caracteres)."), field="title")
    if decision not in Decision.values:
        raise InvalidInput(_("Elija una decisión."), field="decision")
    reason = text_normalise(reason)
    if len(reason) < REASON_MIN:
        raise InvalidInput(
            _("Explique la razón de la decisión (mínimo 10 caracteres)."), field="reason"
        )
    return {"title": title, "decision": decision, "reason": reason}


def _save(template: AnswerTemplate, action: str, by: Any, request: Any, before=None) -> None:
    try:
        with transaction.atomic():
            template.save()
            audit_record(
                action=action,
                obj=template,
                actor=by,
                entity=template.entity,
                before=before,
                after={"title": template.title, "decision": template.decision},
                ip=client_ip(request),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Su entidad ya tiene una plantilla con ese título."), field="title"
        ) from exc


def answer_template_create(
    *, entity: Any, title: str, decision: str, reason: str, by: Any, request: Any = None
) -> AnswerTemplate:
    require(by, "contribution.respond", entity)
    template = AnswerTemplate(entity=entity, created_by=by, **_clean(title, decision, reason))
    _save(template, "answer_template.create", by, request)
    return template


def answer_template_update(
    *,
    template: AnswerTemplate,
    title: str,
    decision: str,
    reason: str,
    by: Any,
    request: Any = None,
) -> AnswerTemplate:
    require(by, "contribution.respond", template)
    before = {"title": template.title, "decision": template.decision}
    for name, value in _clean(title, decision, reason).items():
        setattr(template, name, value)
    _save(template, "answer_template.update", by, request, before=before)
    return template


def answer_template_delete(*, template: AnswerTemplate, by: Any, request: Any = None) -> None:
    require(by, "contribution.respond", template)
    with transaction.atomic():
        audit_record(
            action="answer_template.delete",
            obj=template,
            actor=by,
            entity=template.entity,
            before={"title": template.title, "decision": template.decision},
            ip=client_ip(request),
        )
        template.delete()
