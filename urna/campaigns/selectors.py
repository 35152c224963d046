"""Reads of segments and campaigns: who a segment holds, its counts per channel, each channel's
audience of a campaign, the campaigns a staff member may see, and a campaign's metrics.

Every audience is a queryset the database runs (2,000,000 contacts never pass through Python),
always over ``Contact.objects.live()`` and limited by consent only through
``urna.contacts.consent.consented``.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import entity_ids_for, scope_queryset
from urna.campaigns.models import Campaign, CampaignDispatch, Segment
from urna.contacts.consent import ADDRESS_FIELD, bit, consent_condition, consented
from urna.contacts.models import ConsentEvent, Contact, ContactInterest
from urna.core.errors import NotFound
from urna.entities.models import Entity
from urna.exercises.models import Contribution
from urna.messaging.models import OutboundMessage
from urna.messaging.selectors import dispatch_metrics

INTEREST_KINDS = {
    "topics": ContactInterest.Kind.TOPIC,
    "entities": ContactInterest.Kind.ENTITY,
    "departments": ContactInterest.Kind.DEPARTMENT,
    "municipalities": ContactInterest.Kind.MUNICIPALITY,
    "exercises": ContactInterest.Kind.EXERCISE,
}


def _interested(kind: str, values: list[str]) -> Q:
    return Q(
        pk__in=ContactInterest.objects.filter(kind=kind, value__in=values).values("contact_id")
    )


def segment_contacts(filters: dict[str, Any]) -> QuerySet[Contact]:
    """The live contacts a segment's (clean) filters select, as one query."""
    qs = Contact.objects.live()
    for key, kind in INTEREST_KINDS.items():
        if filters.get(key):
            qs = qs.filter(_interested(kind, filters[key]))
    if filters.get("in_departments"):
        qs = qs.filter(department_id__in=filters["in_departments"])
    if filters.get("in_municipalities"):
        qs = qs.filter(municipality_id__in=filters["in_municipalities"])
    if filters.get("languages"):
        qs = qs.filter(language__in=filters["languages"])
    if filters.get("active_days"):
        since = timezone.now() - timedelta(days=filters["active_days"])
        qs = qs.filter(Q(last_contribution_at__gte=since) | Q(last_query_at__gte=since))
    if filters.get("took_part"):
        slugs = filters["took_part"]
        contributed = Contribution.objects.filter(
            exercise__slug__in=slugs, contact__isnull=False
        ).values("contact_id")
        qs = qs.filter(Q(pk__in=contributed) | _interested(ContactInterest.Kind.EXERCISE, slugs))
    channels = filters.get("channels") or []
    purpose = filters.get("purpose") or Campaign.Purpose.CAMPAIGNS
    if channels:
        # One scan: the querysets' conditions joined by OR (a subquery per channel took 13 s
        # on 2,000,000 contacts, this takes 1 s).
        either = consented(qs, channels[0], purpose)
        for channel in channels[1:]:
            either = either | consented(qs, channel, purpose)
        qs = either
    return qs


def _consent_condition(channel: str, purpose: str) -> Any:
    """The consent rule as a condition, so that one scan counts every channel
    (``Count(filter=...)``): four counts of 2,000,000 contacts in 1.2 s instead of 2.2 s."""
    return consent_condition(channel, purpose)


@dataclass(frozen=True)
class SegmentCounts:
    total: int
    channels: list[tuple[str, str, int]]  # (channel, label, contacts who consented)


def segment_counts(filters: dict[str, Any]) -> SegmentCounts:
    """How many contacts the filters select, and how many of them may receive the purpose by
    each channel (contacts consenting to several count in each), in one query."""
    contacts = segment_contacts(filters)
    purpose = filters.get("purpose") or Campaign.Purpose.CAMPAIGNS
    labels = dict(OutboundMessage.Channel.choices)
    counts = contacts.aggregate(
        total=Count("pk"),
        **{
            channel: Count("pk", filter=_consent_condition(channel, purpose))
            for channel in ADDRESS_FIELD
        },
    )
    return SegmentCounts(
        total=counts["total"],
        channels=[(str(c), str(labels[c]), counts[c]) for c in ADDRESS_FIELD],
    )


def campaign_audience(
    campaign: Campaign, channel: str, *, earlier: list[Any] = ()
) -> QuerySet[Contact]:
    """The contacts ``campaign`` reaches by ``channel``, as ``values_list(id, address)``.

    One message per contact (unless ``every_channel``): a contact goes by its preferred channel
    when it is one of the campaign's and consented, otherwise by the first channel in the
    campaign's order it consented to. ``earlier`` are the dispatches of the channels before this
    one: their recipients are left out (what they were sent is the record)."""
    purpose = campaign.purpose
    qs = consented(segment_contacts(campaign.segment.filters), channel, purpose)
    if not campaign.every_channel:
        for other in campaign.channels:
            if other == channel:
                continue
            prefer_other = consented(
                Contact.objects.filter(preferred_channel=other), other, purpose
            ).values("pk")
            qs = qs.exclude(pk__in=prefer_other)
        for dispatch in earlier:
            qs = qs.exclude(
                pk__in=OutboundMessage.objects.filter(dispatch=dispatch).values("contact_id")
            )
    return qs.values_list("pk", ADDRESS_FIELD[channel])


