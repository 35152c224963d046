"""Processing a USSD step that submits something (inline in the request, or by the drain)."""

from dataclasses import replace

from django.utils.translation import gettext as _

from urna.channels import intake
from urna.channels.addresses import contact_for
from urna.channels.models import InboundMessage
from urna.channels.registry import Outcome
from urna.channels.ussd.deliberation import options, ussd_deliberation_step
from urna.channels.ussd.menu import Screen, fit, walk
from urna.channels.ussd.surveys import ussd_survey_submit
from urna.core.channels import Channel
from urna.core.errors import DomainError

Result = InboundMessage.Result


def _end(text: str) -> str:
    return Screen(fit(text, []), end=True).response


def ussd_handle(message: InboundMessage) -> Outcome:
    screen = walk(message.body)
    action = screen.action
    if action is None or action.kind == "status":
        reply = _end(action.text) if action else screen.response
        return Outcome(reply=reply, result=Result.STATUS if action else Result.MENU)
    if action.kind == "deliberation":
        text, end, outcome = ussd_deliberation_step(message, action.exercise_id, action.choice)
        screen = Screen(fit(text, [] if end else options()), end=end)
        return replace(outcome, reply=screen.response)
    if action.kind == "survey":
        text, outcome = ussd_survey_submit(message, action.text.split("*"))
        return replace(outcome, reply=_end(text))
    key = intake.idempotency_key(message.provider, message.provider_message_id)
    try:
        if action.kind == "query" and not action.exercise_id:
            result = intake.ask(
                text=action.text, channel=Channel.USSD, key=key, contact=contact_for(message)
            )
            receipt, kind = result.query.receipt, Result.QUERY
        else:
            # Inside an exercise, a question to the government is a contribution of kind
            # "question", as on the web (the exercises app hands it to the queries workflow).
            result = intake.contribute(
                exercise_id=action.exercise_id,
                kind="question" if action.kind == "query" else action.kind,
                text=action.text,
                channel=Channel.USSD,
                key=key,
                contact=contact_for(message),
                question_id=action.question_id,
                choice=action.choice or None,
            )
            receipt, kind = result.contribution.receipt, Result.CONTRIBUTION
    except DomainError as error:
        return Outcome(reply=_end(error.message), result=Result.REJECTED)
    reply = _end(
        _("Gracias. Su recibo: %(receipt)s. Consultelo en la opcion 3 o en la web de Urna.")
        % {"receipt": receipt}
    )
    return Outcome(reply=reply, result=kind, receipt=receipt)
