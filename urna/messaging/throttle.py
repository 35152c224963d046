"""Messages per second per outbox backend, shared by every worker process.

A provider allows so many messages a second per account (Twilio's long code 1/s, a short code
100/s, Meta's tiers); two workers sending one campaign must share that, not each take it. The
throttle is a virtual clock per backend (the generic cell rate algorithm): ``reserve(name, n,
rate)`` moves the backend's clock ``n / rate`` seconds forward from ``max(clock, now)`` in one
atomic step and returns how long the caller must wait before sending its ``n`` messages. Many
callers reserving at once get consecutive slots; a backend idle for a while starts again at
once (no burst is saved up).

Where the clock lives: in Redis when ``REDIS_URL`` is set (one Lua script, Redis's own time,
good across machines); otherwise in a small SQLite file beside the rate-limit counters
(``RATELIMIT_PATH``'s folder), which the processes of one machine share, written with one
UPSERT ... RETURNING per reservation.
"""

import os
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings

_LUA = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(clock, t)
redis.call('SET', KEYS[1], tostring(start + tonumber(ARGV[1])), 'EX', 3600)
return tostring(start - t)
"""
_local = threading.local()


def _sqlite() -> sqlite3.Connection:
    path = Path(settings.RATELIMIT_PATH).with_name("outbox-throttle.sqlite3")
    conn = getattr(_local, "conn", None)
    if conn is not None and _local.key == (os.getpid(), str(path)):
        return conn
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # a crash forgets a clock: the next send starts now
    conn.execute("CREATE TABLE IF NOT EXISTS clock (name TEXT PRIMARY KEY, at REAL NOT NULL)")
    _local.conn, _local.key = conn, (os.getpid(), str(path))
    return conn


def _reserve_sqlite(name: str, cost: float) -> float:
    now = time.time()
    (at,) = (
        _sqlite()
        .execute(
            "INSERT INTO clock (name, at) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET at = max(at, ?) + ? RETURNING at",
            (name, now + cost, now, cost),
        )
        .fetchone()
    )
    return max(0.0, at - cost - now)


def _reserve_redis(name: str, cost: float) -> float:
    from django_redis import get_redis_connection

    client = get_redis_connection("default")
    return max(0.0, float(client.eval(_LUA, 1, f"urna:outbox-throttle:{name}", cost)))


def reserve(name: str, count: int, rate: float) -> float:
    """Reserve ``count`` sends on backend ``name`` limited to ``rate`` a second; returns the
    seconds to wait before sending them (0 when ``rate`` is 0: no limit)."""
    if rate <= 0 or count <= 0:
        return 0.0
    cost = count / rate
    if settings.REDIS_URL:
        return _reserve_redis(name, cost)
    return _reserve_sqlite(name, cost)


def wait(name: str, count: int, rate: float) -> None:
    """Reserve and sleep until the reserved slot."""
    delay = reserve(name, count, rate)
    if delay > 0:
        time.sleep(delay)


def rate_for(name: str, override: int = 0) -> float:
    """Messages a second for backend ``name``: the dispatch's own rate, else the
    ``MESSAGING_RATES`` setting's, else 0 (no limit)."""
    if override:
        return float(override)
    return float(getattr(settings, "MESSAGING_RATES", {}).get(name, 0))
