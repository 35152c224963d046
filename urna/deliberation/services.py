"""Writes of a deliberation: creating and setting it up, statements (seeded by staff, proposed by
participants, moderated), participants and their votes.

Every channel votes through ``vote_cast`` and proposes through ``statement_propose``; a channel
handler (WhatsApp one statement a message, USSD one a screen) needs only:

- ``participant_get_or_create(deliberation=, contact=)`` (or ``user=``, or ``anonymous_key=``
  for a browser): who is voting;
- ``selectors.next_statement_for(participant)``: the next published statement they have not
  voted on (None when they have voted on all), and ``selectors.progress_for(participant)``;
- ``vote_parse(raw)``: "1"/"si"/"de acuerdo" → +1, "2"/"no" → -1, "3"/"paso" → 0, for keypads
  and chats (``InvalidInput`` otherwise);
- ``vote_cast(participant=, statement_id=, value=, channel=)``: records the vote (a repeated
  vote replaces the first) or raises a ``DomainError`` whose Spanish message can be sent back
  as it is.
- for SMS, WhatsApp and USSD (``urna.channels.deliberation``), ``statement_show(participant)``
  gives the next statement and remembers it as shown, and ``vote_shown(participant=, raw=,
  channel=)`` casts "1"/"2"/"3" on it: a statement hidden since it was shown is refused.

Web and API votes and proposals pass ``rate_limit`` first (per participant and per network).

Staff actions (create, settings, seeding, moderation) check permissions with
``urna.accounts.permissions`` (``exercise.edit`` and ``contribution.moderate`` on the exercise's
entities) and are written to the audit log.
"""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record, client_ip
from urna.core import ratelimit
from urna.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from urna.core.privacy import personal_data_scan
from urna.core.text import strip_accents, text_normalise
from urna.deliberation.models import (
    VOTE_CHANNELS,
    Deliberation,
    Participant,
    Statement,
    Vote,
)
from urna.deliberation.recompute import recompute_request
from urna.deliberation.selectors import next_statement_for
from urna.exercises.models import Exercise
from urna.exercises.phases import phase

STATEMENT_MIN = 10
STATEMENT_MAX = 280
PENDING_PROPOSALS_MAX = 5
SETTINGS = ("question", "status", "accepts_proposals", "recompute_seconds", "min_votes")
RECOMPUTE_SECONDS_MIN = 5

# Web and API votes and proposals, counted per participant (an account, a browser's cookie, an
# app's participant id) and per network. No cookie or a new app id is a new participant, so the
# network's limit is the one a script meets; it is generous, as a carrier NAT or a community
# internet point puts many citizens behind one address. ``URNA_DELIBERATION_RATES`` overrides.
DEFAULT_RATES = {
    "vote": "60/60",
    "vote-network": "1200/60",
    "proposal": "10/3600",
    "proposal-network": "120/3600",
}

_VOTE_WORDS = {
    1: {"1", "+1", "si", "s", "de acuerdo", "acuerdo", "agree", "a"},
    -1: {"2", "-1", "no", "n", "en desacuerdo", "desacuerdo", "disagree", "d"},
    0: {"3", "0", "paso", "pasar", "no se", "no estoy seguro", "pass", "p"},
}


def deliberation_accepts_votes(deliberation: Deliberation) -> bool:
    """Open itself, on an exercise whose participation period is open."""
    exercise = deliberation.exercise
    return (
        deliberation.status == Deliberation.Status.OPEN
        and phase(exercise.status).accepts_contributions
        and exercise.is_open
    )


def _require_open(deliberation: Deliberation) -> None:
    if not deliberation_accepts_votes(deliberation):
        raise Conflict(
            _("Esta deliberación está cerrada: no recibe votos ni afirmaciones."),
            code="deliberation_closed",
        )


# --- staff: the deliberation and its statements -------------------------------------------------


