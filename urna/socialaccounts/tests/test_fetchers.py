"""The platform fetchers against the networks' APIs faked at the HTTP boundary with their
documented payloads (fixtures/): YouTube Data API v3 channels.list and X API v2 users lookup."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import responses
from django.core.management import call_command
from responses import matchers

from urna.audit.models import AuditEntry
from urna.jobs.models import Job
from urna.socialaccounts.fetchers import X_USERS_URL, YOUTUBE_CHANNELS_URL, social_fetch
from urna.socialaccounts.models import SocialFigure
from urna.socialaccounts.tasks import fetch, next_run_at

FIXTURES = Path(__file__).parent / "fixtures"
DAY = date(2025, 7, 1)


def payload(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def tokens(settings):
    settings.SOCIAL_YOUTUBE_API_KEY = "clave-youtube"
    settings.SOCIAL_X_BEARER_TOKEN = "token-x"


@responses.activate
def test_youtube_subscribers_by_handle_and_by_channel_id(
    tokens, agriculture, make_account, settings
):
    settings.SOCIAL_X_BEARER_TOKEN = ""
    by_id = make_account(agriculture, "youtube", "UCabcdefghijklmnopqrstuV")
    by_handle = make_account(agriculture, "youtube", "minagricultura")
    missing = make_account(agriculture, "youtube", "noexiste")
    responses.get(
        YOUTUBE_CHANNELS_URL,
        json=payload("youtube_channels_statistics.json"),
        match=[
            matchers.query_param_matcher(
                {"part": "statistics", "key": "clave-youtube", "id": "UCabcdefghijklmnopqrstuV"}
            )
        ],
    )
    hidden = payload("youtube_channels_statistics.json")
    hidden["items"][0]["statistics"] = {"viewCount": "10", "hiddenSubscriberCount": True}
    responses.get(
        YOUTUBE_CHANNELS_URL,
        json=hidden,
        match=[matchers.query_param_matcher({"forHandle": "minagricultura"}, strict_match=False)],
    )
    responses.get(
        YOUTUBE_CHANNELS_URL,
        json=payload("youtube_channels_none.json"),
        match=[matchers.query_param_matcher({"forHandle": "noexiste"}, strict_match=False)],
    )

    youtube, x = social_fetch(day=DAY)

    assert (youtube.recorded, youtube.hidden, youtube.not_found) == (
        1,
        ["minagricultura"],
        ["noexiste"],
    )
    assert x.skipped
    figure = SocialFigure.objects.get()
    assert (figure.account, figure.date, figure.followers, figure.source) == (
        by_id,
        DAY,
        45300,
        "api",
    )
    assert not SocialFigure.objects.filter(account__in=[by_handle, missing]).exists()
    entry = AuditEntry.objects.get(action="socialfigure.record")
    assert entry.actor is None and entry.actor_label == "system:socialaccounts"


@responses.activate
def test_x_followers_a_hundred_usernames_a_call_keeping_the_days_posts(
    tokens, agriculture, make_account, make_figure, settings
):
    settings.SOCIAL_YOUTUBE_API_KEY = ""
    account = make_account(agriculture, "x", "minagricultura")
    make_account(agriculture, "x", "cuentainexistente")
    make_figure(account, DAY, 580000, posts=31)
    responses.get(
        X_USERS_URL,
        json=payload("x_users_by_usernames.json"),
        match=[
            matchers.query_param_matcher(
                {"usernames": "cuentainexistente,minagricultura", "user.fields": "public_metrics"}
            ),
            matchers.header_matcher({"Authorization": "Bearer token-x"}),
        ],
    )

    youtube, x = social_fetch(day=DAY)

    assert youtube.skipped
    assert (x.recorded, x.not_found, x.error) == (1, ["cuentainexistente"], "")
    figure = SocialFigure.objects.get(account=account)
    assert (figure.followers, figure.posts, figure.source) == (583423, 31, "api")

    again = social_fetch(day=DAY)[1]  # the same day again: nothing changes

    assert (again.recorded, again.unchanged) == (0, 1)
    assert AuditEntry.objects.filter(action="socialfigure.record").count() == 1


@responses.activate
def test_a_refused_token_stops_that_network_only(tokens, agriculture, make_account):
    make_account(agriculture, "x", "minagricultura")
    yt = make_account(agriculture, "youtube", "UCabcdefghijklmnopqrstuV")
    responses.get(X_USERS_URL, status=401, json={"title": "Unauthorized", "status": 401})
    responses.get(YOUTUBE_CHANNELS_URL, json=payload("youtube_channels_statistics.json"))

    youtube, x = social_fetch(day=DAY)

    assert x.error == "HTTP 401" and x.recorded == 0
    assert youtube.recorded == 1
    assert list(SocialFigure.objects.values_list("account_id", flat=True)) == [yt.pk]


def test_the_command_says_which_networks_have_no_token(settings, db):
    settings.SOCIAL_YOUTUBE_API_KEY = ""
    settings.SOCIAL_X_BEARER_TOKEN = ""
    out = StringIO()

    call_command("socialaccounts_fetch", stdout=out)

    assert out.getvalue().splitlines() == [
        "youtube: omitida, no hay token (SOCIAL_YOUTUBE_API_KEY vacío).",
        "x: omitida, no hay token (SOCIAL_X_BEARER_TOKEN vacío).",
    ]


@responses.activate
def test_the_command_reports_what_it_recorded(tokens, agriculture, make_account, settings):
    settings.SOCIAL_YOUTUBE_API_KEY = ""
    make_account(agriculture, "x", "minagricultura")
    responses.get(X_USERS_URL, json=payload("x_users_by_usernames.json"))
    out = StringIO()

    call_command("socialaccounts_fetch", stdout=out)

    assert out.getvalue().splitlines()[1] == (
        "x: 1 cifras registradas, 0 sin cambios, 0 cuentas no encontradas."
    )


def test_the_daily_job_is_queued_once_a_day_and_queues_the_next(settings, db):
    settings.SOCIAL_YOUTUBE_API_KEY = ""
    settings.SOCIAL_X_BEARER_TOKEN = ""
    out = StringIO()

    call_command("socialaccounts_fetch", "--schedule", stdout=out)
    call_command("socialaccounts_fetch", "--schedule", stdout=out)

    assert out.getvalue().splitlines() == [
        "Trabajo diario socialaccounts.fetch: encolado.",
        "Trabajo diario socialaccounts.fetch: ya estaba encolado.",
    ]
    assert Job.objects.filter(name="socialaccounts.fetch").count() == 1
    result = fetch()
    assert result["x"]["skipped"] and result["youtube"]["skipped"]
    tomorrow = Job.objects.filter(name="socialaccounts.fetch").order_by("-id").first()
    assert tomorrow.unique_key == f"socialaccounts.fetch:{next_run_at().date().isoformat()}"
