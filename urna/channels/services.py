"""Raw-first intake of inbound messages, their processing, staff retries and social-post links.

The flow of every webhook: verify the provider's signature → ``inbound_store`` (one short
autocommitted INSERT; a provider's retry hits the unique constraint and stores nothing) →
acknowledge. Processing (``inbound_process``) runs inline where the provider waits for an answer
(USSD) and otherwise in the ``channels.drain`` background job. A row is claimed by a
compare-and-set UPDATE that is also the first write of its transaction, so two workers never
process it twice and SQLite takes its write lock up front; the contribution or query, the reply
in the outbox and the row's new status commit together. An unexpected error marks the row
``failed`` (kept, retryable by staff); a database hiccup leaves it ``received`` for the next drain.
"""

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from urna.audit.services import audit_record
from urna.channels.addresses import phone_e164
from urna.channels.models import InboundMessage, SocialPostLink
from urna.channels.registry import Outcome, sends_replies, source_for
from urna.core.channels import OUTBOUND_CHANNELS, Channel
from urna.core.errors import Conflict
from urna.jobs.models import Job
from urna.jobs.registry import get_task
from urna.jobs.services import job_progress
from urna.messaging.services import message_queue

logger = logging.getLogger("urna.channels")
Status = InboundMessage.Status
Result = InboundMessage.Result

# Seconds after the end of its one-second bucket that a drain job runs: every row stored during
# the bucket is committed by then, so no acknowledged message waits for the periodic sweep.
DRAIN_DELAY_SECONDS = 0.5
# Messages processed per write transaction, and the pause that lets webhooks write between.
DRAIN_CHUNK = 25
DRAIN_PAUSE_SECONDS = 0.1
SWEEP_SECONDS = 60
# The jobs of ``tasks.py``, enqueued by their registered names (tasks.py imports this module).
DRAIN_TASK = "channels.drain"
SWEEP_TASK = "channels.sweep"


def inbound_store(
    *,
    provider: str,
    provider_message_id: str,
    sender: str = "",
    recipient: str = "",
    body: str = "",
    payload: str = "",
    headers: dict[str, str] | None = None,
    status: str = Status.RECEIVED,
    result: str = Result.NONE,
    reply: str = "",
    last_error: str = "",
) -> tuple[InboundMessage, bool]:
    """Store one inbound message as received. Returns (row, created); a retry of the same
    provider message returns the row stored the first time."""
    # A NUL character cannot be stored in PostgreSQL text: drop it rather than fail the webhook
    # (the provider would retry the same message forever). The signature was checked before.
    sender, recipient, body, payload, provider_message_id = (
        value.replace("\x00", "")
        for value in (sender, recipient, body, payload, provider_message_id)
    )
    fields = {
        "channel": source_for(provider).channel,
        "sender": sender[:254],
        "recipient": recipient[:254],
        "body": body,
        "payload": payload,
        "headers": headers or {},
        "status": status,
        "result": result,
        "reply": reply,
        "last_error": last_error[:500],
    }
    if status != Status.RECEIVED:
        fields["processed_at"] = timezone.now()
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                provider=provider, provider_message_id=provider_message_id[:200], **fields
            )
    except IntegrityError:
        existing = InboundMessage.objects.filter(
            provider=provider, provider_message_id=provider_message_id[:200]
        ).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def drain_schedule(*, now: float | None = None) -> None:
    """Make sure a drain job will run after this moment. Cheap: one attempted INSERT per
    process per second at most (a shared unique key stops duplicates across processes)."""
    now = time.time() if now is None else now
    bucket = int(now)
    if not cache.add(f"channels:drain:{bucket}", 1, timeout=5):
        return
    delay = getattr(settings, "CHANNELS_DRAIN_DELAY_SECONDS", DRAIN_DELAY_SECONDS)
    run_at = datetime.fromtimestamp(bucket + 1 + delay, tz=UTC)
    get_task(DRAIN_TASK).enqueue(run_at=run_at, unique_key=f"channels:drain:{bucket}")


def sweep_schedule() -> None:
    """Seed the periodic sweep (idempotent): it re-processes rows a crash left behind."""
    if Job.objects.filter(name=SWEEP_TASK, status__in=["queued", "running"]).exists():
        return
    run_at = timezone.now() + timedelta(seconds=SWEEP_SECONDS)
    slot = int(run_at.timestamp()) // SWEEP_SECONDS
    get_task(SWEEP_TASK).enqueue(run_at=run_at, unique_key=f"channels:sweep:{slot}")


