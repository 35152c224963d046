"""Writes of segments and campaigns: create and edit, the workflow's transitions, the test send,
and the jobs that start a campaign and watch it finish.

Every change is audit-logged as ``campaign.<verb>`` / ``segment.<verb>``, without personal data.
Sending is ``urna.messaging``'s: one dispatch per channel (``dispatch_create``), its audience
queued in one INSERT ... SELECT (``dispatch_enqueue``), paused, resumed and cancelled with it.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.accounts.services import phone_normalise
from urna.audit.services import audit_record
from urna.campaigns import workflow
from urna.campaigns.content import content_clean
from urna.campaigns.filters import filters_clean
from urna.campaigns.models import Campaign, CampaignDispatch, Segment
from urna.campaigns.selectors import campaign_audience, metrics_total
from urna.campaigns.selectors import campaign_metrics as _metrics
from urna.contacts.services import email_normalise
from urna.core.errors import Conflict, InvalidInput, PermissionDenied
from urna.jobs.registry import enqueue
from urna.messaging import throttle
from urna.messaging.backends import CHANNEL_SETTINGS
from urna.messaging.dispatch import (
    dispatch_cancel,
    dispatch_create,
    dispatch_enqueue,
    dispatch_pause,
    dispatch_resume,
)
from urna.messaging.models import Dispatch, OutboundMessage
from urna.messaging.rendering import render
from urna.messaging.services import message_queue

S = Campaign.Status
START_TASK = "campaigns.start"
WATCH_TASK = "campaigns.watch"
WATCH_SECONDS = 30
TEST_MAX = 5
TEST_MARK = "[PRUEBA]"
CONTENT_FIELDS = (
    "channels",
    "sms_body",
    "email_subject",
    "email_text",
    "email_html",
    "whatsapp_template",
    "whatsapp_language",
    "whatsapp_params",
    "link_url",
)


# --- segments ------------------------------------------------------------------------------------


def segment_create(
    *, entity: Any, name: str, filters: dict[str, Any], description: str = "", by: Any
) -> Segment:
    require(by, "campaign.send", entity)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Escriba un nombre para el segmento."), field="name")
    clean = filters_clean(filters)
    with transaction.atomic():
        segment = Segment.objects.create(
            entity=entity, name=name[:120], description=description, filters=clean, created_by=by
        )
        audit_record(
            action="segment.create", obj=segment, actor=by, entity=entity, after={"filters": clean}
        )
    return segment


def segment_update(
    *, segment: Segment, name: str, filters: dict[str, Any], description: str = "", by: Any
) -> Segment:
    """Change a segment. A campaign already sending keeps the audience it was built with; one
    not yet sent will be built from the new filters when it starts."""
    require(by, "campaign.send", segment)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Escriba un nombre para el segmento."), field="name")
    clean = filters_clean(filters)
    with transaction.atomic():
        before = {"name": segment.name, "filters": segment.filters}
        segment.name, segment.description, segment.filters = name[:120], description, clean
        segment.save(update_fields=["name", "description", "filters", "updated_at"])
        audit_record(
            action="segment.update",
            obj=segment,
            actor=by,
            entity=segment.entity,
            before=before,
            after={"name": segment.name, "filters": clean},
        )
        # A campaign past draft was approved for another audience: it goes back to draft.
        for campaign in Campaign.objects.filter(
            segment=segment, status__in=workflow.EDITABLE - {S.DRAFT}
        ):
            _back_to_draft(campaign, by=by, why="segment")
    return segment


def segment_delete(*, segment: Segment, by: Any) -> None:
    require(by, "campaign.send", segment)
    if segment.campaigns.exists():
        raise Conflict(_("El segmento tiene campañas: no se puede eliminar."))
    with transaction.atomic():
        audit_record(action="segment.delete", obj=segment, actor=by, entity=segment.entity)
        segment.delete()


# --- campaigns -----------------------------------------------------------------------------------


def _rate(value: Any) -> int:
    try:
        rate = int(value or 0)
    except (TypeError, ValueError):
        raise InvalidInput(_("Escriba un número."), field="rate_per_second") from None
    if rate < 0:
        raise InvalidInput(_("La velocidad no puede ser negativa."), field="rate_per_second")
    return rate


def _check_segment(entity: Any, segment: Segment) -> None:
    if segment.entity_id != entity.pk:
        raise InvalidInput(_("Elija un segmento de la misma entidad."), field="segment")


def campaign_create(
    *,
    entity: Any,
    segment: Segment,
    name: str,
    purpose: str = Campaign.Purpose.CAMPAIGNS,
    every_channel: bool = False,
    rate_per_second: int = 0,
    by: Any,
    **content: Any,
) -> Campaign:
    """A draft campaign; ``content`` holds the channels in order and each one's message (see
    ``urna.campaigns.content.content_clean``)."""
    require(by, "campaign.send", entity)
    _check_segment(entity, segment)
    if purpose not in Campaign.Purpose.values:
        raise InvalidInput(_("Finalidad no válida."), field="purpose")
    if not name.strip():
        raise InvalidInput(_("Escriba un nombre para la campaña."), field="name")
    clean = content_clean(content)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            entity=entity,
            segment=segment,
            name=name.strip()[:150],
            purpose=purpose,
            every_channel=every_channel,
            rate_per_second=_rate(rate_per_second),
            created_by=by,
            edited_by=by,
            **clean,
        )
        audit_record(
            action="campaign.create",
            obj=campaign,
            actor=by,
            entity=entity,
            after={"segment": segment.pk, "purpose": purpose, "channels": clean["channels"]},
        )
    return campaign


def _back_to_draft(campaign: Campaign, *, by: Any, why: str) -> None:
    before = campaign.status
    Campaign.objects.filter(pk=campaign.pk).update(
        status=S.DRAFT, approved_by=None, approved_at=None, run_at=None
    )
    audit_record(
        action="campaign.return",
        obj=campaign,
        actor=by,
        entity=campaign.entity,
        before={"status": before},
        after={"status": S.DRAFT, "why": why},
    )


def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    segment: Segment,
    purpose: str,
    every_channel: bool = False,
    rate_per_second: int = 0,
    by: Any,
    **content: Any,
) -> Campaign:
    """Change a campaign not yet sent. A submitted, approved or scheduled campaign goes back to
    draft: what was approved is not what would be sent."""
    require(by, "campaign.send", campaign)
    _check_segment(campaign.entity, segment)
    if purpose not in Campaign.Purpose.values:
        raise InvalidInput(_("Finalidad no válida."), field="purpose")
    if not name.strip():
        raise InvalidInput(_("Escriba un nombre para la campaña."), field="name")
    clean = content_clean(content)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status not in workflow.EDITABLE:
            raise Conflict(
                _("La campaña está %(s)s: ya no se puede cambiar.")
                % {"s": locked.get_status_display().lower()}
            )
        fields = {
            "name": name.strip()[:150],
            "segment": segment,
            "purpose": purpose,
            "every_channel": every_channel,
            "rate_per_second": _rate(rate_per_second),
            **clean,
        }
        changed = sorted(k for k, v in fields.items() if getattr(locked, k) != v)
        if not changed:
            return locked
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.edited_by = by
        locked.save(update_fields=[*fields, "edited_by", "updated_at"])
        audit_record(
            action="campaign.edit",
            obj=locked,
            actor=by,
            entity=locked.entity,
            after={"fields": changed},
        )
        if locked.status != S.DRAFT:
            _back_to_draft(locked, by=by, why="edit")
    locked.refresh_from_db()
    return locked


def _authors(campaign: Campaign) -> set[int]:
    return {pk for pk in (campaign.created_by_id, campaign.edited_by_id) if pk}


def campaign_transition(
    *,
    campaign: Campaign,
    action: str,
    by: Any,
    run_at: datetime | None = None,
    reason: str = "",
) -> Campaign:
    """Run a person's action of the workflow table (submit, approve, return, schedule,
    unschedule, pause, resume, cancel): its permission, its source status, audit-logged.

    Approval is by a second staff member: neither the campaign's creator nor its last editor
    may approve it or send it back. Scheduling queues the start job for ``run_at`` (now when
    None). Pausing, resuming and cancelling do the same to every dispatch of the campaign."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None or transition.permission is None:
        raise InvalidInput(_("Acción desconocida."), field="action")
    require(by, transition.permission, campaign)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("entity").get(pk=campaign.pk)
        if locked.status not in transition.source:
            raise Conflict(
                _("No se puede «%(action)s»: la campaña está %(s)s.")
                % {"action": transition.label, "s": locked.get_status_display().lower()}
            )
        fields: dict[str, Any] = {"status": transition.target}
        after: dict[str, Any] = {"status": transition.target}
        if action in {"approve", "return"} and by.pk in _authors(locked):
            raise PermissionDenied(
                _("Otra persona de su entidad debe revisar la campaña: usted la escribió."),
                code="own_campaign",
            )
        if action == "submit":
            content_clean({f: getattr(locked, f) for f in CONTENT_FIELDS})
            fields["return_reason"] = ""
        elif action == "approve":
            fields.update(approved_by=by, approved_at=timezone.now())
        elif action == "return":
            if not reason.strip():
                raise InvalidInput(_("Diga qué hay que cambiar."), field="reason")
            fields["return_reason"] = reason.strip()[:500]
        elif action == "schedule":
            when = run_at or timezone.now()
            if when < timezone.now() - timedelta(minutes=5):
                raise InvalidInput(_("Elija una fecha futura."), field="run_at")
            fields["run_at"] = when
            after["run_at"] = when.isoformat()
        elif action == "unschedule":
            fields["run_at"] = None
        Campaign.objects.filter(pk=locked.pk).update(**fields)
        if action == "schedule":
            _enqueue_start(locked, fields["run_at"])
        elif action in {"pause", "resume", "cancel"}:
            after.update(_dispatches_do(locked, action, by))
            if action == "resume":
                _enqueue_watch(locked, tick=0)
        audit_record(
            action=f"campaign.{action}",
            obj=locked,
            actor=by,
            entity=locked.entity,
            before={"status": locked.status},
            after=after,
        )
    locked.refresh_from_db()
    return locked


