"""Followers read from the networks' own APIs, for the networks with a token configured:

- YouTube Data API v3, ``GET https://www.googleapis.com/youtube/v3/channels?part=statistics``
  with ``forHandle=<handle>`` (or ``id=<channel id>``) and ``key=`` (``SOCIAL_YOUTUBE_API_KEY``):
  ``items[0].statistics.subscriberCount``, a string; no ``items`` when no channel has it; a
  channel that hides its count says ``hiddenSubscriberCount: true``.
- X API v2, ``GET https://api.x.com/2/users/by?usernames=a,b,…&user.fields=public_metrics``
  (up to 100 a call) with ``Authorization: Bearer`` (``SOCIAL_X_BEARER_TOKEN``):
  ``data[].public_metrics.followers_count``; usernames not found come back in ``errors[]``.

The figure of the day is written as source "api", keeping the posts a CSV gave that day (the
APIs give totals, not the posts of a period). A network without its token is skipped and the
report says so; a network that refuses the token or the rate is left for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import requests
from django.conf import settings
from django.utils import timezone

from urna.socialaccounts.models import Network, SocialAccount, SocialFigure
from urna.socialaccounts.services import figure_record

logger = logging.getLogger(__name__)
TIMEOUT = (5, 20)
YOUTUBE_CHANNELS_URL = "https://www.googleapis.com/youtube/v3/channels"
X_USERS_URL = "https://api.x.com/2/users/by"
X_BATCH = 100


class FetchStopped(Exception):
    """The network refused the token or the rate: no more calls to it in this run."""


@dataclass
class NetworkReport:
    network: str
    skipped: bool = False
    recorded: int = 0
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    error: str = ""


def youtube_counts(accounts: list[SocialAccount], key: str) -> Iterator[tuple[str, int | None]]:
    """(handle, subscribers or None when hidden) of each channel YouTube knows; one call a
    channel (one quota unit each)."""
    for account in accounts:
        params = {"part": "statistics", "key": key}
        if account.handle.startswith("UC") and len(account.handle) == 24:
            params["id"] = account.handle
        else:
            params["forHandle"] = account.handle
        body = _get(YOUTUBE_CHANNELS_URL, params=params)
        items = body.get("items") or []
        if not items:
            continue
        statistics = items[0].get("statistics") or {}
        if statistics.get("hiddenSubscriberCount") or "subscriberCount" not in statistics:
            yield account.handle, None
        else:
            yield account.handle, int(statistics["subscriberCount"])


def x_counts(accounts: list[SocialAccount], token: str) -> Iterator[tuple[str, int | None]]:
    """(handle, followers) of each X account found, a hundred usernames a call."""
    headers = {"Authorization": f"Bearer {token}"}
    for start in range(0, len(accounts), X_BATCH):
        usernames = ",".join(a.handle for a in accounts[start : start + X_BATCH])
        body = _get(
            X_USERS_URL,
            params={"usernames": usernames, "user.fields": "public_metrics"},
            headers=headers,
        )
        for user in body.get("data") or []:
            yield user["username"].lower(), int(user["public_metrics"]["followers_count"])


def _get(url: str, **kwargs) -> dict:
    response = requests.get(url, timeout=TIMEOUT, **kwargs)
    if response.status_code in (401, 403, 429):
        raise FetchStopped(f"HTTP {response.status_code}")
    response.raise_for_status()
    return response.json()


# network → (the setting holding its token, the function reading its counts)
FETCHERS: dict[str, tuple[str, Callable]] = {
    Network.YOUTUBE: ("SOCIAL_YOUTUBE_API_KEY", youtube_counts),
    Network.X: ("SOCIAL_X_BEARER_TOKEN", x_counts),
}


def network_fetch(network: str, *, day: date) -> NetworkReport:
    """Read the followers of a network's accounts (not closed) and record them for ``day``."""
    setting, counts = FETCHERS[network]
    report = NetworkReport(network)
    token = getattr(settings, setting, "")
    if not token:
        report.skipped = True
        return report
    accounts = list(
        SocialAccount.objects.filter(network=network)
        .exclude(status=SocialAccount.Status.CLOSED)
        .select_related("entity")
        .order_by("handle")
    )
    by_handle = {a.handle: a for a in accounts}
    seen: set[str] = set()
    try:
        for handle, followers in counts(accounts, token):
            account = by_handle.get(handle)
            if account is None:
                continue
            seen.add(handle)
            if followers is None:
                report.hidden.append(handle)
                continue
            kept = SocialFigure.objects.filter(account=account, date=day).first()
            _figure, changed = figure_record(
                account=account,
                by=None,
                day=day,
                followers=followers,
                posts=kept.posts if kept else None,
                source=SocialFigure.Source.API,
            )
            report.recorded += changed
            report.unchanged += not changed
    except (FetchStopped, requests.RequestException, ValueError, KeyError) as exc:
        report.error = str(exc)[:200]
        logger.warning("socialaccounts fetch %s stopped: %s", network, report.error)
        return report
    report.not_found = sorted(set(by_handle) - seen)
    return report


def social_fetch(*, day: date | None = None) -> list[NetworkReport]:
    """Fetch every network Urna has a reader for; each network apart, so one failing or
    missing its token leaves the others to run."""
    day = day or timezone.localdate()
    return [network_fetch(network, day=day) for network in FETCHERS]