def _settings_clean(values: dict[str, Any]) -> dict[str, Any]:
    clean = dict(values)
    if "question" in clean:
        clean["question"] = text_normalise(clean["question"])
        if not 10 <= len(clean["question"]) <= 300:
            raise InvalidInput(
                _("La pregunta debe tener entre 10 y 300 caracteres."), field="question"
            )
    if "status" in clean and clean["status"] not in Deliberation.Status.values:
        raise InvalidInput(_("Estado no válido: abierta o cerrada."), field="status")
    if "recompute_seconds" in clean and not (
        RECOMPUTE_SECONDS_MIN <= int(clean["recompute_seconds"]) <= 86400
    ):
        raise InvalidInput(
            _("El intervalo entre recálculos debe estar entre 5 segundos y un día."),
            field="recompute_seconds",
        )
    if "min_votes" in clean and not 1 <= int(clean["min_votes"]) <= 100:
        raise InvalidInput(_("Los votos mínimos deben estar entre 1 y 100."), field="min_votes")
    unknown = set(clean) - set(SETTINGS)
    if unknown:
        raise InvalidInput(_("Campo no reconocido: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    return clean


def deliberation_create(
    *, exercise: Exercise, question: str, by: Any, request: Any = None, **settings: Any
) -> Deliberation:
    """Attach a deliberation to an exercise (one per exercise)."""
    require(by, "exercise.edit", exercise)
    clean = _settings_clean({"question": question, **settings})
    if Deliberation.objects.filter(exercise=exercise).exists():
        raise Conflict(_("Este ejercicio ya tiene una deliberación."))
    with transaction.atomic():
        deliberation = Deliberation.objects.create(
            exercise=exercise, created_by=by, is_example=exercise.is_example, **clean
        )
        audit_record(
            action="deliberation.create",
            obj=deliberation,
            actor=by,
            entity=exercise.owner,
            after={k: clean[k] for k in sorted(clean)},
            ip=client_ip(request),
        )
    return deliberation


def deliberation_update(
    *, deliberation: Deliberation, by: Any, request: Any = None, **changes: Any
) -> Deliberation:
    """Change the question or the settings, or open and close the deliberation."""
    require(by, "exercise.edit", deliberation.exercise)
    clean = _settings_clean(changes)
    before = {k: getattr(deliberation, k) for k in clean}
    changed = {k: v for k, v in clean.items() if before[k] != v}
    if not changed:
        return deliberation
    with transaction.atomic():
        for name, value in changed.items():
            setattr(deliberation, name, value)
        deliberation.save(update_fields=list(changed))
        audit_record(
            action="deliberation.update",
            obj=deliberation,
            actor=by,
            entity=deliberation.exercise.owner,
            before={k: before[k] for k in changed},
            after=changed,
            ip=client_ip(request),
        )
        if "min_votes" in changed:
            recompute_request(deliberation)
    return deliberation


def _statement_text(raw: str) -> str:
    text = text_normalise(raw)
    if len(text) < STATEMENT_MIN:
        raise InvalidInput(
            _("La afirmación es demasiado corta (mínimo %(n)s caracteres).") % {"n": STATEMENT_MIN},
            field="text",
        )
    if len(text) > STATEMENT_MAX:
        raise InvalidInput(
            _("La afirmación es demasiado larga (máximo %(n)s caracteres).") % {"n": STATEMENT_MAX},
            field="text",
        )
    return text


def _statement_store(**fields: Any) -> Statement:
    deliberation = fields["deliberation"]
    text = fields["text"]
    key = strip_accents(text).casefold()
    for other in deliberation.statements.exclude(
        moderation=Statement.Moderation.REJECTED
    ).values_list("text", flat=True):
        if strip_accents(other).casefold() == key:
            raise Conflict(_("Ya existe una afirmación con el mismo texto."), field="text")
    public_text, kinds = personal_data_scan(text)
    return Statement.objects.create(public_text=public_text, personal_data=kinds, **fields)


def statement_add(
    *, deliberation: Deliberation, text: str, by: Any, request: Any = None
) -> Statement:
    """A statement seeded by staff: published at once."""
    require(by, "exercise.edit", deliberation.exercise)
    text = _statement_text(text)
    with transaction.atomic():
        statement = _statement_store(
            deliberation=deliberation,
            text=text,
            origin=Statement.Origin.STAFF,
            moderation=Statement.Moderation.PUBLISHED,
            created_by=by,
            moderated_at=timezone.now(),
            moderated_by=by,
        )
        audit_record(
            action="deliberation.statement_add",
            obj=statement,
            actor=by,
            entity=deliberation.exercise.owner,
            after={"moderation": statement.moderation, "origin": statement.origin},
            ip=client_ip(request),
        )
    return statement


def statement_propose(*, participant: Participant, text: str) -> Statement:
    """A participant proposes a statement: it waits for moderation before anyone votes on it."""
    deliberation = participant.deliberation
    _require_open(deliberation)
    if not deliberation.accepts_proposals:
        raise Conflict(_("Esta deliberación no recibe afirmaciones nuevas de participantes."))
    text = _statement_text(text)
    pending = Statement.objects.filter(
        author=participant, moderation=Statement.Moderation.PENDING
    ).count()
    if pending >= PENDING_PROPOSALS_MAX:
        raise RateLimited(
            _("Ya tiene %(n)s afirmaciones esperando moderación; espere a que se revisen.")
            % {"n": pending}
        )
    with transaction.atomic():
        return _statement_store(
            deliberation=deliberation,
            text=text,
            origin=Statement.Origin.PARTICIPANT,
            moderation=Statement.Moderation.PENDING,
            author=participant,
        )


def statement_moderate(
    *, statement: Statement, to: str, by: Any, reason: str = "", request: Any = None
) -> Statement:
    """Publish a pending statement, or reject (hide) one with a public reason; nothing is
    deleted. Votes already cast on a rejected statement stay stored but leave the groups."""
    require(by, "contribution.moderate", statement)
    if to not in Statement.Moderation.values or to == Statement.Moderation.PENDING:
        raise InvalidInput(_("Estado de moderación no válido: publicar o rechazar."), field="to")
    reason = text_normalise(reason)
    if to == Statement.Moderation.REJECTED and len(reason) < 5:
        raise InvalidInput(
            _("Explique públicamente por qué se rechaza la afirmación."), field="reason"
        )
    with transaction.atomic():
        before = {"moderation": statement.moderation, "rejected_reason": statement.rejected_reason}
        statement.moderation = to
        statement.rejected_reason = reason[:300] if to == Statement.Moderation.REJECTED else ""
        statement.moderated_at = timezone.now()
        statement.moderated_by = by
        statement.save(
            update_fields=["moderation", "rejected_reason", "moderated_at", "moderated_by"]
        )
        audit_record(
            action="deliberation.statement_moderate",
            obj=statement,
            actor=by,
            entity=statement.deliberation.exercise.owner,
            before=before,
            after={"moderation": to, "rejected_reason": statement.rejected_reason},
            ip=client_ip(request),
        )
        recompute_request(statement.deliberation)
    return statement


# --- participants and votes ---------------------------------------------------------------------


def participant_get_or_create(
    *,
    deliberation: Deliberation,
    user: Any = None,
    contact: Any = None,
    anonymous_key: str | None = None,
) -> Participant:
    """The participant a signed-in account, a contact (WhatsApp, USSD) or a browser's
    anonymous key is in this deliberation, created on first use."""
    if user is not None and getattr(user, "is_authenticated", False):
        lookup: dict[str, Any] = {"user_id": user.pk}
    elif contact is not None:
        lookup = {"contact_id": contact.pk}
    elif anonymous_key:
        lookup = {"anonymous_key": anonymous_key[:32]}
    else:
        raise InvalidInput(_("No pudimos identificarle; active las cookies de su navegador."))
    found = _participant_find(deliberation.pk, *next(iter(lookup.items())))
    if found is None:
        try:
            with transaction.atomic():
                found = Participant.objects.create(deliberation=deliberation, **lookup)
        except IntegrityError:  # created by a request of the same person just now
            found = Participant.objects.get(deliberation=deliberation, **lookup)
    found.deliberation = deliberation
    return found


def _participant_find(deliberation_id: int, column: str, value: Any) -> Participant | None:
    """The participant by one of its identities: one indexed read without the ORM's query
    building (every web and API vote looks its voter up)."""
    table = Participant._meta.db_table
    found = Participant.objects.raw(
        f"SELECT * FROM {table} WHERE deliberation_id = %s AND {column} = %s LIMIT 1",  # noqa: S608 - fixed names
        [deliberation_id, value],
    )
    return next(iter(found), None)


def vote_parse(raw: Any) -> int:
    """A vote as a channel sends it ("1", "si", "de acuerdo", -1, "paso"…) → +1, -1 or 0."""
    if isinstance(raw, bool):
        raise InvalidInput(_vote_message(), field="value")
    if isinstance(raw, int):
        if raw in (-1, 0, 1):
            return raw
        raise InvalidInput(_vote_message(), field="value")
    word = strip_accents(text_normalise(str(raw or ""))).casefold().strip(" .!")
    for value, words in _VOTE_WORDS.items():
        if word in words:
            return value
    raise InvalidInput(_vote_message(), field="value")


def _vote_message() -> str:
    return _("Voto no válido: responda 1 (de acuerdo), 2 (en desacuerdo) o 3 (paso).")


def vote_cast(*, participant: Participant, statement_id: int, value: Any, channel: str) -> int:
    """Record a participant's vote on a published statement of an open deliberation; a new vote
    on the same statement replaces the first (one row per participant and statement, by a
    database constraint). Returns the value stored.

    The common case is two statements: the upsert, which checks in the same statement that the
    statement is published in this deliberation, and a read of the recompute flag. Only a
    refused vote runs the queries that say why."""
    value = value if isinstance(value, int) and not isinstance(value, bool) else vote_parse(value)
    if value not in (-1, 0, 1):
        raise InvalidInput(_vote_message(), field="value")
    if channel not in VOTE_CHANNELS:
        raise InvalidInput(_("Canal no válido."), field="channel")
    deliberation = participant.deliberation
    _require_open(deliberation)
    if not _vote_upsert(deliberation.pk, statement_id, participant.pk, value, channel):
        _vote_refusal(deliberation, statement_id)
    # After the vote is stored: a crash between the two leaves the flag for the next vote.
    # While the flag is set (a recompute is queued) there is nothing to request.
    with connection.cursor() as cursor:
        cursor.execute(_DIRTY_SQL, [deliberation.pk])
        found = cursor.fetchone()
    if found is not None and not found[0]:
        recompute_request(deliberation)
    return value


_DIRTY_SQL = f"SELECT dirty FROM {Deliberation._meta.db_table} WHERE id = %s"  # noqa: S608


def _vote_refusal(deliberation: Deliberation, statement_id: int) -> None:
    """Why the upsert stored nothing: raises the error the citizen reads."""
    moderation = (
        Statement.objects.filter(pk=statement_id, deliberation_id=deliberation.pk)
        .values_list("moderation", flat=True)
        .first()
    )
    if moderation is None:
        raise NotFound(_("Esa afirmación no existe en esta deliberación."), field="statement")
    if moderation == Statement.Moderation.PENDING:
        raise Conflict(
            _("Esa afirmación aún espera moderación: todavía no se puede votar."),
            code="statement_pending",
            field="statement",
        )
    raise Conflict(
        _("Esa afirmación fue retirada por moderación y ya no recibe votos."),
        code="statement_hidden",
        field="statement",
    )


_UPSERT_SQL = (
    f"INSERT INTO {Vote._meta.db_table} (deliberation_id, statement_id, participant_id, value, "  # noqa: S608 - the models' own tables
    "channel, created_at, updated_at) "
    "SELECT %s, id, %s, %s, %s, %s, %s "
    f"FROM {Statement._meta.db_table} "
    "WHERE id = %s AND deliberation_id = %s AND moderation = %s "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, "
    "channel = excluded.channel, updated_at = excluded.updated_at"
)


def _vote_upsert(
    deliberation_id: int, statement_id: int, participant_id: int, value: int, channel: str
) -> bool:
    """Insert the vote or replace the participant's earlier one on the statement, if the
    statement is published in the deliberation (False, nothing stored, otherwise): one
    statement in autocommit (SQLite and PostgreSQL both take ``INSERT … SELECT … ON
    CONFLICT``). Not the ORM: its transaction would take SQLite's write lock for longer
    (BEGIN IMMEDIATE), and every web worker votes through here."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_SQL,
            [
                deliberation_id,
                participant_id,
                value,
                channel,
                now,
                now,
                statement_id,
                deliberation_id,
                Statement.Moderation.PUBLISHED.value,
            ],
        )
        return cursor.rowcount > 0


# --- one statement at a time (SMS, WhatsApp, USSD) -----------------------------------------------


def statement_show(participant: Participant) -> Statement | None:
    """The participant's next statement, remembered as the one their next keypad or chat vote
    is on (None, and nothing remembered, when they have voted on every published one)."""
    statement = next_statement_for(participant)
    shown = statement.pk if statement is not None else None
    if participant.shown_statement_id != shown:
        Participant.objects.filter(pk=participant.pk).update(shown_statement_id=shown)
        participant.shown_statement_id = shown
    return statement


def vote_shown(*, participant: Participant, raw: Any, channel: str) -> int:
    """A chat or keypad answer ("1", "2", "3", "si", "paso"…) as a vote on the statement last
    shown to the participant; the same refusals as ``vote_cast`` (a statement hidden since it
    was shown: ``Conflict`` with code ``statement_hidden``)."""
    value = vote_parse(raw)
    if participant.shown_statement_id is None:
        raise NotFound(
            _("No hay una afirmación pendiente de su voto en esta deliberación."),
            field="statement",
        )
    return vote_cast(
        participant=participant,
        statement_id=participant.shown_statement_id,
        value=value,
        channel=channel,
    )


# --- rate limits (the web page and the API) ------------------------------------------------------


def _rate(name: str) -> str:
    return getattr(settings, "URNA_DELIBERATION_RATES", {}).get(name, DEFAULT_RATES[name])


def rate_limit(action: str, *, identity: str | None = None, network: str | None = None) -> None:
    """Count a web or API ``action`` ("vote", "proposal") against the participant's identity
    and its network (each when given); raises ``RateLimited`` (HTTP 429) past a limit."""
    checks = [(action, identity)] if identity else []
    if network:
        checks.append((f"{action}-network", network))
    for scope, key in checks:
        if not ratelimit.hit(f"delib-{scope}", key, _rate(scope)):
            if action == "vote":
                message = _(
                    "Ha votado muchas veces en muy poco tiempo. Espere un minuto y vuelva a "
                    "intentarlo."
                )
            else:
                message = _(
                    "Ha propuesto muchas afirmaciones en poco tiempo. Espere un rato y vuelva a "
                    "intentarlo; lo que escribió no se ha perdido."
                )
            raise RateLimited(message)
