"""The plain-language page of an exercise ("¿Qué cambia para usted?"), written by staff of the
exercise's entities who may edit it, sanitised like every text staff write (Markdown through
nh3), published when they say so, and every change in the audit log."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core.errors import InvalidInput
from urna.core.text import text_normalise
from urna.exercises.models import Exercise
from urna.exercises.models_explainer import EXPLAINER_SECTIONS, ExerciseExplainer
from urna.exercises.services.content import markdown_render

SECTION_MAX = 3000


@transaction.atomic
def explainer_save(
    *,
    exercise: Exercise,
    by: Any,
    summary: str,
    what_changes: str,
    for_whom: str = "",
    from_when: str = "",
    what_you_can_do: str = "",
    publish: bool = False,
    request: Any = None,
) -> ExerciseExplainer:
    """Create or correct the exercise's plain-language page; ``publish`` says whether it is
    public (its first publication date is kept while it stays so)."""
    require(by, "exercise.edit", exercise)
    summary = text_normalise(summary).strip()
    if len(summary) < 10:
        raise InvalidInput(
            _("Resuma en una frase (al menos 10 caracteres) qué cambia."), field="summary"
        )
    texts = {
        "what_changes": what_changes,
        "for_whom": for_whom,
        "from_when": from_when,
        "what_you_can_do": what_you_can_do,
    }
    texts = {name: text_normalise(value or "").strip() for name, value in texts.items()}
    if not texts["what_changes"]:
        raise InvalidInput(_("Escriba qué cambia."), field="what_changes")
    for name, _heading in EXPLAINER_SECTIONS:
        if len(texts[name]) > SECTION_MAX:
            raise InvalidInput(
                _("Cada sección admite hasta %(n)s caracteres: sea breve.") % {"n": SECTION_MAX},
                field=name,
            )
    explainer = ExerciseExplainer.objects.filter(exercise=exercise).first()
    created = explainer is None
    explainer = explainer or ExerciseExplainer(exercise=exercise)
    changed = [n for n, v in texts.items() if getattr(explainer, n) != v]
    if explainer.summary != summary:
        changed.insert(0, "summary")
    explainer.summary = summary
    for name, value in texts.items():
        setattr(explainer, name, value)
        setattr(explainer, f"{name}_html", markdown_render(value))
    if not publish:
        explainer.published_at = None
    elif explainer.published_at is None:
        explainer.published_at = timezone.now()
    explainer.updated_by = by
    explainer.save()
    audit_record(
        action="exercise.explainer_create" if created else "exercise.explainer_edit",
        obj=exercise,
        actor=by,
        entity=exercise.owner,
        after={"changed": changed, "published": explainer.published_at is not None},
        ip=client_ip(request),
    )
    return explainer
