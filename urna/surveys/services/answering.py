"""Answering a survey, the same way on every channel.

The web form and the operator's phone interview save a page of answers with
``response_answer``; SMS and WhatsApp go one question a message through a ``ChannelSession``
(``survey_next_prompt``, ``survey_answer``: what a channel handler calls); USSD replays its
session path through the engine and submits the whole response at the end
(``response_submit``). All of them validate with ``urna.surveys.engine`` and finish with
``_complete``, which drops answers made irrelevant, copies the weighting variables out and asks
for the results to be recomputed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.core.errors import Conflict, InvalidInput, NotFound
from urna.core.text import ascii_plain
from urna.jobs.registry import enqueue
from urna.surveys import engine
from urna.surveys.form import Form, form_of
from urna.surveys.models import ChannelSession, Response, Survey
from urna.surveys.permissions import INTERVIEW, require

RESULTS_TASK = "surveys.results"
# Results are recomputed at most this often while answers arrive (one queued job per survey).
RESULTS_DELAY = timedelta(seconds=30)
STOP_WORDS = {"SALIR", "STOP", "PARAR", "CANCELAR"}
# A single-choice question with more options than this is answered by name on SMS/WhatsApp.
MAX_LISTED = 12


def results_schedule(survey_id: int, *, delay: timedelta = RESULTS_DELAY) -> None:
    enqueue(
        RESULTS_TASK,
        survey_id=survey_id,
        unique_key=f"{RESULTS_TASK}:{survey_id}",
        run_at=timezone.now() + delay,
    )


def survey_open_by_code(code: str, channel: str) -> Survey | None:
    folded = ascii_plain(code).strip().lower()
    for survey in Survey.objects.filter(status=Survey.Status.OPEN):
        if ascii_plain(survey.code).lower() == folded and channel in survey.channels:
            return survey
    return None


def response_start(
    *,
    survey: Survey,
    channel: str,
    contact: Any = None,
    operator: Any = None,
    language: str = "",
    key: str | None = None,
) -> Response:
    if survey.status != Survey.Status.OPEN:
        raise Conflict(_("Esta encuesta no está abierta."), code="survey_closed")
    # The API is the web form for other apps: open to it wherever the web form is.
    if (channel if channel != "api" else "web") not in survey.channels:
        raise InvalidInput(_("Esta encuesta no se responde por este medio."), field="channel")
    return Response.objects.create(
        survey=survey,
        channel=channel,
        contact=contact,
        operator=operator if getattr(operator, "is_authenticated", False) else None,
        language=language if language in survey.languages else survey.languages[0],
        key=key,
    )


def _complete(response: Response, form: Form) -> None:
    answers = engine.clean(form, response.answers)
    weighting = response.survey.weighting or {}
    response.answers = answers
    for dimension in ("department", "age_group", "sex"):
        value = answers.get(weighting.get(dimension, ""), "")
        setattr(response, dimension, str(value or "")[:20])
    response.status = Response.Status.COMPLETE
    response.completed_at = timezone.now()
    response.save(
        update_fields=[
            "answers",
            "department",
            "age_group",
            "sex",
            "status",
            "completed_at",
            "updated_at",
        ]
    )
    results_schedule(response.survey_id)


def response_answer(*, response: Response, values: dict[str, Any]) -> dict[str, str]:
    """Validate and store answers to relevant questions (a web page, an interview page).
    Returns the errors by question name (nothing stored for those); completes the response
    when no relevant question is left."""
    if response.status != Response.Status.PARTIAL:
        raise Conflict(_("Esta respuesta ya fue enviada."), code="response_done")
    form = form_of(response.survey)
    answers = dict(response.answers)
    errors: dict[str, str] = {}
    for name in form.order:
        if name not in values or not engine.is_relevant(form, name, answers):
            continue
        try:
            answers[name] = engine.validate(
                form.questions[name], values[name], answers=answers, language=response.language
            )
        except engine.InvalidAnswer as invalid:
            errors[name] = invalid.message
    with transaction.atomic():
        response.answers = engine.clean(form, answers)
        response.save(update_fields=["answers", "updated_at"])
        if not errors and engine.next_question(form, response.answers) is None:
            _complete(response, form)
    return errors


def response_submit(
    *, survey: Survey, channel: str, values: list[tuple[str, Any]], key: str, contact: Any = None
) -> Response:
    """A whole response at once (USSD at its last screen): every answer validated again in
    order, idempotent on ``key``."""
    existing = Response.objects.filter(survey=survey, key=key).first()
    if existing is not None:
        return existing
    form = form_of(survey)
    answers: dict[str, Any] = {}
    for name, raw in values:
        question = engine.next_question(form, answers)
        if question is None or question.name != name:
            raise InvalidInput(_("Las respuestas no siguen el orden de la encuesta."))
        try:
            answers[name] = engine.validate(question, raw, answers=answers)
        except engine.InvalidAnswer as invalid:
            raise InvalidInput(invalid.message, field=name) from invalid
    if engine.next_question(form, answers) is not None:
        raise InvalidInput(_("Faltan respuestas."))
    try:
        with transaction.atomic():
            response = response_start(survey=survey, channel=channel, contact=contact, key=key)
            response.answers = answers
            _complete(response, form)
    except IntegrityError:
        return Response.objects.get(survey=survey, key=key)
    return response


class AnswersInvalid(InvalidInput):
    """Answers refused, each with its reason, by question name."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            _("Revise las respuestas: %(n)s con problemas.") % {"n": len(errors)}, code="invalid"
        )
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "detail": self.message,
            "errors": {k: [v] for k, v in self.errors.items()},
        }


