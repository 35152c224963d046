"""Contribution intake: the one door every channel submits through.

Every channel (web form, API, SMS, USSD, WhatsApp, email, the operator console) submits through
``contribution_submit``, so the rules (what an open exercise accepts, text limits, closed-question
answers, rate limits per identity, idempotency) live here once. A submission runs three named
steps, each testable alone:

1. ``contribution_validate``: every rule of the input, without writing anything (it reads only
   the in-process snapshots of the exercise's articles, questions and municipalities);
2. ``contribution_rate_limit``: one hit per identity of the sender, refused past its limit;
3. ``contribution_store``: the INSERT (and, when there is one, the contact, the hand-off of a
   question to the queries app and the operator's audit entry), idempotent by key.

This is the intake hot path (``bench/intake.py``): the common submission is a single INSERT.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.contacts.services import ContactDetails, contact_from_details
from urna.core import ratelimit
from urna.core.errors import Conflict, InvalidInput, RateLimited
from urna.core.network import client_network
from urna.core.privacy import personal_data_scan
from urna.core.receipts import receipt_new
from urna.core.text import search_normalise, text_normalise
from urna.exercises.models import (
    CONTRIBUTION_CHANNELS,
    Contribution,
    Exercise,
    QuestionAnswerer,
)
from urna.exercises.participants import participant_key
from urna.exercises.phases import phase
from urna.exercises.selectors import (
    QuestionRules,
    SubmissionRules,
    municipality_exists,
    submission_rules,
)
from urna.exercises.services.choices import choice_parse
from urna.exercises.services.insert import contribution_insert
from urna.queries import services as query_services

KINDS = frozenset(Contribution.Kind.values)
CHANNELS = CONTRIBUTION_CHANNELS
TEXT_MIN, TEXT_MAX = 3, 5000

# Rates per identity ("hits/seconds"); a deployment may override them in settings.
DEFAULT_RATES = {
    "contact": "30/600",
    "user": "30/600",
    "session": "30/600",
    "client": "60/600",
    "operator": "2000/3600",
    # Every submission over the network, whatever identity it carries (one a client supplies
    # may narrow a limit, never widen it): generous, because a town hall, a community internet
    # point or a carrier NAT puts hundreds of citizens behind one address.
    # ``CONTRIBUTION_NETWORK_RATE`` in the environment overrides it.
    "ip": "3000/3600",
}

DEMOGRAPHICS = {
    "age_range": frozenset(Contribution.AgeRange.values),
    "gender": frozenset(Contribution.Gender.values),
    "ethnic_group": frozenset(Contribution.EthnicGroup.values),
}


@dataclass(frozen=True)
class SubmitResult:
    contribution: Contribution
    created: bool


@dataclass(slots=True)
class CleanContribution:
    """A submission that passed every rule: what ``contribution_store`` writes, and who sent it
    (``user`` is None for an anonymous sender)."""

    exercise: Exercise
    kind: str
    channel: str
    text: str
    article_id: int | None
    question_id: int | None
    choice: str
    municipality_code: str | None
    demographics: dict[str, str]
    idempotency_key: str | None
    contact: ContactDetails | None
    user: Any
    entered_by: Any


def exercise_accepts_contributions(exercise: Exercise) -> bool:
    return phase(exercise.status).accepts_contributions and exercise.is_open


# --- step 1: validate -------------------------------------------------------------------------


def contribution_validate(
    *,
    exercise: Exercise,
    kind: str,
    text: str,
    channel: str,
    article: Any = None,
    question: Any = None,
    choice: Any = None,
    municipality_code: str | None = None,
    contact: ContactDetails | None = None,
    user: Any = None,
    demographics: dict | None = None,
    idempotency_key: str | None = None,
    entered_by: Any = None,
) -> CleanContribution:
    """Check one submission against every rule and return it clean (text normalised, article
    and question resolved, answer in its stored form). Raises InvalidInput (with the field),
    Conflict (the exercise is not open) or PermissionDenied (an operator without the right to
    enter contributions). Writes nothing."""
    if kind not in KINDS:
        raise InvalidInput(_("Tipo de aporte no válido."), field="kind")
    if channel not in CHANNELS:
        raise InvalidInput(_("Canal no válido."), field="channel")
    if not exercise_accepts_contributions(exercise):
        raise Conflict(
            _("Este ejercicio no está recibiendo aportes en este momento."), code="not_open"
        )
    text = text_normalise(text)
    article_id, question_rules, stored_choice = _targets(
        submission_rules(exercise), kind=kind, article=article, question=question, choice=choice
    )
    _check_text(kind, text)
    municipality_code = _check_municipality(municipality_code)
    extra = _demographics(demographics)
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 120:
        raise InvalidInput(
            _("La clave de idempotencia es demasiado larga."), field="idempotency_key"
        )
    if contact is not None and not contact.empty and not contact.consent:
        raise InvalidInput(
            _(
                "Para guardar su contacto debe autorizar el tratamiento de sus datos personales "
                "(Ley 1581 de 2012)."
            ),
            field="consent",
        )
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if entered_by is not None:
        require(entered_by, "contribution.enter", exercise)
    return CleanContribution(
        exercise=exercise,
        kind=kind,
        channel=channel,
        text=text,
        article_id=article_id,
        question_id=question_rules.id if question_rules else None,
        choice=stored_choice,
        municipality_code=municipality_code,
        demographics=extra,
        idempotency_key=key,
        contact=contact,
        user=user,
        entered_by=entered_by,
    )


def _targets(
    rules: SubmissionRules, *, kind: str, article: Any, question: Any, choice: Any
) -> tuple[int | None, QuestionRules | None, str]:
    """The article id, the closed question and the stored answer a submission points at."""
    article_id = _resolve_number(
        article,
        rules.article_ids_by_number,
        field_name="article",
        message=gettext_noop("El artículo no existe en este ejercicio."),
    )
    question_rules = _resolve_number(
        question,
        rules.questions_by_number,
        field_name="question",
        message=gettext_noop("La pregunta no existe en este ejercicio."),
    )
    stored_choice = ""
    if kind == Contribution.Kind.ANSWER:
        if question_rules is None:
            raise InvalidInput(_("Indique la pregunta que responde."), field="question")
        stored_choice = choice_parse(question_rules, choice)
    elif question_rules is not None or choice not in (None, "", []):
        raise InvalidInput(
            _("Sólo las respuestas a preguntas cerradas llevan pregunta y opción."),
            field="question" if question_rules is not None else "choice",
        )
    if kind == Contribution.Kind.ARTICLE_COMMENT and article_id is None:
        raise InvalidInput(_("Indique el artículo que comenta."), field="article")
    return article_id, question_rules, stored_choice


def _resolve_number(value: Any, by_number: dict, *, field_name: str, message: str) -> Any:
    """The id (or rules) of the article/question numbered ``value``; ``message`` is an untranslated
    msgid (``gettext_noop``), translated only when it is raised: this runs on every submission."""
    if value is None or value == "":
        return None
    number = getattr(value, "number", value)
    try:
        number = int(str(number).strip())
    except ValueError:
        raise InvalidInput(_(message), field=field_name) from None
    if number not in by_number or (
        hasattr(value, "exercise_id")
        and getattr(value, "pk", None) is not None
        and _pk_of(by_number[number]) != value.pk
    ):
        raise InvalidInput(_(message), field=field_name)
    return by_number[number]


def _pk_of(item: Any) -> int:
    return item.id if isinstance(item, QuestionRules) else item


def _check_text(kind: str, text: str) -> None:
    """Text between TEXT_MIN and TEXT_MAX characters (an answer may come without text)."""
    if kind != Contribution.Kind.ANSWER or text:
        if len(text) < TEXT_MIN:
            raise InvalidInput(
                _("El texto es demasiado corto (mínimo %(n)s caracteres).") % {"n": TEXT_MIN},
                field="text",
            )
        if len(text) > TEXT_MAX:
            raise InvalidInput(
                _("El texto es demasiado largo (máximo %(n)s caracteres).") % {"n": TEXT_MAX},
                field="text",
            )


def _check_municipality(code: str | None) -> str | None:
    code = (code or "").strip() or None
    if code and not (code.isdigit() and len(code) == 5 and municipality_exists(code)):
        raise InvalidInput(
            _("El municipio no existe (use el código DANE de 5 dígitos)."), field="municipality"
        )
    return code


def _demographics(values: dict | None) -> dict[str, str]:
    allowed = DEMOGRAPHICS
    clean: dict[str, str] = {}
    for name, value in (values or {}).items():
        if name not in allowed:
            raise InvalidInput(_("Campo no reconocido."), field=name)
        if value in (None, ""):
            continue
        if value not in allowed[name]:
            raise InvalidInput(_("Valor no permitido."), field=name)
        clean[name] = value
    return clean


# --- step 2: rate-limit -----------------------------------------------------------------------


def _rate(name: str) -> str:
    return getattr(settings, "URNA_CONTRIBUTION_RATES", {}).get(name, DEFAULT_RATES[name])


def _identities(
    *, user: Any, contact: ContactDetails | None, request: Any, entered_by: Any
) -> list[tuple[str, str]]:
    """Who is submitting, as (kind, identity) pairs, each with its limit: the identities it gives
    (an account, a contact, a browser session, an app's client id), then its network."""
    if entered_by is not None:
        return [("operator", str(entered_by.pk))]
    found: list[tuple[str, str]] = []
    if user is not None:
        found.append(("user", str(user.pk)))
    if contact is not None and not contact.empty:
        address = contact.phone or contact.email or contact.handle
        found.append(("contact", re.sub(r"[\s\-().]", "", address.strip().lower())))
    if request is not None:
        session = getattr(request, "session", None)
        session_key = getattr(session, "session_key", None) if session is not None else None
        if session_key:
            found.append(("session", session_key))
        client = request.headers.get("X-Client-Id", "").strip()
        if client:
            found.append(("client", client[:100]))
        # Last: a request refused on its own identity does not use up its neighbours' room.
        found.append(("ip", client_network(request)))
    return found


def contribution_rate_limit(clean: CleanContribution, *, request: Any = None) -> None:
    """Count the submission against each identity of its sender; raises RateLimited at the
    first identity past its limit (an operator counts only as the operator)."""
    identities = _identities(
        user=clean.user, contact=clean.contact, request=request, entered_by=clean.entered_by
    )
    for kind, identity in identities:
        if not ratelimit.hit(f"contrib:{kind}", identity, _rate(kind)):
            raise RateLimited(
                _(
                    "Ha enviado muchos aportes en poco tiempo. Espere unos minutos y vuelva a "
                    "intentarlo; lo que escribió no se ha perdido."
                )
            )


# --- step 3: store ----------------------------------------------------------------------------


def _row(clean: CleanContribution) -> dict[str, Any]:
    """The columns of the new contribution, by attname (the receipt is drawn per attempt)."""
    exercise, user, entered_by = clean.exercise, clean.user, clean.entered_by
    moderation = (
        Contribution.Moderation.PENDING
        if exercise.premoderation
        else Contribution.Moderation.VISIBLE
    )
    # Masked now, in the same INSERT: nothing public ever reads the original text (measured
    # cheap enough for the hot path: docs/benchmarks.md, "Personal data").
    public_text, personal_data = personal_data_scan(clean.text)
    municipality_code = clean.municipality_code
    return {
        "exercise_id": exercise.pk,
        "kind": clean.kind,
        "text": clean.text,
        "public_text": public_text,
        "personal_data": personal_data,
        "search_text": search_normalise(public_text),
        "article_id": clean.article_id,
        "question_id": clean.question_id,
        "choice": clean.choice,
        "channel": clean.channel,
        "municipality_id": municipality_code,
        "department_id": municipality_code[:2] if municipality_code else None,
        "user_id": user.pk if user is not None else None,
        "entered_by_id": entered_by.pk if entered_by is not None else None,
        "moderation": moderation,
        "idempotency_key": clean.idempotency_key,
        **clean.demographics,
    }


def contribution_store(clean: CleanContribution, *, request: Any = None) -> SubmitResult:
    """Store a clean submission with a new receipt. The same idempotency key again returns the
    first contribution (``created=False``) and stores nothing; a key used in another exercise
    is refused. Nothing is stored when it raises."""
    values = _row(clean)
    related = {"exercise": clean.exercise, "user": clean.user, "entered_by": clean.entered_by}
    answerer = _answerer(clean, request)
    # One INSERT is atomic on its own: the common submission (no contact, no hand-off, no
    # operator) outside any caller's transaction skips the transaction block, keeping the hot
    # path short. Inside a caller's transaction a savepoint keeps a duplicate key from breaking it.
    single_write = (
        (clean.contact is None or clean.contact.empty)
        and clean.kind != Contribution.Kind.QUESTION
        and clean.entered_by is None
        and answerer is None
        and transaction.get_autocommit()
    )
    for _attempt in range(3):
        try:
            values["receipt"] = receipt_new("UC")
            if single_write:
                return SubmitResult(contribution_insert(values, related), True)
            with transaction.atomic():
                contribution = _store_with_links(clean, values, related, request)
                if answerer is not None:
                    QuestionAnswerer.objects.create(
                        question_id=clean.question_id, answerer=answerer, contribution=contribution
                    )
            return SubmitResult(contribution, True)
        except IntegrityError:
            existing = _stored_before(clean)
            if existing is not None:
                return SubmitResult(existing, False)
            if answerer is not None and _answered_before(clean, answerer):
                raise Conflict(_("Ya respondió esta pregunta."), code="already_answered") from None
            # Otherwise two receipts collided (about 1 in 34 billion): draw another one.
    raise Conflict(_("No pudimos registrar su aporte. Inténtelo de nuevo."))


def _store_with_links(
    clean: CleanContribution, values: dict[str, Any], related: dict[str, Any], request: Any
) -> Contribution:
    """The INSERT and what goes with it, inside the caller's transaction: the contact, the
    hand-off of a question to the government, the operator's audit entry."""
    # The INSERT comes first: on SQLite a transaction that reads before it writes can fail at
    # once (SQLITE_BUSY_SNAPSHOT) when another process commits between.
    contribution = contribution_insert(values, related)
    contact = clean.contact
    if contact is not None and not contact.empty:
        contribution.contact = contact_from_details(
            contact, channel=clean.channel, activity="contribution"
        )
        Contribution.objects.filter(pk=contribution.pk).update(contact=contribution.contact)
    if clean.kind == Contribution.Kind.QUESTION:
        query_services.query_from_contribution(contribution=contribution)
    if clean.entered_by is not None:
        exercise = clean.exercise
        audit_record(
            action="contribution.enter",
            obj=contribution,
            actor=clean.entered_by,
            entity=exercise.owner,
            after={"channel": clean.channel, "kind": clean.kind, "exercise": exercise.slug},
            ip=client_ip(request),
        )
    return contribution


def _answerer(clean: CleanContribution, request: Any) -> str | None:
    """Who answers a closed question, counted once per question (their account, the contact
    they wrote from, their browser's session); None for anything else, and for an operator
    typing in answers without a contact (paper forms, a radio programme)."""
    if clean.kind != Contribution.Kind.ANSWER:
        return None
    contact = clean.contact if clean.contact is not None and not clean.contact.empty else None
    if clean.entered_by is not None and contact is None:
        return None
    session = getattr(request, "session", None) if clean.entered_by is None else None
    return participant_key(
        user=clean.user, contact=contact, session_key=getattr(session, "session_key", None)
    )


def _answered_before(clean: CleanContribution, answerer: str) -> bool:
    return QuestionAnswerer.objects.filter(
        question_id=clean.question_id, answerer=answerer
    ).exists()


def _stored_before(clean: CleanContribution) -> Contribution | None:
    """The contribution stored earlier under the submission's idempotency key, if any."""
    key = clean.idempotency_key
    if key is None:
        return None
    existing = Contribution.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.exercise_id != clean.exercise.pk:
        raise InvalidInput(
            _("Esta clave de idempotencia ya se usó en otro ejercicio."),
            field="idempotency_key",
        ) from None
    return existing


# --- the door ---------------------------------------------------------------------------------


def contribution_submit(
    *,
    exercise: Exercise,
    kind: str,
    text: str,
    channel: str,
    article: Any = None,
    question: Any = None,
    choice: Any = None,
    municipality_code: str | None = None,
    contact: ContactDetails | None = None,
    user: Any = None,
    demographics: dict | None = None,
    idempotency_key: str | None = None,
    entered_by: Any = None,
    request: Any = None,
) -> SubmitResult:
    """Store one contribution from any channel and give the citizen a receipt.

    ``article`` and ``question`` are an Article/ClosedQuestion of the exercise or its number as
    shown to citizens. The same ``idempotency_key`` again returns the first contribution
    (``created=False``) and stores nothing. Raises InvalidInput (with the field), Conflict (the
    exercise is not open) or RateLimited. Nothing is stored when it raises.
    """
    clean = contribution_validate(
        exercise=exercise,
        kind=kind,
        text=text,
        channel=channel,
        article=article,
        question=question,
        choice=choice,
        municipality_code=municipality_code,
        contact=contact,
        user=user,
        demographics=demographics,
        idempotency_key=idempotency_key,
        entered_by=entered_by,
    )
    contribution_rate_limit(clean, request=request)
    return contribution_store(clean, request=request)