def campaign_reach(campaign: Campaign) -> list[tuple[str, int]]:
    """Before sending: how many contacts each channel would carry, in the campaign's order, with
    one message per contact (preferred channel first, then the order). Counts in SQL."""
    purpose = campaign.purpose
    base = segment_contacts(campaign.segment.filters)
    out: list[tuple[str, int]] = []
    before: list[str] = []
    for channel in campaign.channels:
        qs = consented(base, channel, purpose)
        if not campaign.every_channel:
            for other in campaign.channels:
                if other == channel:
                    continue
                prefer_other = consented(
                    Contact.objects.filter(preferred_channel=other), other, purpose
                ).values("pk")
                qs = qs.exclude(pk__in=prefer_other)
            for prior in before:
                # Reached by an earlier channel unless it prefers this one.
                qs = qs.exclude(
                    Q(pk__in=consented(Contact.objects.all(), prior, purpose).values("pk"))
                    & ~Q(preferred_channel=channel)
                )
        out.append((channel, qs.count()))
        before.append(channel)
    return out


# --- staff scoping -------------------------------------------------------------------------------


def segments_for(user: Any, action: str = "campaign.view") -> QuerySet[Segment]:
    return scope_queryset(Segment.objects.select_related("entity"), user, action)


def campaigns_for(user: Any, action: str = "campaign.view") -> QuerySet[Campaign]:
    return scope_queryset(
        Campaign.objects.select_related("entity", "segment", "created_by", "approved_by"),
        user,
        action,
    )


def segment_get(*, user: Any, pk: Any, action: str = "campaign.view") -> Segment:
    found = segments_for(user, action).filter(pk=_int(pk)).first()
    if found is None:
        raise NotFound(_("No encontramos ese segmento entre los de su entidad."))
    return found


def campaign_get(*, user: Any, pk: Any, action: str = "campaign.view") -> Campaign:
    found = campaigns_for(user, action).filter(pk=_int(pk)).first()
    if found is None:
        raise NotFound(_("No encontramos esa campaña entre las de su entidad."))
    return found


def entities_for(user: Any, action: str = "campaign.send") -> list[Entity]:
    ids = entity_ids_for(user, action)
    qs = Entity.objects.active().order_by("name")
    return list(qs if ids is None else qs.filter(pk__in=ids))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- metrics -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelMetrics:
    channel: str
    label: str
    recipients: int
    queued: int
    sent: int  # handed to the provider (delivered ones included)
    delivered: int
    failed: int
    suppressed: int
    cancelled: int
    opted_out: int
    clicks: int
    dispatch_status: str


def _opted_out(cd: CampaignDispatch) -> int:
    """Recipients of the dispatch who revoked this (purpose, channel) after it started."""
    dispatch = cd.dispatch
    if dispatch.started_at is None:
        return 0
    mask = bit(dispatch.purpose, dispatch.channel)
    revoked = (
        ConsentEvent.objects.filter(action=ConsentEvent.Action.REVOKE, at__gte=dispatch.started_at)
        .alias(hit=F("scope").bitand(mask))
        .filter(hit=mask)
        .values("contact_id")
    )
    return OutboundMessage.objects.filter(dispatch=dispatch, contact_id__in=revoked).count()


def campaign_metrics(campaign: Campaign) -> list[ChannelMetrics]:
    """Per channel, in the campaign's order: the dispatch's messages by status, delivered from
    the providers' reports, who opted out since it started, and clicks on tracked links."""
    labels = dict(OutboundMessage.Channel.choices)
    rows = []
    for cd in campaign.dispatches.select_related("dispatch").order_by("position"):
        counts = dispatch_metrics(cd.dispatch)
        rows.append(
            ChannelMetrics(
                channel=cd.channel,
                label=str(labels.get(cd.channel, cd.channel)),
                recipients=sum(counts[k] for k in counts if k != "clicked"),
                queued=counts["queued"],
                sent=counts["sent"] + counts["delivered"],
                delivered=counts["delivered"],
                failed=counts["failed"],
                suppressed=counts["suppressed"],
                cancelled=counts["cancelled"],
                opted_out=_opted_out(cd),
                clicks=counts["clicked"],
                dispatch_status=cd.dispatch.status,
            )
        )
    return rows


def metrics_total(rows: list[ChannelMetrics]) -> dict[str, int]:
    fields = ("recipients", "queued", "sent", "delivered", "failed", "suppressed")
    fields += ("cancelled", "opted_out", "clicks")
    return {f: sum(getattr(r, f) for r in rows) for f in fields}


def sample_contact(campaign_or_filters: Any) -> Contact | None:
    """A contact of the segment for the preview (the first by id), or None."""
    filters = (
        campaign_or_filters.segment.filters
        if isinstance(campaign_or_filters, Campaign)
        else campaign_or_filters
    )
    return segment_contacts(filters).select_related("municipality").order_by("pk").first()
