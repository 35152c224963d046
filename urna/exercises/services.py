"""Writes for participation exercises: the state machine, contributions, moderation, answers.

Every channel (web form, API, SMS, USSD, WhatsApp, email, the operator console) submits through
``contribution_submit``, so the rules (what an open exercise accepts, text limits, closed-question
answers, rate limits per identity, idempotency) live here once.

Accepted forms of ``choice`` for an answer to a closed question:

- single choice: the option's key (``"b"``) or its number as shown, counting from 1 (``"2"``/``2``);
- multiple choice: a list of keys or numbers, or one string of them separated by commas or spaces
  (``"1 3"``, ``"a,c"``); stored as the keys in the options' order, joined by commas;
- yes/no: ``"si"``/``"sí"``/``"s"``/``"yes"``/``True``/``"1"`` or
  ``"no"``/``"n"``/``False``/``"2"``; stored as ``"si"`` or ``"no"``;
- scale: an integer 1–5 (or its digit as text); stored as ``"1"``..``"5"``.
"""

import hashlib
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import markdown
import nh3
from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
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
from urna.exercises.models import (
    Article,
    ClosedQuestion,
    Contribution,
    Decision,
    Exercise,
    ExerciseDocument,
    QuestionOption,
    ResponseGroup,
    Support,
    Topic,
)
from urna.exercises.phases import phase, transition_action
from urna.exercises.signals import results_changed

KINDS = frozenset(Contribution.Kind.values)
CHANNELS = frozenset(Contribution.Channel.values)
# Channels where a staff operator types what the citizen said.
OPERATOR_CHANNELS = frozenset({"radio", "tv", "phone", "in_person"})
TEXT_MIN, TEXT_MAX = 3, 5000
DRAFT_MIN_COMMENT_DAYS = 15
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

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


@dataclass(frozen=True)
class SubmitResult:
    contribution: Contribution
    created: bool


# --- text -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def text_normalise(raw: str) -> str:
    """NFC, no control or zero-width characters, Unix newlines, at most one blank line."""
    text = unicodedata.normalize("NFC", raw or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def code_normalise(raw: str) -> str:
    """'Agro ', 'agró' → 'AGRO': what a citizen types on a keypad matches the stored code."""
    decomposed = unicodedata.normalize("NFKD", raw or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z0-9]", "", ascii_only.upper())


def markdown_render(body: str) -> str:
    html = markdown.markdown(body or "", extensions=["sane_lists", "tables"])
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


# --- per-exercise rules, cached in-process (the submission hot path) --------------------------


@dataclass(frozen=True)
class _QuestionRules:
    id: int
    number: int
    kind: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class _Rules:
    article_ids_by_number: dict[int, int] = field(default_factory=dict)
    questions_by_number: dict[int, _QuestionRules] = field(default_factory=dict)


_rules_cache: dict[tuple[int, Any], _Rules] = {}
_rules_lock = threading.Lock()


def _rules(exercise: Exercise) -> _Rules:
    """Articles and closed questions of an exercise, keyed by its id and last change."""
    key = (exercise.pk, exercise.updated_at)
    rules = _rules_cache.get(key)
    if rules is None:
        articles = dict(Article.objects.filter(exercise_id=exercise.pk).values_list("number", "id"))
        options: dict[int, list[str]] = {}
        for question_id, option_key in QuestionOption.objects.filter(
            question__exercise_id=exercise.pk
        ).values_list("question_id", "key"):
            options.setdefault(question_id, []).append(option_key)
        questions = {
            number: _QuestionRules(pk, number, kind, tuple(options.get(pk, ())))
            for pk, number, kind in ClosedQuestion.objects.filter(
                exercise_id=exercise.pk
            ).values_list("id", "number", "kind")
        }
        rules = _Rules(articles, questions)
        with _rules_lock:
            if len(_rules_cache) > 500:
                _rules_cache.clear()
            _rules_cache[key] = rules
    return rules


def _touch(exercise: Exercise) -> None:
    """Mark the exercise changed, so cached rules and snapshots are rebuilt."""
    exercise.updated_at = timezone.now()
    Exercise.objects.filter(pk=exercise.pk).update(updated_at=exercise.updated_at)
    from urna.exercises.selectors import submission_cache_clear

    submission_cache_clear()


_municipality_codes: set[str] = set()


def _municipality_exists(code: str) -> bool:
    from urna.territory.models import Municipality

    if not _municipality_codes:
        _municipality_codes.update(Municipality.objects.values_list("code", flat=True))
    if code in _municipality_codes:
        return True
    if Municipality.objects.filter(code=code).exists():
        _municipality_codes.add(code)
        return True
    return False


# --- closed questions -----------------------------------------------------------------------

_YES = {"si", "sí", "s", "yes", "y", "1", "true"}
_NO = {"no", "n", "2", "false"}


def _choice_error() -> InvalidInput:
    return InvalidInput(
        _("La respuesta no corresponde a las opciones de la pregunta."), field="choice"
    )


def _option_key(rules: _QuestionRules, raw: Any) -> str:
    text = str(raw).strip().lower()
    if text in rules.keys:
        return text
    if text.isdigit() and 1 <= int(text) <= len(rules.keys):
        return rules.keys[int(text) - 1]
    raise _choice_error()


def choice_parse(rules: _QuestionRules, raw: Any) -> str:
    """The canonical stored form of an answer (see the module docstring for accepted forms)."""
    if raw is None or raw == "" or raw == []:
        raise InvalidInput(_("Elija una respuesta."), field="choice")
    if rules.kind == ClosedQuestion.Kind.YES_NO:
        if isinstance(raw, bool):
            return "si" if raw else "no"
        text = unicodedata.normalize("NFC", str(raw)).strip().lower()
        if text in _YES:
            return "si"
        if text in _NO:
            return "no"
        raise _choice_error()
    if rules.kind == ClosedQuestion.Kind.SCALE:
        text = str(raw).strip()
        if isinstance(raw, bool) or not text.isdigit() or not 1 <= int(text) <= 5:
            raise InvalidInput(_("La respuesta debe ser un número del 1 al 5."), field="choice")
        return str(int(text))
    if rules.kind == ClosedQuestion.Kind.SINGLE:
        if isinstance(raw, list | tuple):
            if len(raw) != 1:
                raise InvalidInput(_("Elija una sola opción."), field="choice")
            raw = raw[0]
        return _option_key(rules, raw)
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw).strip())
    keys = {_option_key(rules, item) for item in items if str(item).strip()}
    if not keys:
        raise InvalidInput(_("Elija una respuesta."), field="choice")
    return ",".join(key for key in rules.keys if key in keys)


