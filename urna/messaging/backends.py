"""Outbox backends. Each takes a message and returns the provider's message id (or raises).

Console and file backends serve development and tests; provider backends are added by
``urna.channels``, which registers them (``register``) in its ``AppConfig.ready()``: this app never
imports channels.
"""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils import timezone

from urna.core.personal_data import mask
from urna.messaging.models import OutboundMessage

Backend = Callable[[OutboundMessage], str]
BACKENDS: dict[str, Backend] = {}


def register(name: str) -> Callable[[Backend], Backend]:
    def decorator(func: Backend) -> Backend:
        BACKENDS[name] = func
        return func

    return decorator


@register("console")
def console_backend(message: OutboundMessage) -> str:
    print(f"[outbox:{message.channel}] to={mask(message.to)} {message.body}")  # noqa: T201
    return f"console-{message.pk}"


@register("file")
def file_backend(message: OutboundMessage) -> str:
    """One JSON line per message in var/outbox/<channel>.jsonl (development and tests)."""
    folder = Path(settings.MESSAGING_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "id": message.pk,
        "channel": message.channel,
        "to": message.to,
        "subject": message.subject,
        "body": message.body,
        "at": timezone.now().isoformat(),
    }
    with (folder / f"{message.channel}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return f"file-{message.pk}"


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">")


@register("smtp")
def smtp_backend(message: OutboundMessage) -> str:
    """Email through Django's configured EMAIL_BACKEND (SMTP in production)."""
    email = EmailMessage(
        subject=message.subject or "Urna",
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": f"<urna-{message.pk}@{_mail_domain()}>"},
    )
    email.send(fail_silently=False)
    return f"smtp-{message.pk}"


# The setting that names the backend of each channel.
CHANNEL_SETTINGS = {
    OutboundMessage.Channel.SMS: "MESSAGING_SMS_BACKEND",
    OutboundMessage.Channel.WHATSAPP: "MESSAGING_WHATSAPP_BACKEND",
    OutboundMessage.Channel.EMAIL: "MESSAGING_EMAIL_BACKEND",
}


class UnknownBackend(ImproperlyConfigured):
    """A message names a backend nobody registered: a setting's typo, or a provider whose app
    is not installed."""


def backend_source(message: OutboundMessage) -> str:
    """Where the backend name of a message comes from, for error messages: its ``provider``
    (a reply goes back through the provider the citizen wrote through) or a setting."""
    return "the message's provider" if message.provider else CHANNEL_SETTINGS[message.channel]


def backend_name_for(message: OutboundMessage) -> str:
    return getattr(settings, CHANNEL_SETTINGS[message.channel])


def backend_for(name: str, *, source: str = "") -> Backend:
    """The registered backend ``name``; ``UnknownBackend`` (naming ``source``, the setting it
    came from) when there is none."""
    try:
        return BACKENDS[name]
    except KeyError:
        where = f" (from {source})" if source else ""
        known = ", ".join(sorted(BACKENDS)) or "none"
        raise UnknownBackend(
            f"Unknown outbox backend {name!r}{where}. Registered backends: {known}."
        ) from None
