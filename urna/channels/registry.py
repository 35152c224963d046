"""The registry of channel providers: what the rest of the channels app knows of each one.

A provider (Twilio, Africa's Talking, Meta, email, USSD) lives in its own folder and describes
itself with one ``Integration``: how its webhooks' signatures are checked, how large a body it
accepts, the module of its URLs, and the sources it stores messages as (each a value of
``InboundMessage.provider``): the channel each one arrives on, the handler that processes a
stored message into an ``Outcome``, and the outbox backend that sends replies back through it.
``ChannelsConfig.ready`` registers every integration at startup; processing, replies and the
URL map read them here, so adding a provider touches its folder and one registration line.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.http import HttpRequest
from django.urls import URLPattern

from urna.channels.models import InboundMessage
from urna.messaging.backends import Backend, register

Status = InboundMessage.Status
Result = InboundMessage.Result


@dataclass(frozen=True)
class Outcome:
    """What processing one stored message came to (and the reply to send, if any)."""

    status: str = Status.PROCESSED
    result: str = Result.NONE
    receipt: str = ""
    reply: str = ""
    subject: str = ""


Handler = Callable[[InboundMessage], Outcome]
# None when the request is the provider's; otherwise why it is not (logged, answered 403).
Verifier = Callable[[HttpRequest], str | None]


@dataclass(frozen=True)
class Source:
    """One kind of stored message: its ``InboundMessage.provider`` value and what goes with it."""

    provider: str
    channel: str
    handle: Handler
    # The outbox backend (registered under ``provider``) that replies go back through.
    send: Backend | None = None


@dataclass(frozen=True)
class Integration:
    name: str  # for logs: "twilio", "meta"
    sources: tuple[Source, ...]
    verify: Verifier | None = None
    max_body: int = 0  # bytes a webhook accepts (413 beyond)
    urls: str = ""  # the module of its URL patterns, included under ``channels:``
    # What its callback URLs must carry (Africa's Talking: ``?token=…``), for the dev command.
    callback_query: Callable[[], str] = field(default=lambda: "")


_INTEGRATIONS: dict[str, Integration] = {}
_SOURCES: dict[str, Source] = {}


def integration_register(integration: Integration) -> None:
    """Register a provider (idempotent); its senders become outbox backends."""
    _INTEGRATIONS[integration.name] = integration
    for source in integration.sources:
        _SOURCES[source.provider] = source
        if source.send is not None:
            register(source.provider)(source.send)


def integrations() -> list[Integration]:
    return list(_INTEGRATIONS.values())


def source_for(provider: str) -> Source:
    """The registered source of an ``InboundMessage.provider`` value (KeyError if none)."""
    return _SOURCES[provider]


def sends_replies(provider: str) -> bool:
    source = _SOURCES.get(provider)
    return source is not None and source.send is not None


def integration_urls(integration: Integration) -> list[URLPattern]:
    """The patterns of the integration's URL module (imported by its dotted path, as Django's
    ``include`` does)."""
    return list(import_module(integration.urls).urlpatterns) if integration.urls else []


def urlpatterns() -> list[URLPattern]:
    """Every registered provider's URLs, flat in the ``channels`` URLconf and namespace."""
    return [pattern for i in _INTEGRATIONS.values() for pattern in integration_urls(i)]