# --- rate limits ----------------------------------------------------------------------------


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


def _rate_limit(identities: list[tuple[str, str]]) -> None:
    for kind, identity in identities:
        if not ratelimit.hit(f"contrib:{kind}", identity, _rate(kind)):
            raise RateLimited(
                _(
                    "Ha enviado muchos aportes en poco tiempo. Espere unos minutos y vuelva a "
                    "intentarlo; lo que escribió no se ha perdido."
                )
            )


# --- contributions --------------------------------------------------------------------------


def exercise_accepts_contributions(exercise: Exercise) -> bool:
    return phase(exercise.status).accepts_contributions and exercise.is_open


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
    return item.id if isinstance(item, _QuestionRules) else item


DEMOGRAPHICS = {
    "age_range": frozenset(Contribution.AgeRange.values),
    "gender": frozenset(Contribution.Gender.values),
    "ethnic_group": frozenset(Contribution.EthnicGroup.values),
}


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


_INSERT_PLAN: dict[str, tuple[str, list, list[str]]] = {}
# Columns whose Python value is already what the database stores (a str, an int, None): bound
# as they are. Others (dates) go through the field's own ``get_db_prep_save``.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _insert_one(values: dict[str, Any], related: dict[str, Any]) -> Contribution:
    """INSERT one new contribution (``values`` by attname, e.g. ``exercise_id``) and return it.

    The intake hot path (1,000+ submissions a second on two cores) spent a third of its time in
    the ORM building a model from keywords and compiling the same 20-column INSERT for every
    row. Here the SQL is built once per process and database, missing values take the field's
    default, each value is stored exactly as ``create()`` would store it (tested), and the
    instance is built the way a query result is (``from_db``). ``related`` (e.g. ``exercise``)
    primes the instance's foreign-key caches. Database errors (a duplicate idempotency key)
    surface as Django's ``IntegrityError``, as with ``create()``.
    """
    alias = router.db_for_write(Contribution)
    connection = connections[alias]
    cached = _INSERT_PLAN.get(alias)
    if cached is None:
        meta = Contribution._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        # Identifiers come from the model's own metadata; values are bound as parameters.
        sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608
            quote(meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
            quote(meta.pk.column),
        )
        plan = [
            (
                f,
                f.attname,
                isinstance(f, _PLAIN_FIELDS),
                getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False),
            )
            for f in fields
        ]
        cached = _INSERT_PLAN[alias] = (sql, plan, [meta.pk.attname] + [f.attname for f in fields])
    sql, plan, attnames = cached
    row, params = [], []
    for model_field, attname, plain, auto_now in plan:
        if auto_now:
            value = timezone.now()
        elif attname in values:
            value = values[attname]
        else:
            value = model_field.get_default()
        row.append(value)
        params.append(value if plain else model_field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0]
    contribution = Contribution.from_db(alias, attnames, [pk, *row])
    for name, obj in related.items():
        if obj is not None:
            Contribution._meta.get_field(name).set_cached_value(contribution, obj)
    return contribution


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
    if kind not in KINDS:
        raise InvalidInput(_("Tipo de aporte no válido."), field="kind")
    if channel not in CHANNELS:
        raise InvalidInput(_("Canal no válido."), field="channel")
    if not exercise_accepts_contributions(exercise):
        raise Conflict(
            _("Este ejercicio no está recibiendo aportes en este momento."), code="not_open"
        )
    rules = _rules(exercise)
    text = text_normalise(text)
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
    municipality_code = (municipality_code or "").strip() or None
    if municipality_code and not (
        municipality_code.isdigit()
        and len(municipality_code) == 5
        and _municipality_exists(municipality_code)
    ):
        raise InvalidInput(
            _("El municipio no existe (use el código DANE de 5 dígitos)."), field="municipality"
        )
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
    _rate_limit(_identities(user=user, contact=contact, request=request, entered_by=entered_by))

    moderation = (
        Contribution.Moderation.PENDING
        if exercise.premoderation
        else Contribution.Moderation.VISIBLE
    )
    # Masked now, in the same INSERT: nothing public ever reads the original text (measured
    # cheap enough for the hot path: docs/benchmarks.md, "Personal data").
    public_text, personal_data = personal_data_scan(text)
    values = {
        "exercise_id": exercise.pk,
        "kind": kind,
        "text": text,
        "public_text": public_text,
        "personal_data": personal_data,
        "article_id": article_id,
        "question_id": question_rules.id if question_rules else None,
        "choice": stored_choice,
        "channel": channel,
        "municipality_id": municipality_code,
        "department_id": municipality_code[:2] if municipality_code else None,
        "user_id": user.pk if user is not None else None,
        "entered_by_id": entered_by.pk if entered_by is not None else None,
        "moderation": moderation,
        "idempotency_key": key,
        **extra,
    }
    related = {"exercise": exercise, "user": user, "entered_by": entered_by}
    # One INSERT is atomic on its own: the common submission (no contact, no hand-off, no
    # operator) outside any caller's transaction skips the transaction block, keeping the hot
    # path short. Inside a caller's transaction a savepoint keeps a duplicate key from breaking it.
    single_write = (
        (contact is None or contact.empty)
        and kind != Contribution.Kind.QUESTION
        and entered_by is None
        and transaction.get_autocommit()
    )
    for _attempt in range(3):
        try:
            values["receipt"] = receipt_new("UC")
            if single_write:
                return SubmitResult(_insert_one(values, related), True)
            with transaction.atomic():
                # The INSERT comes first: on SQLite a transaction that reads before it writes
                # can fail at once (SQLITE_BUSY_SNAPSHOT) when another process commits between.
                contribution = _insert_one(values, related)
                if contact is not None and not contact.empty:
                    contribution.contact = contact_from_details(contact, channel=channel)
                    Contribution.objects.filter(pk=contribution.pk).update(
                        contact=contribution.contact
                    )
                if kind == Contribution.Kind.QUESTION:
                    from urna.queries.services import query_from_contribution

                    query_from_contribution(contribution=contribution)
                if entered_by is not None:
                    audit_record(
                        action="contribution.enter",
                        obj=contribution,
                        actor=entered_by,
                        entity=exercise.owner,
                        after={"channel": channel, "kind": kind, "exercise": exercise.slug},
                        ip=client_ip(request),
                    )
            return SubmitResult(contribution, True)
        except IntegrityError:
            if key is not None:
                existing = Contribution.objects.filter(idempotency_key=key).first()
                if existing is not None:
                    if existing.exercise_id != exercise.pk:
                        raise InvalidInput(
                            _("Esta clave de idempotencia ya se usó en otro ejercicio."),
                            field="idempotency_key",
                        ) from None
                    return SubmitResult(existing, False)
            # Otherwise two receipts collided (about 1 in 34 billion): draw another one.
    raise Conflict(_("No pudimos registrar su aporte. Inténtelo de nuevo."))


