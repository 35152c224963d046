"""What every write of the queries workflow shares: the query's history and audit entries, the
row lock, text checks and the message to the citizen through the channel they used."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from urna.audit.services import audit_record, client_ip
from urna.core import ratelimit
from urna.core.errors import InvalidInput, NotFound
from urna.core.l10n import date_text
from urna.core.links import absolute_url
from urna.messaging.services import message_queue
from urna.queries.models import TEXT_MAX, TEXT_MIN, Query, QueryChannel, QueryEvent

SMS_MAX = 450


def month_of(day: date) -> date:
    return day.replace(day=1)


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def date_es(day: date) -> str:
    """A due date in a message to the citizen, as pages write it (DATE_FORMAT)."""
    return date_text(day)


def event_add(
    query: Query, kind: str, *, text: str = "", public: bool = False, by: Any = None, label=""
) -> QueryEvent:
    actor = by if getattr(by, "is_authenticated", False) else None
    return QueryEvent.objects.create(
        query=query,
        kind=kind,
        text=text,
        public=public,
        actor=actor,
        actor_label=label or (actor.get_username() if actor else "system"),
    )


def audit(
    query: Query,
    action: str,
    *,
    by: Any = None,
    label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request: Any = None,
) -> None:
    audit_record(
        action=action,
        obj=query,
        actor=by,
        actor_label=label,
        before=before,
        after=after,
        entity=query.entity,
        ip=client_ip(request),
    )


def status_url(query: Query) -> str:
    return absolute_url(f"/r/{query.receipt}")


def _route(query: Query) -> tuple[str, str, str]:
    """(channel, address, provider) a message to the citizen goes by; empty when none."""
    contact = query.contact
    if query.channel in (QueryChannel.SMS, QueryChannel.USSD) and contact.phone:
        return "sms", contact.phone, query.reply_provider
    if query.channel == QueryChannel.WHATSAPP and contact.phone:
        return "whatsapp", contact.phone, query.reply_provider
    if contact.email:
        return "email", contact.email, ""
    if contact.phone:
        return "sms", contact.phone, ""
    return "", "", ""


def deliver(
    query: Query,
    *,
    body: str,
    subject: str,
    sms_body: str | None = None,
    rate_per_address: str | None = None,
) -> Any:
    """Send a message to the citizen through the channel they used; None when they left no
    contact (they read it on the status page), or when the address had its ``rate_per_address``
    of such messages."""
    contact = query.contact
    if contact is None or contact.erased_at:
        return None
    channel, to, provider = _route(query)
    if not channel:
        return None
    if rate_per_address and not ratelimit.hit("queries.deliver", to.lower(), rate_per_address):
        return None
    text = body if channel == "email" else (sms_body or body)
    if channel != "email" and len(text) > SMS_MAX:
        link = " " + _("Texto completo: %(url)s") % {"url": status_url(query)}
        text = text[: SMS_MAX - len(link) - 1].rstrip() + "…" + link
    return message_queue(
        channel=channel,
        to=to,
        body=text,
        subject=subject,
        contact=contact,
        provider=provider,
        related=query,
    )


def locked(query: Query) -> Query:
    try:
        # Lock only the query's own row: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join to the contact.
        return (
            Query.objects.select_for_update(of=("self",))
            .select_related("entity", "contact")
            .get(pk=query.pk)
        )
    except Query.DoesNotExist as exc:
        raise NotFound(_("La consulta no existe.")) from exc


def clean_text(text: str, *, field: str, minimum: int = TEXT_MIN, maximum: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise InvalidInput(
            _("El texto es demasiado corto (mínimo %(n)s caracteres).") % {"n": minimum},
            field=field,
        )
    if len(text) > maximum:
        raise InvalidInput(
            _("El texto es demasiado largo (máximo %(n)s caracteres).") % {"n": maximum},
            field=field,
        )
    return text
