"""What a pasted account means: the network of a profile URL, its handle, and the handle in the
one form the registry stores (no "@", lower case where the network ignores case).

People paste every form of an address: ``https://www.facebook.com/MinAgricultura/``,
``m.facebook.com/MinAgricultura?ref=share``, ``twitter.com/minagricultura`` for an X account,
``youtube.com/@MinAgricultura/videos``, ``t.me/s/canal``, ``@minagricultura``. ``profile_parse``
reads them all into (network, handle); the registry is searched by that pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from urna.core.errors import InvalidInput
from urna.socialaccounts.models import Network

# The hosts of each network (a subdomain such as www., m., mobile., web. or es-la. matches too).
HOSTS: dict[str, tuple[str, ...]] = {
    Network.FACEBOOK: ("facebook.com", "fb.com", "fb.me"),
    Network.X: ("x.com", "twitter.com"),
    Network.INSTAGRAM: ("instagram.com", "instagr.am"),
    Network.YOUTUBE: ("youtube.com", "youtu.be"),
    Network.TIKTOK: ("tiktok.com",),
    Network.WHATSAPP: ("whatsapp.com",),
    Network.TELEGRAM: ("t.me", "telegram.me", "telegram.dog"),
    Network.FLICKR: ("flickr.com", "flic.kr"),
    Network.LINKEDIN: ("linkedin.com",),
}
# Where a handle's letter case does not matter (X, Instagram, Facebook page names, YouTube
# @handles, TikTok, Telegram, LinkedIn and Flickr aliases): stored lower-cased. A WhatsApp
# channel id and a YouTube channel id (UC…) are case-sensitive, and so is "other".
CASE_SENSITIVE = frozenset({Network.WHATSAPP, Network.OTHER})
_YOUTUBE_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
# Characters a handle may hold, per network (loose: the networks' own rules change).
PATTERNS: dict[str, re.Pattern] = {
    Network.FACEBOOK: re.compile(r"[a-z0-9.\-]{1,80}"),
    Network.X: re.compile(r"[a-z0-9_]{1,15}"),
    Network.INSTAGRAM: re.compile(r"[a-z0-9._]{1,30}"),
    Network.YOUTUBE: re.compile(r"[a-z0-9._\-]{3,100}|UC[A-Za-z0-9_-]{22}"),
    Network.TIKTOK: re.compile(r"[a-z0-9._]{2,24}"),
    Network.WHATSAPP: re.compile(r"[A-Za-z0-9]{10,40}"),
    Network.TELEGRAM: re.compile(r"[a-z0-9_]{4,32}"),
    Network.FLICKR: re.compile(r"[a-z0-9_\-]{1,60}|[0-9]{5,12}@n[0-9]{2}"),
    Network.LINKEDIN: re.compile(r"[a-z0-9_\-%]{2,100}"),
    Network.OTHER: re.compile(r"\S{1,120}"),
}
# Path words that are pages of the site, never an account.
RESERVED = frozenset(
    {"home", "share", "sharer", "sharer.php", "intent", "search", "explore", "hashtag", "i",
     "login", "watch", "results", "p", "reel", "reels", "stories", "tv", "video", "groups",
     "events", "photo", "photo.php", "permalink.php", "story.php", "watch.php", "feed",
     "shorts", "playlist", "embed", "live"}
)  # fmt: skip


@dataclass(frozen=True)
class Profile:
    network: str
    handle: str


def handle_normalise(network: str, raw: str) -> str:
    """The stored form of a handle: trimmed, no leading "@", lower case unless the network
    (or, on YouTube, a channel id) tells case apart. InvalidInput when it cannot be one."""
    handle = (raw or "").strip().lstrip("@").strip().rstrip("/")
    if network not in CASE_SENSITIVE and not (
        network == Network.YOUTUBE and _YOUTUBE_CHANNEL_ID.fullmatch(handle)
    ):
        handle = handle.lower()
    pattern = PATTERNS.get(network)
    if pattern is None:
        raise InvalidInput(_("Red social desconocida."), field="network")
    if not pattern.fullmatch(handle):
        raise InvalidInput(
            _("«%(handle)s» no es un nombre de cuenta válido en esta red.") % {"handle": raw},
            field="handle",
        )
    return handle


def network_of_host(host: str) -> str | None:
    """The network whose domain ``host`` is (or is a subdomain of), or None."""
    host = host.lower().rstrip(".")
    for network, domains in HOSTS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return network
    return None


def url_split(text: str):
    """A pasted address split, with "https://" supplied when it was left out; None when the
    text does not look like an address (no dot in its host)."""
    text = (text or "").strip()
    if not text or " " in text:
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        return None
    return parts


def _path_handle(network: str, segments: list[str], query: str) -> str | None:
    """The handle in a profile URL's path segments (None when the path names no account)."""
    first = segments[0] if segments else ""
    if network == Network.FACEBOOK:
        if first == "profile.php":
            found = re.search(r"(?:^|&)id=(\d+)", query)
            return found.group(1) if found else None
        if first == "pages" and len(segments) >= 3:
            return segments[2] if segments[2].isdigit() else segments[1]
        if first == "people" and len(segments) >= 3:
            return segments[2]
    elif network == Network.YOUTUBE:
        if first in ("channel", "c", "user") and len(segments) >= 2:
            return segments[1]
    elif network == Network.WHATSAPP:
        return segments[1] if first == "channel" and len(segments) >= 2 else None
    elif network == Network.TELEGRAM and first == "s" and len(segments) >= 2:
        return segments[1]  # the public preview of a channel: t.me/s/<name>
    elif network == Network.FLICKR:
        return segments[1] if first in ("photos", "people") and len(segments) >= 2 else None
    elif network == Network.LINKEDIN:
        if first in ("company", "in", "school", "showcase") and len(segments) >= 2:
            return segments[1]
        return None
    if not first or first.lower() in RESERVED:
        return None
    return first