def contributions_mask(*, every: bool = False, chunk: int = 2000) -> int:
    """Fill the masked text and the personal-data kinds of stored contributions: those without
    them (rows loaded in bulk), or ``every`` one (after the detector changed). Returns how many
    rows were written; short transactions of ``chunk`` rows."""
    qs = Contribution.objects.exclude(text="")
    if not every:
        qs = qs.filter(public_text="")
    written, last = 0, 0
    while rows := list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:chunk]):
        with transaction.atomic():
            for pk, text in rows:
                public_text, kinds = personal_data_scan(text)
                Contribution.objects.filter(pk=pk).update(
                    public_text=public_text, personal_data=kinds
                )
        written += len(rows)
        last = rows[-1][0]
    return written


def support_add(
    *, contribution: Contribution, user: Any = None, session_key: str | None = None
) -> bool:
    """A participant supports a proposal, once. Returns False when they already had."""
    if contribution.kind != Contribution.Kind.PROPOSAL:
        raise InvalidInput(_("Sólo se pueden apoyar propuestas."))
    if contribution.moderation != Contribution.Moderation.VISIBLE:
        raise Conflict(_("Esta propuesta no está disponible."))
    exercise = contribution.exercise
    if not (phase(exercise.status).accepts_supports and exercise.is_open):
        raise Conflict(_("Este ejercicio no está recibiendo apoyos en este momento."))
    if user is not None and getattr(user, "is_authenticated", False):
        identity = f"user:{user.pk}"
    elif session_key:
        identity = f"session:{session_key}"
        user = None
    else:
        raise InvalidInput(_("No pudimos identificar su navegador; active las cookies."))
    # Only a keyed hash of the identity is kept: supports never point back at a session.
    supporter = hashlib.blake2b(
        identity.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()
    try:
        with transaction.atomic():
            Support.objects.create(contribution=contribution, supporter=supporter, user=user)
            Contribution.objects.filter(pk=contribution.pk).update(
                support_count=F("support_count") + 1
            )
    except IntegrityError:
        return False
    return True


# --- moderation and the results matrix ------------------------------------------------------


def contribution_moderate(
    *, contribution: Contribution, to: str, by: Any, reason: str = "", request: Any = None
) -> Contribution:
    """Show, hold or hide a contribution. Hiding needs a public reason; nothing is deleted."""
    require(by, "contribution.moderate", contribution)
    if to not in Contribution.Moderation.values:
        raise InvalidInput(_("Estado de moderación no válido."), field="to")
    reason = text_normalise(reason)
    if to == Contribution.Moderation.HIDDEN and len(reason) < 5:
        raise InvalidInput(_("Explique públicamente por qué se oculta el aporte."), field="reason")
    with transaction.atomic():
        before = {
            "moderation": contribution.moderation,
            "hidden_reason": contribution.hidden_reason,
        }
        contribution.moderation = to
        contribution.hidden_reason = reason[:300] if to == Contribution.Moderation.HIDDEN else ""
        contribution.moderated_at = timezone.now()
        contribution.moderated_by = by
        contribution.save(
            update_fields=["moderation", "hidden_reason", "moderated_at", "moderated_by"]
        )
        audit_record(
            action="contribution.moderate",
            obj=contribution,
            actor=by,
            entity=contribution.exercise.owner,
            before=before,
            after={"moderation": to, "hidden_reason": contribution.hidden_reason},
            ip=client_ip(request),
        )
    return contribution


RESPONDABLE_STATUSES = {Exercise.Status.OPEN, Exercise.Status.ANALYSIS}


def _check_respondable(exercise: Exercise, decision: str, reason: str) -> str:
    if exercise.status not in RESPONDABLE_STATUSES:
        raise Conflict(
            _("Sólo se responden aportes mientras el ejercicio está abierto o en análisis.")
        )
    if decision not in Decision.values:
        raise InvalidInput(_("Elija una decisión."), field="decision")
    reason = text_normalise(reason)
    if len(reason) < 10:
        raise InvalidInput(
            _("Explique la razón de la decisión (mínimo 10 caracteres)."), field="reason"
        )
    return reason


def contribution_respond(
    *, contribution: Contribution, decision: str, reason: str, by: Any, request: Any = None
) -> Any:
    """Answer one contribution in the results matrix (creating or correcting its answer)."""
    from urna.exercises.models import ContributionResponse

    require(by, "contribution.respond", contribution)
    reason = _check_respondable(contribution.exercise, decision, reason)
    if contribution.kind == Contribution.Kind.ANSWER:
        raise InvalidInput(_("Las respuestas a preguntas cerradas se publican como conteos."))
    with transaction.atomic():
        existing = ContributionResponse.objects.filter(contribution=contribution).first()
        before = {"decision": existing.decision, "reason": existing.reason} if existing else None
        response, _created = ContributionResponse.objects.update_or_create(
            contribution=contribution,
            defaults={
                "decision": decision,
                "reason": reason,
                "group": None,
                "responded_by": by,
                "responded_at": timezone.now(),
            },
        )
        audit_record(
            action="contribution.respond",
            obj=contribution,
            actor=by,
            entity=contribution.exercise.owner,
            before=before,
            after={"decision": decision, "reason": reason},
            ip=client_ip(request),
        )
    return response


def contribution_respond_group(
    *,
    exercise: Exercise,
    contribution_ids: Iterable[int],
    title: str,
    decision: str,
    reason: str,
    by: Any,
    request: Any = None,
) -> ResponseGroup:
    """One answer for many similar contributions of the exercise (a campaign, a repeated idea)."""
    from urna.exercises.models import ContributionResponse

    require(by, "contribution.respond", exercise)
    reason = _check_respondable(exercise, decision, reason)
    title = text_normalise(title)[:200]
    if len(title) < 3:
        raise InvalidInput(_("Dé un nombre al grupo."), field="title")
    ids = sorted({int(pk) for pk in contribution_ids})
    rows = list(
        Contribution.objects.filter(exercise=exercise, pk__in=ids)
        .exclude(kind=Contribution.Kind.ANSWER)
        .values_list("pk", flat=True)
    )
    if not rows or len(rows) != len(ids):
        raise InvalidInput(
            _(
                "Elija aportes de este ejercicio (las respuestas a preguntas cerradas no "
                "se agrupan)."
            ),
            field="contributions",
        )
    now = timezone.now()
    with transaction.atomic():
        group = ResponseGroup.objects.create(
            exercise=exercise, title=title, decision=decision, reason=reason, created_by=by
        )
        ContributionResponse.objects.filter(contribution_id__in=rows).delete()
        ContributionResponse.objects.bulk_create(
            ContributionResponse(
                contribution_id=pk,
                decision=decision,
                reason=reason,
                group=group,
                responded_by=by,
                responded_at=now,
            )
            for pk in rows
        )
        audit_record(
            action="contribution.respond_group",
            obj=group,
            actor=by,
            entity=exercise.owner,
            after={"decision": decision, "reason": reason, "contributions": rows},
            ip=client_ip(request),
        )
    return group


# --- exercises ------------------------------------------------------------------------------


# Path segments under /ejercicios/ that an exercise's slug must not take.
RESERVED_SLUGS = frozenset({"gestion"})


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
    from urna.territory.models import Department, Municipality

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
}
# What may still change once participation has opened: nothing citizens are commenting on.
LATE_EDITABLE_FIELDS = {"summary", "results_due_at", "results_summary"}


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
    with transaction.atomic():
        before = {
            name: _jsonable(getattr(exercise, name)) for name in changes if name != "body_html"
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
            after={name: _jsonable(getattr(exercise, name)) for name in before},
            ip=client_ip(request),
        )
    _touch(exercise)
    return exercise


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def draft_min_comment_days() -> int:
    return int(getattr(settings, "URNA_DRAFT_MIN_COMMENT_DAYS", DRAFT_MIN_COMMENT_DAYS))


