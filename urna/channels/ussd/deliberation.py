"""The USSD menu's "5 Deliberación": a deliberation's statements, one a screen.

After ``5`` come the deliberation's number in the list, then one input per screen: 1 (de
acuerdo), 2 (en desacuerdo) or 3 (paso) on the statement shown, ``0`` back to the list (and from
the list to the menu). The path is replayed on every step like the rest of the menu
(``urna.channels.ussd.menu``), so only its last input acts: once a deliberation is chosen each
step is an action the handler runs (``ussd_deliberation_step``), which casts the vote on the
statement last shown to the number's participant and shows the next. A provider's retry of a
step is answered from the stored step, so a vote is never cast twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from urna.channels.deliberation import finished_text, participant_for, statement_screen, vote_step
from urna.channels.models import InboundMessage
from urna.channels.registry import Outcome
from urna.channels.text import clip, plain
from urna.core.channels import Channel
from urna.deliberation import services
from urna.deliberation.models import Deliberation
from urna.deliberation.selectors import deliberations_open

BACK = "0"
LIST_SIZE = 5
# Room for the statement on a 182-character screen after its number and the four options.
STATEMENT_ROOM = 110
Result = InboundMessage.Result


@dataclass(frozen=True)
class DeliberationScreen:
    header: str
    lines: list[str] = field(default_factory=list)
    deliberation_id: int | None = None
    vote: str = ""  # the last input, a vote on the statement shown ('' right after choosing)


@dataclass(frozen=True)
class Back:
    """``0`` on the list: the menu goes on from its top with the inputs left."""

    rest: list[str]


def _list_screen(hint: str = "") -> DeliberationScreen:
    found = deliberations_open(LIST_SIZE)
    if not found:
        return DeliberationScreen(_("No hay deliberaciones abiertas ahora."), [_("0 Atrás")])
    lines = [f"{n} {clip(plain(d.exercise.title), 36)}" for n, d in enumerate(found, 1)]
    header = f"{hint} {_('Deliberaciones abiertas:')}".strip()
    return DeliberationScreen(header, [*lines, _("0 Atrás")])


def deliberation_walk(inputs: list[str]) -> DeliberationScreen | Back:
    """The screen for the inputs after the menu's ``5``: the list, or the chosen deliberation
    with the last input to cast (``deliberation_id`` set)."""
    chosen, hint, vote = None, "", ""
    for position, raw in enumerate(inputs):
        token = raw.strip()
        if chosen is None:
            if token == BACK:
                return Back(inputs[position + 1 :])
            found = deliberations_open(LIST_SIZE)
            if token.isdigit() and 1 <= int(token) <= len(found):
                chosen, hint, vote = found[int(token) - 1].pk, "", ""
            else:
                hint = _("Opción no válida.")
            continue
        if token == BACK:
            chosen = None
            continue
        vote = token
    if chosen is None:
        return _list_screen(hint)
    return DeliberationScreen("", deliberation_id=chosen, vote=vote)


def options() -> list[str]:
    return [_("1 De acuerdo"), _("2 En desacuerdo"), _("3 Paso"), _("0 Atrás")]


def ussd_deliberation_step(
    message: InboundMessage, deliberation_id: int, vote: str
) -> tuple[str, bool, Outcome]:
    """Cast the step's vote (if any) and show the next statement: (the screen's text, whether
    the session ends, the outcome)."""
    deliberation = Deliberation.objects.select_related("exercise").filter(pk=deliberation_id)
    deliberation = deliberation.first()
    participant = participant_for(deliberation, message) if deliberation else None
    if participant is None or not services.deliberation_accepts_votes(deliberation):
        text = _("Esta deliberación está cerrada: no recibe votos ni afirmaciones.")
        return text, True, Outcome(result=Result.REJECTED)
    refused = vote_step(participant, vote, Channel.USSD) if vote else ""
    statement = services.statement_show(participant)
    result = Result.REJECTED if refused else Result.MENU
    if statement is None:
        return f"{refused} {finished_text()}".strip(), True, Outcome(result=result)
    header = statement_screen(participant, statement, STATEMENT_ROOM)
    return f"{refused} {header}".strip(), False, Outcome(result=result)