def reply_provider(provider: str, channel: str) -> str:
    """The backend a reply must go through: the provider the citizen wrote through, unless the
    channel's outbox is configured for development (console or file)."""
    configured = {
        Channel.SMS: settings.MESSAGING_SMS_BACKEND,
        Channel.WHATSAPP: settings.MESSAGING_WHATSAPP_BACKEND,
        Channel.EMAIL: settings.MESSAGING_EMAIL_BACKEND,
    }.get(channel, "")
    if configured in {"console", "file"} or channel == Channel.EMAIL:
        return ""
    return provider if sends_replies(provider) else ""


def _queue_reply(message: InboundMessage, outcome: Outcome) -> None:
    if message.channel not in OUTBOUND_CHANNELS or not message.sender:
        return
    to = message.sender
    if message.channel != Channel.EMAIL:
        to = phone_e164(message.sender) or message.sender
    message_queue(
        channel=message.channel,
        to=to,
        body=outcome.reply,
        subject=outcome.subject,
        provider=reply_provider(message.provider, message.channel),
        related=message,
    )


def inbound_process(*, message_id: int) -> str:
    """Process one received row into a contribution, query or reply. Safe to call twice."""
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            claimed = InboundMessage.objects.filter(pk=message_id, status=Status.RECEIVED).update(
                attempts=F("attempts") + 1
            )
            if not claimed:
                return "skipped"
            message = InboundMessage.objects.get(pk=message_id)
            outcome = source_for(message.provider).handle(message)
            if outcome.reply:
                _queue_reply(message, outcome)
            InboundMessage.objects.filter(pk=message_id).update(
                status=outcome.status,
                result=outcome.result,
                result_receipt=outcome.receipt,
                reply=outcome.reply,
                processed_at=timezone.now(),
                last_error="",
            )
        return outcome.status
    except OperationalError:
        raise
    except Exception as exc:  # noqa: BLE001 - kept as failed, retryable by staff
        error = f"{exc.__class__.__name__}: {str(exc)[:300]}"
        InboundMessage.objects.filter(pk=message_id, status=Status.RECEIVED).update(
            status=Status.FAILED, attempts=F("attempts") + 1, last_error=error
        )
        logger.warning("inbound message #%s failed: %s", message_id, exc.__class__.__name__)
        return Status.FAILED


def inbound_process_pending(*, limit: int | None = None, job_id: int | None = None) -> int:
    """Process every received row, oldest first (per-citizen order is kept). Returns a count."""
    done = 0
    while limit is None or done < limit:
        batch = list(
            InboundMessage.objects.filter(status=Status.RECEIVED)
            .order_by("id")
            .values_list("id", flat=True)[:200]
        )
        if not batch:
            break
        for start in range(0, len(batch), DRAIN_CHUNK):
            chunk = batch[start : start + DRAIN_CHUNK]
            if limit is not None:
                chunk = chunk[: limit - done]
            # One transaction per chunk (each message in its own savepoint), then a pause on
            # SQLite: its writers wait by polling, so a drain that re-took the write lock at
            # once after every message starved the webhooks (p99 1.4 s during a flood). The
            # pause also leaves CPU to the webhooks: a flood is acknowledged first and
            # processed as fast as the rest allows (messages are stored before the 200).
            with transaction.atomic():
                for message_id in chunk:
                    inbound_process(message_id=message_id)
            done += len(chunk)
            if connection.vendor == "sqlite":
                time.sleep(DRAIN_PAUSE_SECONDS)
            if limit is not None and done >= limit:
                break
        if job_id is not None:
            job_progress(job_id=job_id, fraction=0.5, note=f"{done}")
    return done


def inbound_retry(*, message: InboundMessage, by: Any = None) -> InboundMessage:
    """Staff put a failed message back to be processed (audit-logged), and process it now."""
    with transaction.atomic():
        updated = InboundMessage.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.RECEIVED
        )
        if updated:
            audit_record(
                action="channels.inbound_retry",
                obj=message,
                actor=by,
                before={"status": Status.FAILED},
                after={"status": Status.RECEIVED},
            )
    if updated:
        inbound_process(message_id=message.pk)
    message.refresh_from_db()
    return message


def social_link_create(*, platform: str, post_id: str, exercise: Any, by: Any) -> SocialPostLink:
    """Link a Facebook or Instagram post to an exercise: comments on it become contributions
    (audit-logged). A post is linked to one exercise at most."""
    try:
        with transaction.atomic():
            link = SocialPostLink.objects.create(
                platform=platform, post_id=post_id, exercise=exercise, created_by=by
            )
            audit_record(
                action="channels.social_link",
                obj=link,
                actor=by,
                entity=exercise.owner,
                after={"platform": link.platform, "post_id": link.post_id},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Esa publicación ya está enlazada a un ejercicio."), field="post_id"
        ) from exc
    return link