def comment_days(start: datetime, end: datetime) -> int:
    """Calendar days a draft is open for comments, counted in Colombian local dates."""
    return (timezone.localdate(end) - timezone.localdate(start)).days


def exercise_transition(
    *,
    exercise: Exercise,
    to: str,
    by: Any,
    justification: str = "",
    request: Any = None,
    actor_label: str = "",
) -> Exercise:
    """Move an exercise to its next phase: the one place its status changes.

    ``by=None`` is the system (the scheduled closing); any other actor needs the permission the
    transition declares. Opening a draft regulation for fewer calendar days than the minimum
    (15 by default) needs a recorded ``justification``, shown on the public page.
    """
    action = transition_action(exercise.status, to)
    if action is None:
        target = Exercise.Status(to).label if to in Exercise.Status.values else to
        raise Conflict(
            _("No se puede pasar de «%(frm)s» a «%(to)s».")
            % {"frm": exercise.get_status_display(), "to": target}
        )
    if by is not None:
        require(by, action, exercise)
    now = timezone.now()
    before = {
        "status": exercise.status,
        "opens_at": _jsonable(exercise.opens_at),
        "closes_at": _jsonable(exercise.closes_at),
    }
    after: dict[str, Any] = {"status": to}
    if to == Exercise.Status.OPEN:
        if exercise.closes_at is None or exercise.closes_at <= now:
            raise InvalidInput(
                _("Fije una fecha de cierre futura antes de abrir la participación."),
                field="closes_at",
            )
        if exercise.status != Exercise.Status.ANALYSIS or exercise.opens_at is None:
            exercise.opens_at = now
        if exercise.kind == Exercise.Kind.DRAFT_REGULATION:
            days = comment_days(now, exercise.closes_at)
            minimum = draft_min_comment_days()
            justification = text_normalise(justification)
            if days < minimum:
                if len(justification) < 20:
                    raise InvalidInput(
                        _(
                            "El proyecto queda abierto %(days)s días, menos de los %(min)s días "
                            "del plazo mínimo: escriba la justificación (mínimo 20 caracteres), "
                            "que se publicará."
                        )
                        % {"days": days, "min": minimum},
                        field="justification",
                    )
                exercise.short_period_justification = justification
                after.update(comment_days=days, justification=justification)
            else:
                exercise.short_period_justification = ""
        if exercise.published_at is None:
            exercise.published_at = now
    elif to == Exercise.Status.INFORMATION:
        exercise.published_at = now
    elif to == Exercise.Status.ANALYSIS:
        if exercise.closes_at is None or exercise.closes_at > now:
            exercise.closes_at = now
    elif to == Exercise.Status.RESULTS:
        unanswered = (
            Contribution.objects.filter(exercise=exercise, response__isnull=True)
            .exclude(kind=Contribution.Kind.ANSWER)
            .exclude(moderation=Contribution.Moderation.HIDDEN)
            .count()
        )
        if unanswered:
            raise Conflict(
                _(
                    "Faltan %(n)s aportes por responder en la matriz de resultados: cada aporte "
                    "recibe una respuesta antes de publicar."
                )
                % {"n": unanswered}
            )
        exercise.results_published_at = now
    with transaction.atomic():
        exercise.status = to
        exercise.save()
        after.update(opens_at=_jsonable(exercise.opens_at), closes_at=_jsonable(exercise.closes_at))
        audit_record(
            action=f"exercise.{to}",
            obj=exercise,
            actor=by,
            actor_label=actor_label,
            entity=exercise.owner,
            before=before,
            after=after,
            ip=client_ip(request),
        )
        if to == Exercise.Status.RESULTS:
            # Published results: the report is built now, not for its first reader.
            results_changed.send(sender=Exercise, exercise=exercise)
    _touch(exercise)
    return exercise


