"""Outbox backends. Each takes a message and returns the provider's message id (or raises).

Console and file backends serve development and tests; provider backends are added by
``urna.channels``, which registers them (``register``) in its ``AppConfig.ready()``: this app never
imports channels.

Dispatches (one message to many) hand their messages over in batches through a backend's batch
API (``BatchBackend``): ``send_many(messages, batch) -> provider ids`` for up to ``chunk``
messages at a time, and optionally ``accepted(batch) -> ids`` the backend already holds. A
backend registered with ``register`` alone gets a batch API that hands the messages one by one
(``OneByOne``, chunk 1). A message of a dispatch carries, besides its rendered ``subject`` and
``body``, ``message.extras``: ``html``, email ``headers`` (``List-Unsubscribe``) and the
WhatsApp ``template``, ``language`` and ``params``.

How many times a message reaches the provider when a worker dies (``kill -9``, a lost machine)
between handing a chunk over and recording it as sent:

- a backend with ``accepted`` (the file backend): exactly once. The rerun asks the backend which
  messages of the range it already holds, records them as sent and hands over only the rest.
- a backend without it (SMTP, HTTP providers): at least once, and at most ``chunk`` messages
  twice: the ones handed over in the chunk the worker died in. Provider backends are handed one
  message at a time and each is recorded as sent at once (chunk 1); SMTP sends ``SMTP_CHUNK``
  per connection. Providers that accept an idempotency key would make this exactly once.
"""

import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.utils import timezone

from urna.core.personal_data import mask
from urna.messaging.models import OutboundMessage

Backend = Callable[[OutboundMessage], str]
BACKENDS: dict[str, Backend] = {}
# SMTP messages per connection (and at most this many sent twice after a worker dies).
SMTP_CHUNK = 20


@dataclass(frozen=True)
class Batch:
    """The range of a dispatch's outbox ids one batch job sends."""

    dispatch_id: int
    first_id: int
    last_id: int


class BatchBackend(Protocol):
    # How many messages are handed over per call and recorded as sent per UPDATE.
    chunk: int
    # Whether the ids send_many returns are needed to match the provider's delivery reports.
    reports_delivery: bool

    def send_many(self, messages: list[OutboundMessage], batch: Batch) -> list[str]: ...


BATCH_BACKENDS: dict[str, Any] = {}


def register_batch(name: str) -> Callable[[Any], Any]:
    """Register the batch API of backend ``name`` (a class, instantiated once)."""

    def decorator(cls: Any) -> Any:
        BATCH_BACKENDS[name] = cls()
        return cls

    return decorator


class OneByOne:
    """The batch API of a backend that sends one message per call: each is recorded as sent
    as soon as the provider took it."""

    chunk = 1
    reports_delivery = True

    def __init__(self, send: Backend) -> None:
        self.send = send

    def send_many(self, messages: list[OutboundMessage], batch: Batch) -> list[str]:
        return [self.send(message) for message in messages]


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


def dispatch_file(batch: Batch) -> Path:
    """Where the file backend writes one range of a dispatch."""
    folder = Path(settings.MESSAGING_FILE_PATH) / f"dispatch-{batch.dispatch_id}"
    return folder / f"{batch.first_id}.jsonl"


@register_batch("file")
class FileBatch:
    """One JSON line per message in var/outbox/dispatch-<id>/<first id>.jsonl, one file per range,
    appended and flushed once per chunk under an exclusive lock on the file.

    The file is the provider's record of what it accepted: ``accepted`` reads it back, and
    ``send_many`` never writes an id the file already holds, so a message is in it once however
    often its range is run. A last line cut short by a writer that died mid-write does not count
    and is cut off before the next append. Each process remembers how far it has read each file,
    so a chunk reads only what others appended since."""

    chunk = 500
    reports_delivery = False

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int, set[int]]] = {}  # path → (inode, offset, ids)

    def _held(self, handle: Any, path: Path) -> set[int]:
        """The ids in the locked file ``handle``; cuts off a partial last line."""
        stat = os.fstat(handle.fileno())
        inode, offset, ids = self._seen.get(str(path), (stat.st_ino, 0, set()))
        if inode != stat.st_ino or stat.st_size < offset:
            offset, ids = 0, set()
        handle.seek(offset)
        data = handle.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            handle.truncate(offset + end)
        for line in data[:end].splitlines():
            ids.add(json.loads(line)["id"])
        self._seen[str(path)] = (stat.st_ino, offset + end, ids)
        return ids

    def accepted(self, batch: Batch) -> set[int]:
        path = dispatch_file(batch)
        if not path.exists():
            return set()
        with path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            return set(self._held(handle, path))

    def send_many(self, messages: list[OutboundMessage], batch: Batch) -> list[str]:
        path = dispatch_file(batch)
        path.parent.mkdir(parents=True, exist_ok=True)
        at = timezone.now().isoformat()
        with path.open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held = self._held(handle, path)
            lines = []
            for message in messages:
                if message.pk in held:
                    continue
                extras = getattr(message, "extras", {})
                record = {
                    "id": message.pk,
                    "channel": message.channel,
                    "to": message.to,
                    "subject": message.subject,
                    "body": message.body,
                    "at": at,
                }
                record.update({k: v for k, v in extras.items() if v})
                lines.append(json.dumps(record, ensure_ascii=False) + "\n")
                held.add(message.pk)
            data = "".join(lines).encode("utf-8")
            handle.seek(0, os.SEEK_END)
            handle.write(data)
            handle.flush()
            inode, offset, ids = self._seen[str(path)]
            self._seen[str(path)] = (inode, offset + len(data), ids)
        return [f"file-{message.pk}" for message in messages]


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


def _email(message: OutboundMessage) -> EmailMultiAlternatives:
    extras = getattr(message, "extras", {})
    email = EmailMultiAlternatives(
        subject=message.subject or "Urna",
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={
            "Message-ID": f"<urna-{message.pk}@{_mail_domain()}>",
            **extras.get("headers", {}),
        },
    )
    if extras.get("html"):
        email.attach_alternative(extras["html"], "text/html")
    return email


@register_batch("smtp")
class SmtpBatch:
    """A dispatch's emails, ``SMTP_CHUNK`` per SMTP connection: multipart (text and HTML) with
    the headers the dispatch set (RFC 8058 one-click ``List-Unsubscribe``)."""

    chunk = SMTP_CHUNK
    reports_delivery = False

    def send_many(self, messages: list[OutboundMessage], batch: Batch) -> list[str]:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([_email(message) for message in messages])
        return [f"smtp-{message.pk}" for message in messages]


def batch_backend_for(name: str, *, source: str = "") -> Any:
    """The batch API of backend ``name``: its own, or one message at a time."""
    if name in BATCH_BACKENDS:
        return BATCH_BACKENDS[name]
    return OneByOne(backend_for(name, source=source))


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
