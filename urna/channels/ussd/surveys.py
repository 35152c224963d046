"""The USSD menu's "4 Encuestas": a perception survey, one question a screen, replayed from the
session's input path like the rest of the menu (``urna.channels.ussd.menu``) and answered through
the surveys app's engine.

After ``4`` come: the survey's number in the list, then one input per question. An answer the
engine refuses re-shows the question with its reason; ``0`` goes back one question (to the list
from the first), except where 0 is itself an answer (a 0–10 scale). When no relevant question is
left the path is complete: ``ussd_survey_submit`` replays it and submits the whole response,
idempotent on the session's last step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from urna.channels import intake
from urna.channels.addresses import phone_e164
from urna.channels.models import InboundMessage
from urna.channels.registry import Outcome
from urna.channels.text import clip, plain
from urna.contacts.models import Contact
from urna.core.channels import Channel
from urna.core.errors import DomainError
from urna.surveys import engine
from urna.surveys.form import Form, FormQuestion, form_of
from urna.surveys.models import Survey
from urna.surveys.selectors import surveys_open
from urna.surveys.services import response_submit

BACK = "0"
LIST_SIZE = 5
# Room for a question's options on a 182-character screen after its header.
OPTIONS_ROOM = 120
Result = InboundMessage.Result


@dataclass(frozen=True)
class SurveyScreen:
    header: str
    lines: list[str] = field(default_factory=list)
    end: bool = False
    survey_id: int | None = None
    values: tuple[tuple[str, str], ...] = ()  # set when the path answers the last question


@dataclass(frozen=True)
class Back:
    """``0`` on the survey list: the menu goes on from its top with the inputs left."""

    rest: list[str]


def _surveys() -> list[Survey]:
    return surveys_open(Channel.USSD)[:LIST_SIZE]


def _list_screen(hint: str = "") -> SurveyScreen:
    surveys = _surveys()
    if not surveys:
        return SurveyScreen(_("No hay encuestas abiertas ahora."), [_("0 Atrás")])
    lines = [f"{n} {clip(plain(s.label), 36)}" for n, s in enumerate(surveys, 1)]
    return SurveyScreen(f"{hint} {_('Encuestas abiertas:')}".strip(), [*lines, _("0 Atrás")])


def _takes_zero(question: FormQuestion) -> bool:
    low, high = question.minimum, question.maximum
    return (
        question.kind in {"number", "scale"}
        and (low is None or low <= 0)
        and (high is None or high >= 0)
    )


def _question_screen(form: Form, answers: dict, language: str, hint: str) -> SurveyScreen:
    question = engine.next_question(form, answers)
    label, options = engine.prompt_lines(form, question, language)
    done, total = engine.progress(form, answers)
    lines = [clip(plain(line), 30) for line in options]
    if sum(len(line) + 1 for line in lines) > OPTIONS_ROOM:
        lines = [_("Escriba el nombre de la opción.")]
    elif not lines:
        lines = [engine.instruction(question)]
    if not question.required:
        lines.append(_("- para omitir"))
    if not _takes_zero(question):
        lines.append(_("0 Atrás"))
    header = f"{hint} ({done + 1}/{total}) {label}".strip()
    return SurveyScreen(header, lines)


@dataclass
class _Path:
    survey: Survey | None = None
    form: Form | None = None
    typed: list[tuple[str, str, Any]] = field(default_factory=list)  # (name, raw, value)

    def answers(self) -> dict[str, Any]:
        return {name: value for name, _raw, value in self.typed}

    def pick(self, token: str) -> str:
        surveys = _surveys()
        if not token.isdigit() or not 1 <= int(token) <= len(surveys):
            return _("Opción no válida.")
        self.survey = surveys[int(token) - 1]
        self.form = form_of(self.survey)
        return ""

    def answer(self, token: str) -> str:
        answers = self.answers()
        question = engine.next_question(self.form, answers)
        if token.strip() == BACK and not _takes_zero(question):
            if self.typed:
                self.typed.pop()
            else:
                self.survey = self.form = None
            return ""
        try:
            value = engine.validate(question, token, answers=answers)
        except engine.InvalidAnswer as invalid:
            return invalid.message
        self.typed.append((question.name, token, value))
        return ""


def survey_walk(inputs: list[str]) -> SurveyScreen | Back:
    """The screen for the inputs after the menu's ``4``."""
    path, hint = _Path(), ""
    for position, token in enumerate(inputs):
        if path.survey is None:
            if token.strip() == BACK:
                return Back(inputs[position + 1 :])
            hint = path.pick(token)
            continue
        hint = path.answer(token)
        if path.survey is not None and engine.next_question(path.form, path.answers()) is None:
            if position != len(inputs) - 1:
                return SurveyScreen(_("Sesión no válida. Marque de nuevo."), end=True)
            values = tuple((name, raw) for name, raw, _value in path.typed)
            return SurveyScreen("", end=True, survey_id=path.survey.pk, values=values)
    if path.survey is None:
        return _list_screen(hint)
    language = path.survey.languages[0]
    return _question_screen(path.form, path.answers(), language, hint)


def ussd_survey_submit(message: InboundMessage, inputs: list[str]) -> tuple[str, Outcome]:
    """Submit the response a complete path answers: (the closing text, the outcome)."""
    screen = survey_walk(inputs)
    if isinstance(screen, Back) or screen.survey_id is None:
        return _("Sesión no válida. Marque de nuevo."), Outcome(result=Result.REJECTED)
    survey = Survey.objects.get(pk=screen.survey_id)
    phone = phone_e164(message.sender)
    try:
        response_submit(
            survey=survey,
            channel=Channel.USSD,
            values=list(screen.values),
            key=intake.idempotency_key(message.provider, message.provider_message_id),
            contact=Contact.objects.filter(phone=phone).first() if phone else None,
        )
    except DomainError as error:
        return error.message, Outcome(result=Result.REJECTED)
    text = _("Gracias por responder la encuesta %(title)s.") % {"title": clip(survey.label, 60)}
    return text, Outcome(result=Result.MENU)
