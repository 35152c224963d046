"""Meta webhook payloads (Graph API) → the items Urna keeps.

One POST may carry several entries and changes: WhatsApp Cloud API ``messages`` and ``statuses``
(``object: whatsapp_business_account``), Facebook Page ``feed`` changes with ``item: comment``
(``object: page``) and Instagram ``comments`` (``object: instagram``).
"""

from dataclasses import dataclass, field
from typing import Any


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


class Malformed(ValueError):
    pass


def _text_of(message: dict[str, Any]) -> str:
    kind = message.get("type", "text")
    if kind == "text":
        return str((message.get("text") or {}).get("body", ""))
    if kind == "button":
        return str((message.get("button") or {}).get("text", ""))
    if kind == "interactive":
        reply = message.get("interactive") or {}
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return str(chosen.get("id") or chosen.get("title") or "")
    return ""  # images, audio, locations… get the help reply


def parse(payload: Any) -> tuple[list[Item], list[StatusReport]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise Malformed("no entry list")
    kind = payload.get("object")
    items: list[Item] = []
    statuses: list[StatusReport] = []
    for entry in payload["entry"]:
        if not isinstance(entry, dict):
            raise Malformed("entry is not an object")
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise Malformed("change without value")
            fieldname = change.get("field")
            if kind == "whatsapp_business_account" and fieldname == "messages":
                _whatsapp(value, items, statuses)
            elif kind == "page" and fieldname == "feed":
                _facebook(entry, value, items)
            elif kind == "instagram" and fieldname == "comments":
                _instagram(value, items)
    return items, statuses


def _whatsapp(value: dict, items: list[Item], statuses: list[StatusReport]) -> None:
    names = {
        str(c.get("wa_id")): str((c.get("profile") or {}).get("name", ""))
        for c in value.get("contacts") or []
        if isinstance(c, dict)
    }
    phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
    for message in value.get("messages") or []:
        if not isinstance(message, dict) or not message.get("id") or not message.get("from"):
            raise Malformed("message without id or from")
        sender = str(message["from"])
        items.append(
            Item(
                provider="whatsapp",
                message_id=str(message["id"]),
                sender=sender,
                body=_text_of(message),
                extra={
                    "to": phone_number_id,
                    "timestamp": str(message.get("timestamp", "")),
                    "type": str(message.get("type", "")),
                    "profile_name": names.get(sender, ""),
                },
            )
        )
    for status in value.get("statuses") or []:
        if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
            raise Malformed("status without id")
        errors = status.get("errors") or []
        detail = ""
        if errors and isinstance(errors[0], dict):
            detail = f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip()
        statuses.append(StatusReport(str(status["id"]), str(status["status"]), detail))


def _facebook(entry: dict, value: dict, items: list[Item]) -> None:
    if value.get("item") != "comment" or value.get("verb") != "add":
        return
    author = value.get("from") or {}
    if str(author.get("id", "")) == str(entry.get("id", "")):
        return  # the page answering under its own post
    if not value.get("comment_id") or not value.get("post_id"):
        raise Malformed("comment without ids")
    items.append(
        Item(
            provider="facebook",
            message_id=str(value["comment_id"]),
            sender=f"facebook:{author.get('id', '')}",
            body=str(value.get("message", "")),
            extra={"post_id": str(value["post_id"]), "profile_name": str(author.get("name", ""))},
        )
    )


def _instagram(value: dict, items: list[Item]) -> None:
    author = value.get("from") or {}
    media = value.get("media") or {}
    if not value.get("id") or not media.get("id"):
        raise Malformed("comment without ids")
    items.append(
        Item(
            provider="instagram",
            message_id=str(value["id"]),
            sender=f"instagram:{author.get('id', '')}",
            body=str(value.get("text", "")),
            extra={"post_id": str(media["id"]), "profile_name": str(author.get("username", ""))},
        )
    )