def _walk_answers(form: Form, given: dict[str, Any], language: str) -> dict[str, Any]:
    """Every answer of a whole response checked in the engine's order: each relevant question
    in turn, and none to a question the earlier answers hide; AnswersInvalid with all errors."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    while (question := engine.next_question(form, answers)) is not None:
        try:
            answers[question.name] = engine.validate(
                question, given.get(question.name), answers=answers, language=language
            )
        except engine.InvalidAnswer as invalid:
            errors[question.name] = invalid.message
            answers[question.name] = None  # go on, to report the later questions too
    for name in given:
        if name not in form.questions:
            errors[name] = _("La encuesta no tiene esta pregunta.")
        elif name not in answers and name not in errors:
            errors[name] = _("Esta pregunta no aplica según las respuestas anteriores.")
    if errors:
        raise AnswersInvalid(errors)
    return answers


def response_submit_answers(
    *, survey: Survey, answers: dict[str, Any], channel: str, key: str | None, language: str = ""
) -> tuple[Response, bool]:
    """A whole response keyed by question name (the API): (the response, created). The same
    ``key`` again returns the first response and stores nothing."""
    key = f"{channel}:{key}"[:160] if key else None
    if key and (existing := Response.objects.filter(survey=survey, key=key).first()):
        return existing, False
    form = form_of(survey)
    language = language if language in survey.languages else survey.languages[0]
    checked = _walk_answers(form, answers, language)
    try:
        with transaction.atomic():
            response = response_start(survey=survey, channel=channel, language=language, key=key)
            response.answers = checked
            _complete(response, form)
    except IntegrityError:
        return Response.objects.get(survey=survey, key=key), False
    return response, True


# --- one question a message (SMS, WhatsApp) -------------------------------------------------
def survey_session_active(channel: str, address: str) -> ChannelSession | None:
    return (
        ChannelSession.objects.filter(channel=channel, address=address[:254], active=True)
        .select_related("response__survey")
        .first()
    )


def survey_session_start(
    *, survey: Survey, channel: str, address: str, contact: Any = None
) -> ChannelSession:
    """Start, or resume, this number's response to a survey; stops any other survey session."""
    address = address[:254]
    with transaction.atomic():
        current = survey_session_active(channel, address)
        if current is not None and current.response.survey_id == survey.pk:
            # Resumed: the response is active again (a channel sets aside idle ones).
            Response.objects.filter(pk=current.response_id).update(updated_at=timezone.now())
            current.response.updated_at = timezone.now()
            return current
        ChannelSession.objects.filter(channel=channel, address=address, active=True).update(
            active=False
        )
        partial = (
            Response.objects.filter(
                survey=survey, channel=channel, contact=contact, status=Response.Status.PARTIAL
            )
            .order_by("-id")
            .first()
            if contact is not None
            else None
        )
        response = partial or response_start(survey=survey, channel=channel, contact=contact)
        return ChannelSession.objects.create(channel=channel, address=address, response=response)


def _prompt(form: Form, question: engine.FormQuestion, language: str, answers: dict) -> str:
    label, lines = engine.prompt_lines(form, question, language)
    done, total = engine.progress(form, answers)
    how = engine.instruction(question)
    if question.kind == "single" and len(question.choices) > MAX_LISTED:
        # 33 departments are pages of SMS: the name is answer enough (the engine reads it).
        examples = ", ".join(form.label(c.label, language) for c in question.choices[:2])
        lines = []
        how = _("Escriba el nombre (por ejemplo: %(examples)s).") % {"examples": examples}
    parts = [f"({done + 1}/{total}) {label}", *lines, how]
    if not question.required:
        parts.append(_("Escriba - para omitirla."))
    return "\n".join(parts)


def survey_next_prompt(session: ChannelSession) -> str:
    """The message that asks the session's next question (or thanks, when done)."""
    response = session.response
    form = form_of(response.survey)
    question = engine.next_question(form, response.answers)
    if question is None:
        return _("Gracias por responder la encuesta «%(title)s».") % {
            "title": form.label(form.title, response.language)
        }
    ChannelSession.objects.filter(pk=session.pk).update(asked=question.name)
    session.asked = question.name
    return _prompt(form, question, response.language, response.answers)


def survey_stop(session: ChannelSession) -> None:
    with transaction.atomic():
        ChannelSession.objects.filter(pk=session.pk).update(active=False)
        Response.objects.filter(pk=session.response_id, status=Response.Status.PARTIAL).update(
            status=Response.Status.STOPPED, updated_at=timezone.now()
        )


def survey_answer(session: ChannelSession, text: str) -> str:
    """Take one message as the answer to the question last asked; the reply to send: the next
    question, the same one with what was wrong, or the thanks. ``SALIR`` stops the survey."""
    if ascii_plain(text).strip().upper() in STOP_WORDS:
        survey_stop(session)
        return _("Encuesta detenida. Gracias por su tiempo.")
    response = Response.objects.select_related("survey").get(pk=session.response_id)
    session.response = response
    if response.status != Response.Status.PARTIAL:
        raise NotFound(_("Esta encuesta ya terminó."))
    form = form_of(response.survey)
    question = engine.next_question(form, response.answers)
    if question is None:
        ChannelSession.objects.filter(pk=session.pk).update(active=False)
        return survey_next_prompt(session)
    errors = response_answer(response=response, values={question.name: text})
    if errors:
        prompt = _prompt(form, question, response.language, response.answers)
        return f"{errors[question.name]}\n{prompt}"
    if response.status == Response.Status.COMPLETE:
        ChannelSession.objects.filter(pk=session.pk).update(active=False)
    return survey_next_prompt(session)


def interview_start(*, survey: Survey, operator: Any) -> Response:
    """A phone interview: the operator types the answers, and is recorded on the response."""
    require(operator, INTERVIEW, survey)
    return response_start(survey=survey, channel="phone", operator=operator)
