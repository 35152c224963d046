"""Outbox backends. Each takes a message and returns the provider's message id (or raises).

Console and file backends serve development and tests; provider backends are added in
``urna.channels`` (they need provider credentials) and registered in ``BACKENDS``.
"""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

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
    from urna.contacts.services import mask

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


def backend_name_for(message: OutboundMessage) -> str:
    by_channel = {
        OutboundMessage.Channel.SMS: settings.MESSAGING_SMS_BACKEND,
        OutboundMessage.Channel.WHATSAPP: settings.MESSAGING_WHATSAPP_BACKEND,
        OutboundMessage.Channel.EMAIL: settings.MESSAGING_EMAIL_BACKEND,
    }
    return by_channel[message.channel]


def backend_for(name: str) -> Backend:
    if name not in BACKENDS:
        # Provider backends live in the channels app, which registers them on import.
        import urna.channels.backends  # noqa: F401
    return BACKENDS[name]
