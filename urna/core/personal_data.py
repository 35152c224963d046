"""Where a citizen's personal data is kept, for their rights of access and suppression and for
retention (Ley 1581 de 2012, Decreto 1377 de 2013).

A contact's address is copied outside the contact row: the raw channel messages it sent
(``channels``), the outbox (``messaging``), the contributions and queries that link it. Each of
those apps registers a ``PersonalDataHolder`` in its ``AppConfig.ready()``; the app that keeps the
contact rows (``contacts``) registers a ``ContactBook``. The rights and the retention run reach
every copy through this registry, so no app below has to import the apps above it.

Also here: the helpers every holder shares (the forms of an address, a filter matching them,
chunked updates) and ``mask``, an address shortened for logs and staff lists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class PersonalDataHolder:
    """Where an app keeps a contact's personal data, and how to export and erase it.

    Both callables take the contact row (any model instance with a ``pk``; None for a citizen
    who wrote in without leaving a contact) and its addresses in every form a provider writes
    them (``address_forms``). ``export`` returns JSON-ready rows; ``erase`` removes the personal
    data (keeping what a public record or the audit trail needs) and returns how many rows it
    touched. A holder of public records (contributions, queries) has no ``erase``: emptying the
    contact row is what unlinks them from the person.
    """

    label: str
    export: Callable[[Any, list[str]], list[dict[str, Any]]]
    erase: Callable[[Any, list[str]], int] | None = None
    # Retention: empty the personal data of copies no longer needed, made before this moment.
    expire: Callable[[datetime], int] | None = None
    # Records a citizen may file while logged in (queries, contributions): ``account_export``
    # gives an account's own rows; ``contact_links`` the (contact id, account id or None) pairs
    # of the records that link a contact, of one account (``user=``) or of some contacts
    # (``contact_ids=``). See ``account_contacts``.
    account_export: Callable[[Any], list[dict[str, Any]]] | None = None
    contact_links: Callable[..., set[tuple[int, int | None]]] | None = None


PERSONAL_DATA_HOLDERS: dict[str, PersonalDataHolder] = {}


def register_personal_data(holder: PersonalDataHolder) -> None:
    PERSONAL_DATA_HOLDERS[holder.label] = holder


@dataclass(frozen=True)
class ContactBook:
    """The app that keeps the contact rows (``urna.contacts``): ``live`` gives a queryset of the
    contacts among some ids that are not erased; ``export(contact=)`` and ``erase(contact=)`` act
    on one contact and every copy of it (``contacts.selectors.contact_export``,
    ``contacts.services.contact_erase``)."""

    live: Callable[[set[int]], Any]
    export: Callable[..., dict[str, Any]]
    erase: Callable[..., Any]


_contact_book: ContactBook | None = None


def register_contact_book(book: ContactBook) -> None:
    global _contact_book
    _contact_book = book


def contact_book() -> ContactBook:
    if _contact_book is None:
        raise LookupError("no ContactBook registered (is urna.contacts installed?)")
    return _contact_book


# --- Every copy of one contact ------------------------------------------------------------------


def holders_export(contact: Any, addresses: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every holder's rows for a contact (or, with None, for addresses alone), by label."""
    return {
        label: holder.export(contact, addresses)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
    }


def holders_erase(contact: Any, addresses: list[str]) -> dict[str, int]:
    """Erase every copy a holder keeps of a contact (or of addresses); rows touched by label."""
    return {
        label: holder.erase(contact, addresses)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
        if holder.erase is not None
    }


def address_forms(*addresses: str | None) -> list[str]:
    """Addresses as providers write them: a phone as '+57300…', '57300…' (WhatsApp Cloud) and
    'whatsapp:+57300…' (Twilio); an email; a social handle ('facebook:123')."""
    found: list[str] = []
    for address in filter(None, addresses):
        if address.startswith("+"):
            found += [address, address.removeprefix("+"), f"whatsapp:{address}"]
        else:
            found.append(address)
    return found


def address_match(field: str, addresses: list[str]) -> Q:
    """A filter on ``field`` for any of the addresses (emails compared without regard to case);
    matches nothing when there are none."""
    query = Q(**{f"{field}__in": [a for a in addresses if "@" not in a]})
    for email in (a for a in addresses if "@" in a):
        query |= Q(**{f"{field}__iexact": email})
    return query


def mask(address: str) -> str:
    """'+573001234567' → '+57300•••4567' for logs and staff lists."""
    if not address:
        return ""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{address[:6]}•••{address[-4:]}" if len(address) > 10 else "•••"


# --- The contacts an account reaches ------------------------------------------------------------
# The account holds what it filed (queries, contributions) and the contacts those filings link.
# Anyone may type any address on a form, so an account reaches a contact (every copy of it, to see
# or erase) only when no filing made without that account links it; the others are counted, and
# their owner proves them with a code at /datos-personales/.


def account_contacts(*, user: Any) -> tuple[list[Any], int]:
    """The contacts that only this account's filings link, and how many others they link."""
    holders = [h for h in PERSONAL_DATA_HOLDERS.values() if h.contact_links is not None]
    linked = {contact for h in holders for contact, _ in h.contact_links(user=user)}
    shared = {
        contact
        for h in holders
        for contact, filer in h.contact_links(contact_ids=linked)
        if filer != user.pk
    }
    book = contact_book()
    own = list(book.live(linked - shared))
    others = book.live(linked & shared).count()
    return own, others


def account_filings_export(*, user: Any) -> dict[str, list[dict[str, Any]]]:
    """What an account filed (the holders that keep filings), by label."""
    return {
        label: holder.account_export(user)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
        if holder.account_export is not None
    }


def contact_export(*, contact: Any) -> dict[str, Any]:
    """Everything Urna holds about a contact (the contact book's export)."""
    return contact_book().export(contact=contact)


def contact_erase(*, contact: Any) -> None:
    """Erase a contact and every copy of it, as the citizen asked on the web."""
    contact_book().erase(contact=contact)


# --- Retention ----------------------------------------------------------------------------------

RETENTION_CHUNK = 2000


def in_chunks(queryset: Any, apply: Callable[[Any], int]) -> int:
    """Apply ``apply`` to the queryset's rows a chunk at a time, each chunk in its own short
    transaction (a year of SMS is millions of rows: one UPDATE would hold SQLite's write lock
    for the whole of it). ``apply`` must take the rows out of ``queryset``."""
    total = 0
    model = queryset.model
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:RETENTION_CHUNK]):
        with transaction.atomic():
            total += apply(model.objects.filter(pk__in=ids))
    return total


def retention_days() -> int:
    """Days a working copy of a citizen's address (a raw channel message, a sent message) is kept
    once it has done its job (``PERSONAL_DATA_RETENTION_DAYS``; 0 keeps them)."""
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 365))


def personal_data_expire(*, now: datetime | None = None) -> dict[str, int]:
    """Apply the retention period to every registered copy (Decreto 1377 de 2013: data kept only
    as long as its purpose needs). Returns the rows emptied per holder."""
    days = retention_days()
    if days <= 0:
        return {}
    before = (now or timezone.now()) - timedelta(days=days)
    return {
        label: holder.expire(before)
        for label, holder in sorted(PERSONAL_DATA_HOLDERS.items())
        if holder.expire is not None
    }
