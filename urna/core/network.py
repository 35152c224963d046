"""The client's network address, as far as Urna can trust it.

Behind a proxy (``TRUSTED_PROXY``), ``X-Forwarded-For`` reads ``client, proxy1, proxy2``: each
proxy appends the address it received the request from. Everything left of what our own proxies
added is written by the client, so the client is the hop the outermost of our
``TRUSTED_PROXY_COUNT`` proxies added, counted from the right.
"""

import ipaddress
from typing import Any

from django.conf import settings


def _valid(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request: Any) -> str | None:
    """The client's address: the socket's peer, or behind trusted proxies the hop they added."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    if settings.TRUSTED_PROXY:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in header.split(",") if hop.strip()]
        count = settings.TRUSTED_PROXY_COUNT
        # Fewer hops than proxies: the request skipped one of them (or one is misconfigured);
        # the peer's address is then the only one Urna knows to be true.
        if len(hops) >= count and _valid(hops[-count]):
            return hops[-count]
    return remote


def network_of(ip: str | None) -> str:
    """The rate-limit key of an address: an IPv4 address itself; for IPv6 its /64, the block one
    subscriber line gets (any address in it is theirs to use)."""
    if not ip:
        return "unknown"
    if ":" not in ip:  # IPv4, the common case, kept off the parser: intake's hot path
        return ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_network(request: Any) -> str:
    """The client's network, the identity of the per-network rate limits."""
    return network_of(client_ip(request))