def _dispatches_do(campaign: Campaign, action: str, by: Any) -> dict[str, int]:
    """Pause, resume or cancel each of the campaign's dispatches that can be."""
    do = {"pause": dispatch_pause, "resume": dispatch_resume, "cancel": dispatch_cancel}[action]
    allowed = {
        "pause": {Dispatch.Status.SENDING},
        "resume": {Dispatch.Status.PAUSED},
        "cancel": {Dispatch.Status.SENDING, Dispatch.Status.PAUSED},
    }[action]
    done = 0
    for cd in campaign.dispatches.select_related("dispatch"):
        if cd.dispatch.status in allowed:
            do(dispatch=cd.dispatch, by=by)
            done += 1
    return {"dispatches": done}


# --- start and finish (background jobs) ----------------------------------------------------------


def _enqueue_start(campaign: Campaign, run_at: datetime) -> None:
    enqueue(
        START_TASK,
        campaign_id=campaign.pk,
        run_at_iso=run_at.isoformat(),
        run_at=run_at,
        unique_key=f"campaign:{campaign.pk}:start:{run_at.isoformat()}",
        entity_id=campaign.entity_id,
    )


def _enqueue_watch(campaign: Campaign, *, tick: int, delay: int = 0) -> None:
    # Two keys taken in turn: the running watcher queues its successor under the other one, and
    # a rerun of a watcher finds its successor's key taken.
    enqueue(
        WATCH_TASK,
        campaign_id=campaign.pk,
        tick=tick,
        run_at=timezone.now() + timedelta(seconds=delay),
        unique_key=f"campaign:{campaign.pk}:watch:{tick % 2}",
        entity_id=campaign.entity_id,
    )


