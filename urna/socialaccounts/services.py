"""Writes of the social-accounts registry: accounts added, edited and their status changed, and
figures recorded. Each checks the actor's permission on the account's entity (the platform team
acts on every entity, an entity's staff on their own) and writes the audit log in its
transaction. ``by=None`` is the system (the platform fetchers, the demo): no permission asked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urna.accounts.permissions import require
from urna.audit.services import audit_record
from urna.core.errors import Conflict, InvalidInput
from urna.core.text import search_normalise
from urna.entities.models import Entity
from urna.socialaccounts.handles import (
    handle_normalise,
    profile_parse,
    profile_url_check,
    profile_url_for,
)
from urna.socialaccounts.models import Network, SocialAccount, SocialFigure

MANAGE_ACTION = "socialaccounts.manage"
# The fields of an account an edit may change, and what the audit log records of them.
EDITABLE = ("network", "handle", "name", "profile_url", "entity_id", "verified", "status")
SYSTEM_LABEL = "system:socialaccounts"


def _allow(by: Any, entity: Entity) -> None:
    if by is not None:
        require(by, MANAGE_ACTION, entity)


def _actor(by: Any) -> dict[str, Any]:
    return {"actor": by, "actor_label": "" if by is not None else SYSTEM_LABEL}


def account_search_text(account: SocialAccount) -> str:
    entity = account.entity
    return search_normalise(f"{account.name} {account.handle} {entity.name} {entity.acronym}")


def account_clean(*, network: str, handle: str = "", profile_url: str = "") -> tuple[str, str]:
    """(stored handle, profile URL) from what staff typed: the handle may be left out when the
    URL names it, the URL when the network's usual address can be built from the handle.
    InvalidInput when the network is unknown, the URL is not the network's or names another
    account."""
    if network not in Network.values:
        raise InvalidInput(_("Red social desconocida."), field="network")
    if not handle.strip():
        parsed = profile_parse(profile_url) if network != Network.OTHER else None
        if parsed is None or parsed.network != network:
            raise InvalidInput(
                _("Escriba el nombre de la cuenta o una dirección de perfil de la red."),
                field="handle",
            )
        handle = parsed.handle
    handle = handle_normalise(network, handle)
    if not profile_url.strip():
        profile_url = profile_url_for(network, handle)
        if not profile_url:
            raise InvalidInput(_("Escriba la dirección del perfil."), field="profile_url")
    return handle, profile_url_check(network=network, url=profile_url, handle=handle)


def _snapshot(account: SocialAccount) -> dict[str, Any]:
    return {field: getattr(account, field) for field in EDITABLE}


def _save(account: SocialAccount) -> None:
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise Conflict(
            _("La cuenta @%(handle)s de %(network)s ya está en el registro.")
            % {"handle": account.handle, "network": account.get_network_display()},
            field="handle",
        ) from exc


@transaction.atomic
def account_create(
    *,
    by: Any,
    entity: Entity,
    network: str,
    handle: str = "",
    profile_url: str = "",
    name: str = "",
    verified: bool = False,
    status: str = SocialAccount.Status.ACTIVE,
    listed_on: date | None = None,
    is_example: bool = False,
) -> SocialAccount:
    """Add an account of ``entity`` to the registry."""
    _allow(by, entity)
    handle, profile_url = account_clean(network=network, handle=handle, profile_url=profile_url)
    if status not in SocialAccount.Status.values:
        raise InvalidInput(_("Estado no válido."), field="status")
    today = timezone.localdate()
    account = SocialAccount(
        entity=entity,
        level=entity.level,
        network=network,
        handle=handle,
        profile_url=profile_url,
        name=name.strip()[:200],
        verified=verified,
        status=status,
        listed_on=listed_on or today,
        closed_on=today if status == SocialAccount.Status.CLOSED else None,
        is_example=is_example,
    )
    account.search_text = account_search_text(account)
    _save(account)
    audit_record(
        action="socialaccount.create",
        obj=account,
        after=_snapshot(account),
        entity=entity,
        **_actor(by),
    )
    return account


def _apply_status(account: SocialAccount, status: str) -> None:
    if status not in SocialAccount.Status.values:
        raise InvalidInput(_("Estado no válido."), field="status")
    if status == SocialAccount.Status.CLOSED and account.status != status:
        account.closed_on = timezone.localdate()
    elif status != SocialAccount.Status.CLOSED:
        account.closed_on = None
    account.status = status


@transaction.atomic
def account_update(*, account: SocialAccount, by: Any, **changes: Any) -> SocialAccount:
    """Change an account's fields (those of ``EDITABLE``; ``entity`` for ``entity_id``). Moving
    it to another entity needs the permission in both. Nothing written when nothing changed."""
    account = SocialAccount.objects.select_for_update().select_related("entity").get(pk=account.pk)
    _allow(by, account.entity)
    before = _snapshot(account)
    entity = changes.pop("entity", None) or account.entity
    if entity.pk != account.entity_id:
        _allow(by, entity)
    network = changes.pop("network", account.network)
    url_given = changes.pop("profile_url", account.profile_url)
    handle = changes.pop("handle", account.handle)
    if (network, handle, url_given) != (account.network, account.handle, account.profile_url):
        handle, url_given = account_clean(network=network, handle=handle, profile_url=url_given)
    account.network, account.handle, account.profile_url = network, handle, url_given
    account.entity, account.level = entity, entity.level
    if "status" in changes:
        _apply_status(account, changes.pop("status"))
    account.name = changes.pop("name", account.name).strip()[:200]
    account.verified = bool(changes.pop("verified", account.verified))
    if changes:
        raise InvalidInput(_("Campos no válidos: %(f)s.") % {"f": ", ".join(sorted(changes))})
    after = _snapshot(account)
    diff = {k for k in EDITABLE if before[k] != after[k]}
    if not diff:
        return account
    account.search_text = account_search_text(account)
    _save(account)
    audit_record(
        action="socialaccount.update",
        obj=account,
        before={k: before[k] for k in sorted(diff)},
        after={k: after[k] for k in sorted(diff)},
        entity=account.entity,
        **_actor(by),
    )
    return account


def account_status_set(*, account: SocialAccount, by: Any, status: str) -> SocialAccount:
    """Mark an account active, dormant, closed (the day is kept for the indicators) or pending
    review."""
    return account_update(account=account, by=by, status=status)


@transaction.atomic
def figure_record(
    *,
    account: SocialAccount,
    by: Any,
    day: date,
    followers: int,
    posts: int | None = None,
    source: str = SocialFigure.Source.MANUAL,
) -> tuple[SocialFigure, bool]:
    """Record the account's followers on ``day`` (and its posts since the previous figure):
    one figure per account and day, replaced when the values differ. Returns (figure, changed)."""
    _allow(by, account.entity)
    if followers is None or followers < 0:
        raise InvalidInput(_("Los seguidores no pueden ser negativos."), field="followers")
    if posts is not None and posts < 0:
        raise InvalidInput(_("Las publicaciones no pueden ser negativas."), field="posts")
    if day > timezone.localdate():
        raise InvalidInput(_("La fecha de la cifra no puede ser futura."), field="date")
    figure = SocialFigure.objects.select_for_update().filter(account=account, date=day).first()
    if figure is not None and (figure.followers, figure.posts) == (followers, posts):
        return figure, False
    before = None if figure is None else {"followers": figure.followers, "posts": figure.posts}
    if figure is None:
        figure = SocialFigure(account=account, date=day)
    figure.followers, figure.posts, figure.source = followers, posts, source
    figure.save()
    audit_record(
        action="socialfigure.record",
        obj=figure,
        before=before,
        after={"date": day.isoformat(), "followers": followers, "posts": posts, "source": source},
        entity=account.entity,
        **_actor(by),
    )
    return figure, True
