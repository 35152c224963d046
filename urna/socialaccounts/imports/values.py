"""What a cell of an imported file of accounts or figures means: the headers that name each
field, networks, statuses, yes/no, dates and whole numbers as people write them."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext_lazy

from urna.contacts.imports import header_key
from urna.core.errors import DomainError
from urna.socialaccounts.models import Network, SocialAccount, SocialImport

# The headers of each field, compared with header_key (no accents, case or punctuation).
COLUMNS: dict[str, dict[str, frozenset[str]]] = {
    SocialImport.Kind.ACCOUNTS: {
        "entity": frozenset({"entidad", "sigla", "siglaentidad", "entity"}),
        "network": frozenset({"red", "redsocial", "network"}),
        "handle": frozenset({"cuenta", "usuario", "handle", "nombredeusuario", "arroba"}),
        "profile_url": frozenset({"url", "enlace", "direccion", "perfil", "urlperfil", "link"}),
        "name": frozenset({"nombre", "nombredelacuenta", "name"}),
        "verified": frozenset({"verificada", "verificado", "verified"}),
        "status": frozenset({"estado", "status"}),
        "listed_on": frozenset({"desde", "fecharegistro", "enelregistrodesde", "listedon"}),
    },
    SocialImport.Kind.FIGURES: {
        "network": frozenset({"red", "redsocial", "network"}),
        "handle": frozenset({"cuenta", "usuario", "handle", "nombredeusuario", "arroba"}),
        "profile_url": frozenset({"url", "enlace", "direccion", "perfil", "urlperfil", "link"}),
        "date": frozenset({"fecha", "fechacorte", "corte", "date"}),
        "followers": frozenset({"seguidores", "suscriptores", "followers"}),
        "posts": frozenset({"publicaciones", "posts", "publicacionesdelperiodo"}),
    },
}
COLUMN_LABELS = {
    "entity": gettext_lazy("entidad"),
    "network": gettext_lazy("red"),
    "handle": gettext_lazy("cuenta"),
    "profile_url": gettext_lazy("url"),
    "date": gettext_lazy("fecha"),
    "followers": gettext_lazy("seguidores"),
}
NETWORK_WORDS = {
    **{header_key(value): value for value in Network.values},
    "fb": Network.FACEBOOK,
    "twitter": Network.X,
    "xtwitter": Network.X,
    "ig": Network.INSTAGRAM,
    "yt": Network.YOUTUBE,
    "canaldewhatsapp": Network.WHATSAPP,
    "whatsappchannel": Network.WHATSAPP,
    "otra": Network.OTHER,
    "otrared": Network.OTHER,
}
STATUS_WORDS = {
    **{header_key(value): value for value in SocialAccount.Status.values},
    "activa": SocialAccount.Status.ACTIVE,
    "activo": SocialAccount.Status.ACTIVE,
    "inactiva": SocialAccount.Status.DORMANT,
    "inactivo": SocialAccount.Status.DORMANT,
    "cerrada": SocialAccount.Status.CLOSED,
    "cerrado": SocialAccount.Status.CLOSED,
    "enrevision": SocialAccount.Status.PENDING,
    "revision": SocialAccount.Status.PENDING,
}
YES = frozenset({"si", "s", "yes", "y", "1", "true", "verdadero", "x"})
NO = frozenset({"no", "n", "0", "false", "falso"})
_THOUSANDS = re.compile(r"-?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*")


def network_of(raw: str) -> str | None:
    return NETWORK_WORDS.get(header_key(raw))


def status_of(raw: str) -> str | None:
    return STATUS_WORDS.get(header_key(raw))


def yes_no(raw: str) -> bool | None:
    key = header_key(raw)
    return True if key in YES else False if key in NO else None


def date_of(raw: str) -> date | None:
    """2025-01-31, 31/01/2025 or 31-01-2025 (and a spreadsheet's 2025-01-31T00:00:00)."""
    text = raw.strip().split("T")[0].split(" ")[0]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    return None


def whole_number(raw: str) -> int | None:
    """12345, 12.345, 12,345 or 12 345 (thousands), -3; None for decimals or text."""
    text = raw.strip().replace("\u00a0", " ")
    if _THOUSANDS.fullmatch(text):
        text = re.sub(r"[.,\s]", "", text)
    try:
        return int(text)
    except ValueError:
        return None


def reason_of(error: DomainError) -> str:
    """A service's error as a row's reason: its message without the final period, lower-case
    first letter (the report reads "fila 7: la dirección no es de Facebook")."""
    message = str(error.message).rstrip(".")
    return message[:1].lower() + message[1:]