def provider_rate(channel: str) -> float:
    """Messages a second the channel's provider allows (0: no limit set)."""
    return throttle.rate_for(getattr(settings, CHANNEL_SETTINGS[channel]))


def effective_rate(campaign: Campaign, channel: str) -> int:
    """The campaign's rate for ``channel``, never above the provider's (0: the provider's)."""
    cap = int(provider_rate(channel))
    wanted = campaign.rate_per_second
    if cap and (not wanted or wanted > cap):
        return cap
    return wanted


def _dispatch_for(campaign: Campaign, channel: str, position: int) -> CampaignDispatch:
    existing = campaign.dispatches.select_related("dispatch").filter(channel=channel).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        email = channel == "email"
        dispatch = dispatch_create(
            channel=channel,
            purpose=campaign.purpose,
            body={"sms": campaign.sms_body, "email": campaign.email_text}.get(channel, ""),
            subject=campaign.email_subject if email else "",
            html=campaign.email_html if email else "",
            whatsapp_template=campaign.whatsapp_template if channel == "whatsapp" else "",
            whatsapp_language=campaign.whatsapp_language if channel == "whatsapp" else "",
            params=campaign.whatsapp_params if channel == "whatsapp" else [],
            link_url=campaign.link_url,
            rate_per_second=effective_rate(campaign, channel),
            related=campaign,
            entity=campaign.entity,
        )
        return CampaignDispatch.objects.create(
            campaign=campaign, channel=channel, position=position, dispatch=dispatch
        )


