"""Dispatches: one message sent to many recipients, in batches, by background workers.

``dispatch_create`` stores the template; ``dispatch_enqueue`` puts one outbox row per recipient
in one ``INSERT ... SELECT`` that the database runs over the audience's query (2,000,000 rows
without a Python round trip each), passes them through the consent gate and queues one batch job
(``messaging.dispatch_batch``) per range of ``RANGE_SIZE`` outbox ids. Ranges sit on a fixed grid
of ids (``id // RANGE_SIZE``), so enqueueing, resuming and a job's rerun always agree on them.

A batch job walks its range in chunks: it stops when the dispatch is paused (the rows stay
queued for ``dispatch_resume``) or cancelled, passes each chunk through the consent gate again (a
citizen who wrote SALIR while the campaign was going out gets nothing more), renders each
message from the template and the recipient's variables, waits its turn on the backend's
throttle (``urna.messaging.throttle``), hands the messages to the backend's batch API and marks
them sent with one UPDATE. How a worker killed in the middle is recovered, and how many times a
message can then reach the provider, is the backend's to say: see ``urna.messaging.backends``
(exactly once for the file backend, at least once within one chunk for the others).

Rows keep an empty body (2,000,000 bodies would take ~400 MB): what was sent is the dispatch's
template with the recipient's variables, and the provider's own record.
"""

from collections import Counter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.core.channels import OUTBOUND_CHANNELS
from urna.core.errors import Conflict, InvalidInput
from urna.jobs.models import Job
from urna.jobs.registry import enqueue
from urna.jobs.services import job_progress
from urna.messaging import throttle
from urna.messaging.backends import (
    BACKENDS,
    CHANNEL_SETTINGS,
    Batch,
    batch_backend_for,
)
from urna.messaging.hooks import consent_allowed, recipient_vars, unsubscribe_url
from urna.messaging.links import tracked_url
from urna.messaging.models import Dispatch, OutboundMessage
from urna.messaging.rendering import render, template_errors, template_fields
from urna.messaging.selectors import dispatch_metrics

DISPATCH_TASK = "messaging.dispatch_batch"
# Outbox ids per batch job, and rows read (and passed through the gate) per chunk of a job.
RANGE_SIZE = 2000
SELECT_CHUNK = 500
# Rows added at once past which PostgreSQL's statistics of the outbox are refreshed.
ANALYZE_AFTER = 10_000
# Tries of one message before it is marked failed (a provider that keeps refusing it).
MAX_SEND_ATTEMPTS = 3

Status = OutboundMessage.Status


def _backend_name(dispatch: Dispatch) -> str:
    return dispatch.backend or getattr(settings, CHANNEL_SETTINGS[dispatch.channel])


def _backend_source(dispatch: Dispatch) -> str:
    return "the dispatch's backend" if dispatch.backend else CHANNEL_SETTINGS[dispatch.channel]


def dispatch_create(
    *,
    channel: str,
    purpose: str,
    body: str,
    subject: str = "",
    html: str = "",
    whatsapp_template: str = "",
    whatsapp_language: str = "",
    params: list | None = None,
    link_url: str = "",
    backend: str = "",
    rate_per_second: int = 0,
    related: Any = None,
    entity: Any = None,
    by: Any = None,
) -> Dispatch:
    """Store a dispatch (nothing is queued until ``dispatch_enqueue``); audit-logged."""
    if channel not in OUTBOUND_CHANNELS:
        raise InvalidInput(_("Canal de envío no válido."), field="channel")
    if purpose not in Dispatch.Purpose.values:
        raise InvalidInput(_("Finalidad no válida."), field="purpose")
    if not body.strip() and not whatsapp_template:
        raise InvalidInput(_("Escriba el texto del mensaje."), field="body")
    for field, template in (("body", body), ("subject", subject), ("html", html)):
        if template_errors(template):
            raise InvalidInput(
                _("Las llaves { } del mensaje no están pareadas; escriba {{ o }} para una llave."),
                field=field,
            )
    if backend and backend not in BACKENDS:
        raise InvalidInput(_("Proveedor de envío desconocido."), field="backend")
    if rate_per_second < 0:
        raise InvalidInput(_("La velocidad no puede ser negativa."), field="rate_per_second")
    with transaction.atomic():
        dispatch = Dispatch.objects.create(
            channel=channel,
            purpose=purpose,
            subject=subject[:200],
            body=body,
            html=html,
            whatsapp_template=whatsapp_template,
            whatsapp_language=whatsapp_language,
            params=params or [],
            link_url=link_url,
            backend=backend,
            rate_per_second=rate_per_second,
            entity=entity,
            related_type=related._meta.label_lower if related is not None else "",
            related_id=str(related.pk) if related is not None else "",
        )
        audit_record(
            action="dispatch.create",
            obj=dispatch,
            actor=by,
            entity=entity,
            after={
                "channel": channel,
                "purpose": purpose,
                "backend": backend,
                "rate": rate_per_second,
            },
        )
    return dispatch


