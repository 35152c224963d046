"""Fixed-window rate limits on the shared cache (local memory, or Redis across processes).

Limits are keyed by *identity* (a contact, a phone number, an account, a browser session), not by
IP alone: many Colombians share one IP behind carrier NAT or a community internet point.
"""

import hashlib

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/300"`` → (5 hits, 300 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def _key(scope: str, identity: str, window: int) -> str:
    digest = hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()
    return f"rl:{scope}:{window}:{digest}"


def hit(scope: str, identity: str, rate: str) -> bool:
    """Count one hit; return True when the identity is still within its limit."""
    limit, seconds = parse_rate(rate)
    key = _key(scope, identity, seconds)
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return count <= limit


def is_limited(scope: str, identity: str, rate: str) -> bool:
    """Whether the identity is over its limit, without counting a hit."""
    limit, seconds = parse_rate(rate)
    return (cache.get(_key(scope, identity, seconds)) or 0) >= limit


def reset(scope: str, identity: str, rate: str) -> None:
    _, seconds = parse_rate(rate)
    cache.delete(_key(scope, identity, seconds))
