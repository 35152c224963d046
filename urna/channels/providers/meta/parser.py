"""Meta webhook payloads (Graph API) → the items Urna keeps.

One POST may carry several entries and changes: WhatsApp Cloud API ``messages`` and ``statuses``
(``object: whatsapp_business_account``), Facebook Page ``feed`` changes with ``item: comment``
(``object: page``) and Instagram ``comments`` (``object: instagram``).

The body is signed by Meta, but its shape is not guaranteed (a new Graph API version, a proxy, a
bug on either side): ``parse`` never raises. What it cannot read is reported in
``Parsed.problems``, change by change, so the readable messages of a delivery are still kept and
the view stores the raw body for staff instead of answering an error Meta would retry for days.
"""

import json
from dataclasses import dataclass, field
from typing import Any

# What a malformed change may raise while it is read: its own Malformed, a wrong type met where
# an object or a list was expected, or a structure nested beyond Python's recursion limit.
UNREADABLE = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)

PROVIDERS = {"whatsapp_business_account": "whatsapp", "page": "facebook", "instagram": "instagram"}


@dataclass(frozen=True)
class Item:
    provider: str  # whatsapp, facebook, instagram
    message_id: str
    sender: str
    body: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusReport:
    message_id: str
    status: str
    detail: str = ""


@dataclass
class Parsed:
    provider: str  # the provider named by the payload's "object" (WhatsApp when it names none)
    items: list[Item] = field(default_factory=list)
    statuses: list[StatusReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why parts could not be read


class Malformed(ValueError):
    pass


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is not a list")
    return value


def _optional_object(value: Any, what: str) -> dict[str, Any]:
    return {} if value is None else _object(value, what)


def _text(value: Any, what: str = "value") -> str:
    """A scalar as text, None as empty; an object or a list where text was expected is
    malformed (read as empty, its content would be lost without a trace)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Malformed(f"{what} is not text")


def _id(value: Any, what: str) -> str:
    text = _text(value, f"{what} id")
    if not text:
        raise Malformed(f"{what} without id")
    return text


def parse(body: bytes) -> Parsed:
    """Read a signed body; never raises (see ``Parsed.problems``)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return Parsed(provider="whatsapp", problems=[f"not JSON ({exc.__class__.__name__})"])
    kind = payload.get("object") if isinstance(payload, dict) else None
    parsed = Parsed(provider=PROVIDERS.get(kind if isinstance(kind, str) else "", "whatsapp"))
    entries = payload.get("entry") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        parsed.problems.append("no entry list")
        return parsed
    for n, entry in enumerate(entries):
        try:
            entry = _object(entry, "entry")
            changes = _list(entry.get("changes"), "changes")
        except Malformed as exc:
            parsed.problems.append(f"entry {n}: {exc}")
            continue
        for m, change in enumerate(changes):
            try:
                _change(kind, entry, change, parsed)
            except UNREADABLE as exc:
                reason = str(exc) if isinstance(exc, Malformed) else exc.__class__.__name__
                parsed.problems.append(f"entry {n} change {m}: {reason}")
    return parsed


def _change(kind: Any, entry: dict, change: Any, parsed: Parsed) -> None:
    change = _object(change, "change")
    value = _object(change.get("value"), "change value")
    fieldname = change.get("field")
    if kind == "whatsapp_business_account" and fieldname == "messages":
        _whatsapp(value, parsed)
    elif kind == "page" and fieldname == "feed":
        _facebook(entry, value, parsed)
    elif kind == "instagram" and fieldname == "comments":
        _instagram(value, parsed)


def _text_of(message: dict[str, Any]) -> str:
    kind = message.get("type", "text")
    if kind == "text":
        return _text(_optional_object(message.get("text"), "text").get("body"), "text")
    if kind == "button":
        return _text(_optional_object(message.get("button"), "button").get("text"), "button")
    if kind == "interactive":
        reply = _optional_object(message.get("interactive"), "interactive")
        chosen = reply.get("button_reply") or reply.get("list_reply")
        chosen = _optional_object(chosen, "interactive reply")
        return _text(chosen.get("id"), "reply") or _text(chosen.get("title"), "reply")
    return ""  # images, audio, locations… get the help reply


def _whatsapp(value: dict, parsed: Parsed) -> None:
    names = {}
    for contact in _list(value.get("contacts"), "contacts"):
        contact = _object(contact, "contact")
        profile = _optional_object(contact.get("profile"), "profile")
        names[_text(contact.get("wa_id"), "wa_id")] = _text(profile.get("name"), "name")
    metadata = _optional_object(value.get("metadata"), "metadata")
    phone_number_id = _text(metadata.get("phone_number_id"), "phone_number_id")
    for message in _list(value.get("messages"), "messages"):
        message = _object(message, "message")
        message_id = _id(message.get("id"), "message")
        sender = _text(message.get("from"), "from")
        if not sender:
            raise Malformed("message without from")
        parsed.items.append(
            Item(
                provider="whatsapp",
                message_id=message_id,
                sender=sender,
                body=_text_of(message),
                extra={
                    "to": phone_number_id,
                    "timestamp": _text(message.get("timestamp"), "timestamp"),
                    "type": _text(message.get("type"), "type"),
                    "profile_name": names.get(sender, ""),
                },
            )
        )
    for status in _list(value.get("statuses"), "statuses"):
        status = _object(status, "status")
        status_id = _id(status.get("id"), "status")
        state = _text(status.get("status"), "status")
        if not state:
            raise Malformed("status without status")
        errors = _list(status.get("errors"), "errors")
        first = _optional_object(errors[0] if errors else None, "error")
        code, title = _text(first.get("code"), "code"), _text(first.get("title"), "title")
        detail = f"{code} {title}".strip()
        parsed.statuses.append(StatusReport(status_id, state, detail))


def _facebook(entry: dict, value: dict, parsed: Parsed) -> None:
    if value.get("item") != "comment" or value.get("verb") != "add":
        return
    author = _optional_object(value.get("from"), "from")
    author_id = _text(author.get("id"), "author id")
    if author_id == _text(entry.get("id"), "entry id"):
        return  # the page answering under its own post
    comment_id, post_id = _id(value.get("comment_id"), "comment"), _id(value.get("post_id"), "post")
    parsed.items.append(
        Item(
            provider="facebook",
            message_id=comment_id,
            sender=f"facebook:{author_id}",
            body=_text(value.get("message"), "message"),
            extra={"post_id": post_id, "profile_name": _text(author.get("name"), "name")},
        )
    )


def _instagram(value: dict, parsed: Parsed) -> None:
    author = _optional_object(value.get("from"), "from")
    comment_id = _id(value.get("id"), "comment")
    post_id = _id(_optional_object(value.get("media"), "media").get("id"), "media")
    parsed.items.append(
        Item(
            provider="instagram",
            message_id=comment_id,
            sender=f"instagram:{_text(author.get('id'), 'author id')}",
            body=_text(value.get("text"), "text"),
            extra={"post_id": post_id, "profile_name": _text(author.get("username"), "username")},
        )
    )