def profile_raw(text: str) -> tuple[str, str] | None:
    """(network, handle as written) of an address on a known network's domain whose path
    names an account, whether or not the handle could exist there; None otherwise."""
    parts = url_split(text)
    if parts is None:
        return None
    network = network_of_host(parts.hostname or "")
    if network is None or (parts.hostname or "").endswith("youtu.be"):  # youtu.be: a video
        return None
    segments = [s for s in parts.path.split("/") if s]
    raw = _path_handle(network, segments, parts.query)
    return (network, raw) if raw else None


def profile_parse(text: str) -> Profile | None:
    """(network, stored handle) of a pasted profile address, or None when ``text`` is not an
    address of a known network's account. The address may lack the scheme or carry www., m.,
    a trailing slash, a query string or a fragment."""
    found = profile_raw(text)
    if found is None:
        return None
    try:
        return Profile(found[0], handle_normalise(*found))
    except InvalidInput:
        return None


def url_key(text: str) -> str:
    """An address of a network Urna does not know, compared without scheme, www., case,
    query or trailing slash: "https://www.Ejemplo.gov.co/Red/" → "ejemplo.gov.co/red"."""
    parts = url_split(text)
    if parts is None:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


def profile_url_check(*, network: str, url: str, handle: str) -> str:
    """The profile URL (with "https://" when it was left out), checked: an http(s) address on
    the network's domain whose account is ``handle`` (a stored handle). InvalidInput with the
    reason otherwise."""
    parts = url_split(url)
    if parts is None:
        raise InvalidInput(_("La dirección del perfil no es una URL válida."), field="profile_url")
    full = parts.geturl()
    if network == Network.OTHER:
        if network_of_host(parts.hostname or "") is not None:
            raise InvalidInput(
                _("La dirección es de una red conocida: elija esa red en vez de «Otra»."),
                field="network",
            )
        return full
    if network_of_host(parts.hostname or "") != network:
        raise InvalidInput(
            _("La dirección no es de %(network)s.") % {"network": Network(network).label},
            field="profile_url",
        )
    parsed = profile_parse(url)
    if parsed is None or parsed.handle != handle:
        raise InvalidInput(
            _("La dirección del perfil no corresponde a la cuenta @%(handle)s.")
            % {"handle": handle},
            field="profile_url",
        )
    return full


PROFILE_URLS = {
    Network.FACEBOOK: "https://www.facebook.com/{}",
    Network.X: "https://x.com/{}",
    Network.INSTAGRAM: "https://www.instagram.com/{}",
    Network.TIKTOK: "https://www.tiktok.com/@{}",
    Network.WHATSAPP: "https://whatsapp.com/channel/{}",
    Network.TELEGRAM: "https://t.me/{}",
    Network.FLICKR: "https://www.flickr.com/photos/{}",
    Network.LINKEDIN: "https://www.linkedin.com/company/{}",
}


def profile_url_for(network: str, handle: str) -> str:
    """The usual address of an account when only its handle is known ("" for "other")."""
    if network == Network.YOUTUBE:
        if _YOUTUBE_CHANNEL_ID.fullmatch(handle):
            return f"https://www.youtube.com/channel/{handle}"
        return f"https://www.youtube.com/@{handle}"
    template = PROFILE_URLS.get(network)
    return template.format(handle) if template else ""
