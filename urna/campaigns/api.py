"""Staff API of campaigns: the list, one campaign with its metrics per channel, and a segment's
counts per channel. Scoped like the pages: another entity's campaign is a 404.

Mounted by ``urna.api`` under /api/v1 (``api.add_router("", "urna.campaigns.api.router")``)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from urna.accounts.api_auth import STAFF_AUTH
from urna.campaigns import selectors

router = Router(tags=["campañas"])
LIST_MAX = 200


class CampaignOut(Schema):
    id: int
    name: str
    entity: str
    status: str
    purpose: str
    channels: list[str]
    segment: int
    run_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class ChannelMetricsOut(Schema):
    channel: str
    recipients: int
    queued: int
    sent: int
    delivered: int
    failed: int
    suppressed: int
    cancelled: int
    opted_out: int
    clicks: int


class CampaignDetailOut(CampaignOut):
    approved_by: str | None
    metrics: list[ChannelMetricsOut]


class ChannelCountOut(Schema):
    channel: str
    contacts: int


class SegmentCountOut(Schema):
    id: int
    name: str
    total: int
    channels: list[ChannelCountOut]


def _campaign(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "entity": c.entity.acronym,
        "status": c.status,
        "purpose": c.purpose,
        "channels": list(c.channels),
        "segment": c.segment_id,
        "run_at": c.run_at,
        "started_at": c.started_at,
        "finished_at": c.finished_at,
    }


@router.get("/staff/campaigns", response=list[CampaignOut], auth=STAFF_AUTH)
def campaign_list(request: HttpRequest, status: str = ""):
    """The campaigns of the caller's entities, newest first (at most 200)."""
    qs = selectors.campaigns_for(request.user).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return [_campaign(c) for c in qs[:LIST_MAX]]


@router.get("/staff/campaigns/{pk}", response=CampaignDetailOut, auth=STAFF_AUTH)
def campaign_detail(request: HttpRequest, pk: int):
    """One campaign and, once it started, its metrics per channel."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    metrics = selectors.campaign_metrics(campaign)
    return {
        **_campaign(campaign),
        "approved_by": campaign.approved_by.get_username() if campaign.approved_by else None,
        "metrics": [
            {
                "channel": m.channel,
                "recipients": m.recipients,
                "queued": m.queued,
                "sent": m.sent,
                "delivered": m.delivered,
                "failed": m.failed,
                "suppressed": m.suppressed,
                "cancelled": m.cancelled,
                "opted_out": m.opted_out,
                "clicks": m.clicks,
            }
            for m in metrics
        ],
    }


@router.get("/staff/segments/{pk}/count", response=SegmentCountOut, auth=STAFF_AUTH)
def segment_count(request: HttpRequest, pk: int):
    """How many live contacts the segment selects, and how many of them consented to its
    purpose by each channel."""
    segment = selectors.segment_get(user=request.user, pk=pk)
    counts = selectors.segment_counts(segment.filters)
    return {
        "id": segment.pk,
        "name": segment.name,
        "total": counts.total,
        "channels": [{"channel": c, "contacts": n} for c, _, n in counts.channels],
    }