def exercises_close_due() -> int:
    """Close (move to analysis) every open exercise whose closing date has passed."""
    closed = 0
    for exercise in Exercise.objects.filter(
        status=Exercise.Status.OPEN, closes_at__lte=timezone.now()
    ).select_related("owner"):
        exercise_transition(
            exercise=exercise, to=Exercise.Status.ANALYSIS, by=None, actor_label="system:cierre"
        )
        closed += 1
    return closed


def _require_editable(exercise: Exercise, by: Any) -> None:
    require(by, "exercise.edit", exercise)
    if not phase(exercise.status).editable:
        raise Conflict(
            _("El texto ya no se puede cambiar: la participación está abierta o terminó.")
        )


def article_add(
    *,
    exercise: Exercise,
    by: Any,
    body: str,
    label: str = "",
    title: str = "",
    number: int | None = None,
    request: Any = None,
) -> Article:
    """Add an article (or section) of a draft regulation, commented on one by one."""
    _require_editable(exercise, by)
    body = text_normalise(body)
    if len(body) < 3:
        raise InvalidInput(_("Escriba el texto del artículo."), field="body")
    if number is None:
        last = exercise.articles.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    if exercise.articles.filter(number=number).exists():
        raise InvalidInput(_("Ya hay un artículo con ese número."), field="number")
    with transaction.atomic():
        article = Article.objects.create(
            exercise=exercise,
            number=number,
            label=text_normalise(label)[:60] or _("Artículo %(n)s") % {"n": number},
            title=text_normalise(title)[:200],
            body=body,
        )
        audit_record(
            action="exercise.article_add",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"article": number},
            ip=client_ip(request),
        )
    _touch(exercise)
    return article