def _insert_sql(dispatch: Dispatch, recipients: QuerySet) -> tuple[str, list]:
    """One INSERT ... SELECT of an outbox row per (contact id, address) of ``recipients``. A
    contact already in the dispatch (twice in the audience, or enqueued again) is skipped by the
    unique (dispatch, contact) index."""
    sql, params = recipients.query.sql_with_params()
    qn = connection.ops.quote_name
    columns = [
        "channel", "kind", "to", "contact_id", "subject", "body", "provider", "status",
        "backend", "attempts", "last_error", "related_type", "related_id", "dispatch_id",
        "created_at",
    ]  # fmt: skip
    kind = (
        OutboundMessage.Kind.TRANSACTIONAL
        if dispatch.purpose == Dispatch.Purpose.ANSWERS
        else OutboundMessage.Kind.CAMPAIGN
    )
    select = (
        "SELECT %s, %s, r.addr, r.cid, '', '', '', %s, '', 0, '', '', '', %s, %s FROM r "
        "WHERE r.addr IS NOT NULL AND r.addr <> ''"
    )
    values = [dispatch.channel, kind, Status.QUEUED, dispatch.pk, timezone.now()]
    table = qn(OutboundMessage._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    # The statement starts with INSERT (the audience is a CTE of its SELECT), so the drivers
    # report how many rows it added.
    query = f"({names}) WITH r (cid, addr) AS ({sql}) {select}"
    if connection.vendor == "postgresql":
        return f"INSERT INTO {table} {query} ON CONFLICT DO NOTHING", [*params, *values]
    return f"INSERT OR IGNORE INTO {table} {query}", [*params, *values]


def dispatch_enqueue(*, dispatch: Dispatch, recipients: QuerySet, by: Any = None) -> int:
    """Queue the dispatch to ``recipients``, a ``values_list("id", "<address field>")`` queryset
    over contacts (any model), and its batch jobs. Returns how many rows were added (contacts
    already in the dispatch, and rows without an address, are skipped). Recipients the consent
    gate refuses are stored suppressed. Audit-logged with the counts."""
    if len(recipients.query.values_select) != 2:
        raise InvalidInput(_("El público debe dar el id y la dirección de cada contacto."))
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if dispatch.status == Dispatch.Status.CANCELLED:
            raise Conflict(_("El envío fue cancelado."))
        before = OutboundMessage.objects.aggregate(n=Max("id"))["n"] or 0
        sql, params = _insert_sql(dispatch, recipients)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            added = max(cursor.rowcount, 0)
        if connection.vendor == "postgresql" and added >= ANALYZE_AFTER:
            # The batch jobs start at once, before autovacuum has seen the new rows: without
            # fresh statistics the planner reads the outbox by the wrong index.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(OutboundMessage._meta.db_table)}"
                )
        after = OutboundMessage.objects.aggregate(n=Max("id"))["n"] or 0
        suppressed = 0
        for cell in range((before + 1) // RANGE_SIZE, after // RANGE_SIZE + 1):
            rows = OutboundMessage.objects.filter(
                dispatch=dispatch,
                status=Status.QUEUED,
                id__gte=max(cell * RANGE_SIZE, before + 1),
                id__lt=(cell + 1) * RANGE_SIZE,
            ).values_list("id", "contact_id")
            suppressed_here, allowed = _gate(dispatch, list(rows))
            suppressed += suppressed_here
            if allowed:
                _enqueue_range(dispatch, cell)
        Dispatch.objects.filter(pk=dispatch.pk).update(
            recipients=F("recipients") + added,
            status=Dispatch.Status.SENDING,
            started_at=dispatch.started_at or timezone.now(),
            finished_at=None,
        )
        audit_record(
            action="dispatch.start",
            obj=dispatch,
            actor=by,
            entity=dispatch.entity,
            after={"queued": added - suppressed, "suppressed": suppressed},
        )
        dispatch_finish_if_done(dispatch_id=dispatch.pk)
    return added


def _gate(dispatch: Dispatch, rows: list[tuple[int, int | None]]) -> tuple[int, list]:
    """Suppress the rows whose contact the consent gate refuses; returns (how many, the rest)."""
    if not rows:
        return 0, []
    allowed = consent_allowed(
        {c for _, c in rows if c is not None}, dispatch.channel, dispatch.purpose
    )
    refused = [pk for pk, contact_id in rows if contact_id not in allowed]
    if refused:
        OutboundMessage.objects.filter(id__in=refused, status=Status.QUEUED).update(
            status=Status.SUPPRESSED
        )
    return len(refused), [row for row in rows if row[1] in allowed]


def _range_key(dispatch_id: int, cell: int) -> str:
    return f"dispatch:{dispatch_id}:{cell}"


def _enqueue_range(dispatch: Dispatch, cell: int) -> None:
    first = cell * RANGE_SIZE
    enqueue(
        DISPATCH_TASK,
        dispatch_id=dispatch.pk,
        first_id=first,
        last_id=first + RANGE_SIZE - 1,
        unique_key=_range_key(dispatch.pk, cell),
        entity_id=dispatch.entity_id,
    )


def _messages(dispatch: Dispatch, rows: list[tuple[int, int | None, str]]) -> list[OutboundMessage]:
    """The rows rendered for sending: subject and body from the templates and each recipient's
    variables, the rest in ``message.extras`` (see ``urna.messaging.backends``)."""
    fields = (
        template_fields(dispatch.body)
        | template_fields(dispatch.subject)
        | template_fields(dispatch.html)
        | {f for p in dispatch.params if isinstance(p, str) for f in template_fields(p)}
    )
    own = fields - {"enlace", "enlace_baja"}
    contact_ids = [c for _, c, _ in rows if c is not None]
    variables_of = recipient_vars(contact_ids) if own else {}
    email = dispatch.channel == Dispatch.Channel.EMAIL
    kind = (
        OutboundMessage.Kind.TRANSACTIONAL
        if dispatch.purpose == Dispatch.Purpose.ANSWERS
        else OutboundMessage.Kind.CAMPAIGN
    )
    messages = []
    for pk, contact_id, to in rows:
        variables = dict(variables_of.get(contact_id, {}))
        if "enlace" in fields:
            variables["enlace"] = tracked_url(pk, dispatch.link_url) if dispatch.link_url else ""
        unsubscribe = ""
        if email or "enlace_baja" in fields:
            unsubscribe = unsubscribe_url(contact_id, dispatch.channel, dispatch.purpose)
            variables["enlace_baja"] = unsubscribe
        message = OutboundMessage(
            id=pk,
            channel=dispatch.channel,
            kind=kind,
            to=to,
            contact_id=contact_id,
            dispatch_id=dispatch.pk,
            subject=render(dispatch.subject, variables)[:200],
            body=render(dispatch.body, variables),
        )
        extras: dict[str, Any] = {}
        if dispatch.html:
            extras["html"] = render(dispatch.html, variables, html=True)
        if email and unsubscribe:
            extras["headers"] = {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        if dispatch.whatsapp_template:
            extras["template"] = dispatch.whatsapp_template
            extras["language"] = dispatch.whatsapp_language
            extras["params"] = [
                render(p, variables) if isinstance(p, str) else p for p in dispatch.params
            ]
        message.extras = extras
        messages.append(message)
    return messages


def _running_job(dispatch_id: int, first_id: int) -> int | None:
    """The id of the job running this range, for its progress and lease."""
    return (
        Job.objects.filter(
            unique_key=_range_key(dispatch_id, first_id // RANGE_SIZE), status=Job.Status.RUNNING
        )
        .values_list("id", flat=True)
        .first()
    )


def _record_sent(
    ids: list[int], name: str, messages: list, provider_ids: list[str], backend: Any
) -> int:
    # A chunk handed over while the dispatch was being cancelled was sent all the same.
    sent = OutboundMessage.objects.filter(
        id__in=ids, status__in=[Status.QUEUED, Status.CANCELLED]
    ).update(status=Status.SENT, backend=name, sent_at=timezone.now(), last_error="")
    if backend.reports_delivery:
        for message, provider_id in zip(messages, provider_ids, strict=True):
            message.provider_message_id = provider_id
        OutboundMessage.objects.bulk_update(messages, ["provider_message_id"], batch_size=500)
    return sent


def dispatch_batch_run(*, dispatch_id: int, first_id: int, last_id: int) -> dict[str, int]:
    """Send the queued rows of one range of a dispatch (the ``messaging.dispatch_batch`` job).
    Safe to run again, and after a worker died in the middle; returns the counts of this run."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None:
        return {}
    name = _backend_name(dispatch)
    backend = batch_backend_for(name, source=_backend_source(dispatch))
    rate = throttle.rate_for(name, dispatch.rate_per_second)
    batch = Batch(dispatch_id=dispatch_id, first_id=first_id, last_id=last_id)
    job_id = _running_job(dispatch_id, first_id)
    counts: Counter[str] = Counter()
    queued = OutboundMessage.objects.filter(
        dispatch_id=dispatch_id, status=Status.QUEUED, id__gte=first_id, id__lte=last_id
    )
    # What a worker that died handed over without recording it: sent, not to be sent again.
    accepted = getattr(backend, "accepted", None)
    if accepted is not None:
        held = accepted(batch)
        recovered = queued.filter(id__in=held).update(
            status=Status.SENT, backend=name, sent_at=timezone.now()
        )
        if recovered:
            counts["recovered"] = recovered
    chunk_size = SELECT_CHUNK if not rate else max(1, min(SELECT_CHUNK, int(rate)))
    cursor = first_id - 1
    while True:
        status = Dispatch.objects.filter(pk=dispatch_id).values_list("status", flat=True).get()
        if status == Dispatch.Status.PAUSED:
            counts["paused"] = 1
            break
        if status == Dispatch.Status.CANCELLED:
            counts["cancelled"] += queued.update(status=Status.CANCELLED)
            break
        rows = list(
            queued.filter(id__gt=cursor)
            .order_by("id")
            .values_list("id", "contact_id", "to")[:chunk_size]
        )
        if not rows:
            break
        cursor = rows[-1][0]
        refused, allowed = _gate(dispatch, [(pk, c) for pk, c, _ in rows])
        counts["suppressed"] += refused
        keep = {pk for pk, _ in allowed}
        messages = _messages(dispatch, [row for row in rows if row[0] in keep])
        for start in range(0, len(messages), backend.chunk):
            unit = messages[start : start + backend.chunk]
            ids = [m.pk for m in unit]
            throttle.wait(name, len(unit), rate)
            try:
                provider_ids = backend.send_many(unit, batch)
            except Exception as exc:
                if not _record_failure(ids, name, exc):
                    raise  # the job retries the range after its backoff
                counts["failed"] += len(ids)
                continue
            counts["sent"] += _record_sent(ids, name, unit, provider_ids, backend)
        job_progress(
            job_id=job_id,
            fraction=(cursor - first_id + 1) / (last_id - first_id + 1),
            note=f"{counts['sent']}",
        )
    dispatch_finish_if_done(dispatch_id=dispatch_id)
    return dict(counts)


def _record_failure(ids: list[int], name: str, exc: Exception) -> int:
    """Count a failed try on each message; those out of tries are marked failed (returns how
    many), the others stay queued for the job's next attempt."""
    error = f"{exc.__class__.__name__}: {str(exc)[:400]}"
    OutboundMessage.objects.filter(id__in=ids, status=Status.QUEUED).update(
        attempts=F("attempts") + 1, last_error=error, backend=name
    )
    return OutboundMessage.objects.filter(
        id__in=ids, status=Status.QUEUED, attempts__gte=MAX_SEND_ATTEMPTS
    ).update(status=Status.FAILED)


def dispatch_finish_if_done(*, dispatch_id: int) -> bool:
    """Mark a sending dispatch done once no row is queued (audit-logged with its counts)."""
    if OutboundMessage.objects.filter(dispatch_id=dispatch_id, status=Status.QUEUED).exists():
        return False
    with transaction.atomic():
        done = Dispatch.objects.filter(pk=dispatch_id, status=Dispatch.Status.SENDING).update(
            status=Dispatch.Status.DONE, finished_at=timezone.now()
        )
        if done:
            dispatch = Dispatch.objects.get(pk=dispatch_id)
            audit_record(
                action="dispatch.done",
                obj=dispatch,
                entity=dispatch.entity,
                after=dispatch_metrics(dispatch),
            )
    return bool(done)


def _change(
    dispatch: Dispatch,
    *,
    allowed: set[str],
    to: str,
    action: str,
    by: Any,
    rows: Any = None,
) -> Dispatch:
    """Move the dispatch from one of ``allowed`` to ``to`` (``Conflict`` otherwise), run
    ``rows(dispatch)`` (what the change does to its rows, returning counts), and audit it."""
    locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if locked.status not in allowed:
        raise Conflict(
            _("El envío está %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    fields = {"status": to}
    if to == Dispatch.Status.CANCELLED:
        fields["finished_at"] = timezone.now()
    Dispatch.objects.filter(pk=locked.pk).update(**fields)
    counts = rows(locked) if rows is not None else {}
    audit_record(
        action=action,
        obj=locked,
        actor=by,
        entity=locked.entity,
        before={"status": locked.status},
        after={"status": to, **counts},
    )
    locked.refresh_from_db()
    return locked


def dispatch_pause(*, dispatch: Dispatch, by: Any = None) -> Dispatch:
    """Stop sending after the chunk each worker is on; the rest stays queued."""
    with transaction.atomic():
        return _change(
            dispatch,
            allowed={Dispatch.Status.SENDING},
            to=Dispatch.Status.PAUSED,
            action="dispatch.pause",
            by=by,
        )


def _requeue(dispatch: Dispatch) -> dict[str, int]:
    cells = list(
        OutboundMessage.objects.filter(dispatch=dispatch, status=Status.QUEUED)
        .annotate(cell=F("id") / RANGE_SIZE)
        .values_list("cell", flat=True)
        .order_by("cell")
        .distinct()
    )
    for cell in cells:
        _enqueue_range(dispatch, cell)
    return {"ranges": len(cells)}


def dispatch_resume(*, dispatch: Dispatch, by: Any = None) -> Dispatch:
    """Send again: every range that still has queued rows gets its batch job back."""
    with transaction.atomic():
        resumed = _change(
            dispatch,
            allowed={Dispatch.Status.PAUSED},
            to=Dispatch.Status.SENDING,
            action="dispatch.resume",
            by=by,
            rows=_requeue,
        )
        dispatch_finish_if_done(dispatch_id=resumed.pk)
    resumed.refresh_from_db()
    return resumed


def _cancel_rows(dispatch: Dispatch) -> dict[str, int]:
    queued = OutboundMessage.objects.filter(dispatch=dispatch, status=Status.QUEUED)
    return {"cancelled": queued.update(status=Status.CANCELLED)}


def dispatch_cancel(*, dispatch: Dispatch, by: Any = None) -> Dispatch:
    """Stop for good: every row still queued is marked cancelled (audit-logged with how many)."""
    with transaction.atomic():
        return _change(
            dispatch,
            allowed={Dispatch.Status.SENDING, Dispatch.Status.PAUSED},
            to=Dispatch.Status.CANCELLED,
            action="dispatch.cancel",
            by=by,
            rows=_cancel_rows,
        )
