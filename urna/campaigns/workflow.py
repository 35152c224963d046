"""The campaign's workflow as one table: which action is allowed in which status, the status it
leads to and the permission it needs. Services, views and templates read it; none restates it.

draft → submitted (for approval) → approved → scheduled → sending ⇄ paused → sent; cancelled from
any status before sent. Changing the content of a submitted, approved or scheduled campaign
sends it back to draft (``EDITABLE``). ``start`` and ``finish`` are the system's (the start job,
the watcher job), never a person's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from urna.campaigns.models import Campaign

S = Campaign.Status


@dataclass(frozen=True)
class Transition:
    source: frozenset[str]
    target: str
    permission: str | None  # None: only the system runs it
    label: str
    done: str  # the message shown once it happened


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({S.DRAFT}),
        S.SUBMITTED,
        "campaign.send",
        _("Enviar a aprobación"),
        _("Campaña enviada a aprobación."),
    ),
    "approve": Transition(
        frozenset({S.SUBMITTED}),
        S.APPROVED,
        "campaign.approve",
        _("Aprobar"),
        _("Campaña aprobada."),
    ),
    "return": Transition(
        frozenset({S.SUBMITTED}),
        S.DRAFT,
        "campaign.approve",
        _("Devolver a borrador"),
        _("Campaña devuelta a borrador."),
    ),
    "schedule": Transition(
        frozenset({S.APPROVED}),
        S.SCHEDULED,
        "campaign.send",
        _("Programar el envío"),
        _("Envío programado."),
    ),
    "unschedule": Transition(
        frozenset({S.SCHEDULED}),
        S.APPROVED,
        "campaign.send",
        _("Quitar la programación"),
        _("Programación retirada: la campaña sigue aprobada."),
    ),
    "start": Transition(frozenset({S.SCHEDULED}), S.SENDING, None, _("Iniciar"), _("Enviando.")),
    "pause": Transition(
        frozenset({S.SENDING}), S.PAUSED, "campaign.send", _("Pausar"), _("Envío en pausa.")
    ),
    "resume": Transition(
        frozenset({S.PAUSED}), S.SENDING, "campaign.send", _("Reanudar"), _("Envío reanudado.")
    ),
    "finish": Transition(frozenset({S.SENDING}), S.SENT, None, _("Terminar"), _("Enviada.")),
    "cancel": Transition(
        frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.SENDING, S.PAUSED}),
        S.CANCELLED,
        "campaign.send",
        _("Cancelar la campaña"),
        _("Campaña cancelada."),
    ),
}

# Content may change in these statuses; a change sends the campaign back to draft.
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED})
# A test send is possible until the campaign goes out.
TESTABLE = EDITABLE
# Statuses with dispatches (metrics to show).
STARTED = frozenset({S.SENDING, S.PAUSED, S.SENT, S.CANCELLED})


def actions_for(status: str) -> list[str]:
    """The people's actions open in ``status`` (system actions left out), in table order."""
    return [
        name for name, t in TRANSITIONS.items() if status in t.source and t.permission is not None
    ]