def question_add(
    *,
    exercise: Exercise,
    by: Any,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    request: Any = None,
) -> ClosedQuestion:
    """Add a closed question. Options are given for single and multiple choice only."""
    _require_editable(exercise, by)
    if kind not in ClosedQuestion.Kind.values:
        raise InvalidInput(_("Tipo de pregunta no válido."), field="kind")
    text = text_normalise(text)
    if len(text) < 5:
        raise InvalidInput(_("Escriba la pregunta."), field="text")
    labels = [text_normalise(o)[:200] for o in options if text_normalise(o)]
    if kind in (ClosedQuestion.Kind.SINGLE, ClosedQuestion.Kind.MULTIPLE):
        if len(labels) < 2:
            raise InvalidInput(_("Escriba al menos dos opciones."), field="options")
        pairs = []
        for label in labels:
            key = slugify(label)[:30] or "opcion"
            while key in {k for k, _ in pairs}:
                key = f"{key[:27]}-{len(pairs) + 1}"
            pairs.append((key, label))
    elif kind == ClosedQuestion.Kind.YES_NO:
        pairs = [("si", _("Sí")), ("no", _("No"))]
    else:
        pairs = [(str(n), str(n)) for n in range(1, 6)]
    with transaction.atomic():
        last = exercise.questions.order_by("-number").values_list("number", flat=True).first()
        question = ClosedQuestion.objects.create(
            exercise=exercise, number=(last or 0) + 1, kind=kind, text=text[:300]
        )
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, key=key, label=label, position=i)
            for i, (key, label) in enumerate(pairs)
        )
        audit_record(
            action="exercise.question_add",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"question": question.number, "kind": kind},
            ip=client_ip(request),
        )
    _touch(exercise)
    return question


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_type(head: bytes, upload: Any) -> str | None:
    """'pdf', 'docx' or 'odt' from the file's content (not its name), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
        except zipfile.BadZipFile:
            return None
    return None


def document_attach(
    *, exercise: Exercise, by: Any, title: str, upload: Any, request: Any = None
) -> ExerciseDocument:
    """Attach a PDF, DOCX or ODT document (checked by content and size)."""
    require(by, "exercise.edit", exercise)
    title = text_normalise(title)[:200]
    if len(title) < 3:
        raise InvalidInput(_("Escriba el título del documento."), field="title")
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise InvalidInput(_("El archivo está vacío."), field="file")
    if size > DOCUMENT_MAX_BYTES:
        raise InvalidInput(_("El archivo supera el tamaño máximo de 10 MB."), field="file")
    upload.seek(0)
    head = upload.read(8)
    kind = document_type(head, upload)
    extension = (getattr(upload, "name", "") or "").rsplit(".", 1)[-1].lower()
    if kind is None or extension != kind:
        raise InvalidInput(
            _("Sólo se aceptan documentos PDF, DOCX u ODT (el contenido no corresponde)."),
            field="file",
        )
    upload.seek(0)
    with transaction.atomic():
        document = ExerciseDocument(
            exercise=exercise,
            title=title,
            file_type=kind,
            size=size,
            position=exercise.documents.count(),
        )
        document.file.save(f"{exercise.slug}-{slugify(title)[:40]}.{kind}", upload, save=False)
        document.save()
        audit_record(
            action="exercise.document_attach",
            obj=exercise,
            actor=by,
            entity=exercise.owner,
            after={"document": title, "type": kind, "size": size},
            ip=client_ip(request),
        )
    return document