def campaign_start(*, campaign_id: int, run_at_iso: str = "") -> dict[str, int]:
    """The ``campaigns.start`` job: move a scheduled campaign to sending and queue each
    channel's audience through its dispatch, in the campaign's order, each channel leaving out
    the contacts an earlier one carries. Safe to run again: a channel already queued is skipped
    and a rerun of a half-done one adds only who is missing. A job for a schedule that changed
    does nothing."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .select_related("entity", "segment")
            .filter(pk=campaign_id)
            .first()
        )
        if campaign is None:
            return {}
        scheduled = campaign.status == S.SCHEDULED and (
            not run_at_iso or campaign.run_at == parse_datetime(run_at_iso)
        )
        building = campaign.status in {S.SENDING, S.PAUSED} and campaign.started_at is not None
        if not (scheduled or building):
            return {}
        if scheduled:
            Campaign.objects.filter(pk=campaign.pk).update(
                status=S.SENDING, started_at=timezone.now()
            )
            audit_record(
                action="campaign.start",
                obj=campaign,
                entity=campaign.entity,
                before={"status": S.SCHEDULED},
                after={"status": S.SENDING},
            )
    queued: dict[str, int] = {}
    earlier: list[Dispatch] = []
    for position, channel in enumerate(campaign.channels):
        status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).get()
        if status == S.CANCELLED:
            break
        cd = _dispatch_for(campaign, channel, position)
        if cd.enqueued_at is None:
            audience = campaign_audience(campaign, channel, earlier=earlier)
            queued[channel] = dispatch_enqueue(dispatch=cd.dispatch, recipients=audience)
            CampaignDispatch.objects.filter(pk=cd.pk).update(enqueued_at=timezone.now())
            if status == S.PAUSED:  # paused while the audience was being built
                cd.dispatch.refresh_from_db()
                if cd.dispatch.status == Dispatch.Status.SENDING:
                    dispatch_pause(dispatch=cd.dispatch)
        earlier.append(cd.dispatch)
    _enqueue_watch(campaign, tick=0)
    return queued


def campaign_refresh(*, campaign_id: int, tick: int = 0) -> str:
    """The ``campaigns.watch`` job: a sending campaign whose dispatches are all done (or
    cancelled) is sent (audit-logged with its totals); otherwise look again later. A paused
    campaign is not watched: resuming watches it again."""
    campaign = Campaign.objects.select_related("entity").filter(pk=campaign_id).first()
    if campaign is None or campaign.status != S.SENDING:
        return campaign.status if campaign else ""
    dispatches = list(campaign.dispatches.select_related("dispatch"))
    building = len(dispatches) < len(campaign.channels) or any(
        cd.enqueued_at is None for cd in dispatches
    )
    finished = {Dispatch.Status.DONE, Dispatch.Status.CANCELLED}
    if building or any(cd.dispatch.status not in finished for cd in dispatches):
        _enqueue_watch(campaign, tick=tick + 1, delay=WATCH_SECONDS)
        return S.SENDING
    with transaction.atomic():
        moved = Campaign.objects.filter(pk=campaign.pk, status=S.SENDING).update(
            status=S.SENT, finished_at=timezone.now()
        )
        if moved:
            audit_record(
                action="campaign.finish",
                obj=campaign,
                entity=campaign.entity,
                before={"status": S.SENDING},
                after={"status": S.SENT, **metrics_total(_metrics(campaign))},
            )
    return S.SENT


# --- test send -----------------------------------------------------------------------------------


def _address(channel: str, raw: str) -> str:
    try:
        return email_normalise(raw) if channel == "email" else phone_normalise(raw)
    except InvalidInput as exc:
        raise InvalidInput(
            _("Dirección no válida: %(e)s") % {"e": exc.message}, field="addresses"
        ) from exc


def campaign_test_send(
    *, campaign: Campaign, channel: str, addresses: list[str], by: Any
) -> list[OutboundMessage]:
    """Send the channel's message to up to five addresses the staff member typed, as a
    transactional message marked as a test (``[PRUEBA]``), rendered with sample variables.
    Audit-logged with the channel and how many, never the addresses."""
    require(by, "campaign.send", campaign)
    if campaign.status not in workflow.TESTABLE:
        raise Conflict(_("La campaña ya salió: no hay envío de prueba."))
    if channel not in campaign.channels:
        raise InvalidInput(_("Elija uno de los canales de la campaña."), field="channel")
    raw = [a.strip() for a in addresses if a and a.strip()]
    if not raw:
        raise InvalidInput(_("Escriba al menos una dirección."), field="addresses")
    if len(raw) > TEST_MAX:
        raise InvalidInput(
            _("Como máximo %(n)s direcciones de prueba.") % {"n": TEST_MAX}, field="addresses"
        )
    to = list(dict.fromkeys(_address(channel, a) for a in raw))
    variables = {
        "nombre": _("Prueba"),
        "municipio": "Bogotá, D.C.",
        "enlace": campaign.link_url,
        "enlace_baja": f"{settings.PUBLIC_BASE_URL}/baja/prueba",
    }
    if channel == "sms":
        subject, body = "", render(campaign.sms_body, variables)
    elif channel == "email":
        subject = f"{TEST_MARK} {render(campaign.email_subject, variables)}"
        body = render(campaign.email_text, variables)
    else:
        subject = ""
        params = ", ".join(render(p, variables) for p in campaign.whatsapp_params)
        body = _("Plantilla «%(name)s» (%(lang)s): %(params)s") % {
            "name": campaign.whatsapp_template,
            "lang": campaign.whatsapp_language,
            "params": params,
        }
    body = f"{TEST_MARK} {body}"
    with transaction.atomic():
        messages = [
            message_queue(
                channel=channel,
                to=address,
                body=body,
                subject=subject,
                kind=OutboundMessage.Kind.TRANSACTIONAL,
                related=campaign,
            )
            for address in to
        ]
        audit_record(
            action="campaign.test_send",
            obj=campaign,
            actor=by,
            entity=campaign.entity,
            after={"channel": channel, "count": len(messages)},
        )
    return messages
