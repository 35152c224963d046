"""Public API of the registry of official government social-media accounts: the list with
filters, the check "is this account official?" and one account with its latest figures.

Mounted by ``urna.api`` under /api/v1/social-accounts
(``api.add_router("/social-accounts", "urna.socialaccounts.api.router")``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from urna.core.errors import InvalidInput, NotFound
from urna.core.links import absolute_url
from urna.socialaccounts import selectors
from urna.socialaccounts.models import Network, SocialAccount

router = Router(tags=["redes sociales oficiales"])
NetworkLiteral = Literal[tuple(Network.values)]  # type: ignore[valid-type]


class EntityRef(Schema):
    id: int
    acronym: str
    name: str
    level: str
    department: str | None


class FigureOut(Schema):
    date: date
    followers: int
    posts: int | None
    source: str


class AccountOut(Schema):
    id: int
    network: str
    handle: str
    name: str
    profile_url: str
    entity: EntityRef
    level: str
    verified: bool
    status: str
    is_example: bool
    followers: int | None = Field(None, description="Seguidores en la cifra más reciente.")
    followers_on: date | None = Field(None, description="Fecha de la cifra más reciente.")
    url: str


class AccountDetailOut(AccountOut):
    figures: list[FigureOut]


class AccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccountOut]


class AccountFilters(Schema):
    q: str = Field("", max_length=100, description="Nombre, cuenta o entidad (sin tildes).")
    network: NetworkLiteral | None = None
    level: Literal["national", "territorial"] | None = None
    department: str | None = Field(None, description="Código DANE del departamento (2 dígitos).")
    entity: int | None = Field(None, description="Identificador de la entidad.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class VerifyQuery(Schema):
    url: str = Field(..., max_length=300, description="Dirección del perfil o @nombre.")


class VerifyOut(Schema):
    query: str
    understood: bool = Field(description="Si el texto se entendió como una cuenta o dirección.")
    official: bool = Field(
        description="Si la cuenta está en el registro, no está cerrada y no es de ejemplo."
    )
    example: bool = Field(description="Si la cuenta encontrada es de ejemplo (demostración).")
    network: str
    handle: str
    accounts: list[AccountOut]


def _account_out(account: SocialAccount) -> dict:
    entity = account.entity
    return {
        "id": account.pk,
        "network": account.network,
        "handle": account.handle,
        "name": account.name,
        "profile_url": account.profile_url,
        "entity": {
            "id": entity.pk,
            "acronym": entity.acronym,
            "name": entity.name,
            "level": entity.level,
            "department": entity.department_id,
        },
        "level": account.level,
        "verified": account.verified,
        "status": account.status,
        "is_example": account.is_example,
        "followers": getattr(account, "last_followers", None),
        "followers_on": getattr(account, "last_figure_on", None),
        "url": absolute_url(f"/redes-oficiales/{account.pk}/"),
    }


@router.get("", response=AccountPage, summary="Cuentas oficiales en redes sociales")
def account_list(request: HttpRequest, filters: Query[AccountFilters]):
    """The registry's accounts (not those under review), by entity, network and handle."""
    qs = selectors.directory(
        selectors.DirectoryFilters(
            q=filters.q,
            network=filters.network or "",
            level=filters.level or "",
            department=filters.department or "",
            entity=filters.entity,
        )
    )
    items = [_account_out(a) for a in qs[filters.offset : filters.offset + filters.limit]]
    return {"count": qs.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/verify", response=VerifyOut, summary="¿Es oficial esta cuenta?")
def account_verify(request: HttpRequest, params: Query[VerifyQuery]):
    """Whether a profile address (any form: with or without https, www., m., a trailing
    slash or a query string) or an @handle is an official account of the registry."""
    if not params.url.strip():
        raise InvalidInput(_("Escriba la dirección o el @nombre de la cuenta."), field="url")
    lookup = selectors.account_lookup(params.url)
    return {
        "query": lookup.text,
        "understood": lookup.understood,
        "official": any(
            a.status != SocialAccount.Status.CLOSED and not a.is_example for a in lookup.accounts
        ),
        "example": any(a.is_example for a in lookup.accounts),
        "network": lookup.network,
        "handle": lookup.handle,
        "accounts": [_account_out(a) for a in lookup.accounts],
    }


@router.get("/{int:account_id}", response=AccountDetailOut, summary="Una cuenta y sus cifras")
def account_get(request: HttpRequest, account_id: int):
    """One account with its latest figures (up to 24, newest first)."""
    account = selectors.account_detail(account_id)
    if account is None:
        raise NotFound(_("La cuenta no está en el registro."))
    figures = selectors.account_figures(account)
    if figures:
        account.last_followers, account.last_figure_on = figures[0].followers, figures[0].date
    out = _account_out(account)
    out["figures"] = [
        {"date": f.date, "followers": f.followers, "posts": f.posts, "source": f.source}
        for f in figures
    ]
    return out
