"""Fixed-window rate limits, shared by every process that serves Urna.

Limits are keyed by *identity* (a contact, a phone number, an account, a browser session), and
always also by the client's *network* (``urna.core.network.client_network``) with a generous
limit: many Colombians share one IP behind carrier NAT or a community internet point. An identity
the client supplies (``X-Client-Id``, a contact address) may narrow a limit, never widen it.

A limit is checked by counting: ``hit`` adds one and says whether the count is still within the
limit, in one atomic step of the store, so concurrent requests cannot all pass a check made
before any of them was counted. When an attempt turns out not to count (a right password),
``undo`` gives it back.

Where the counters live (``RATELIMIT_STORE``):

- ``cache``: the shared cache. With ``REDIS_URL`` set that is Redis, whose atomic ``INCR``
  holds across processes and machines; this is the default when Redis is configured.
- ``file``: one small SQLite file (``RATELIMIT_PATH``, default ``var/ratelimit.sqlite3``) that
  every process of this machine shares. The embedded default: ``bin/serve`` runs several
  gunicorn workers, and counters in each worker's local memory would let a citizen (or a
  password guesser) through once per worker. The file holds only hashed keys and counts, so it
  is written with ``synchronous=OFF``: a crash may forget a few hits, never a contribution.
"""

import contextlib
import hashlib
import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/300"`` → (5 hits, 300 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def _key(scope: str, identity: str, window: int) -> str:
    digest = hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()
    return f"rl:{scope}:{window}:{digest}"


def _now() -> float:
    return time.time()


class CacheCounters:
    """Counters in the Django cache: shared wherever the cache is (Redis)."""

    def hit(self, key: str, seconds: int) -> int:
        # ``add`` (SET NX) and ``incr`` (INCRBY on a key that exists) are each atomic in Redis,
        # so every hit gets its own count; a key that expires between the two is added again.
        while True:
            if cache.add(key, 1, timeout=seconds):
                return 1
            try:
                return cache.incr(key)
            except ValueError:
                continue

    def undo(self, key: str) -> None:
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(key)

    def count(self, key: str) -> int:
        return cache.get(key) or 0

    def delete(self, key: str) -> None:
        cache.delete(key)

    def clear(self) -> None:
        if hasattr(cache, "delete_pattern"):  # django-redis
            cache.delete_pattern("rl:*")
        else:
            cache.clear()


class FileCounters:
    """Counters in one SQLite file shared by the processes of one machine.

    Each hit is one UPSERT in its own short transaction. A window starts at an identity's first
    hit and lasts ``seconds``; a hit after it ends starts a new one. Expired rows are swept now
    and then so the file stays small.
    """

    SWEEP_ONE_IN = 1000

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA mmap_size=67108864")
        # Keyed by a 64-bit hash of the counter's key: a small integer-keyed table keeps each
        # hit to a few page reads, with 100,000+ identities in a window.
        conn.execute(
            "CREATE TABLE IF NOT EXISTS rate_window ("
            " id INTEGER PRIMARY KEY, hits INTEGER NOT NULL, expires REAL NOT NULL)"
        )
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @staticmethod
    def _id(key: str) -> int:
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), signed=True)

    def hit(self, key: str, seconds: int) -> int:
        now = _now()
        conn = self._connection()
        (hits,) = conn.execute(
            "INSERT INTO rate_window (id, hits, expires) VALUES (?, 1, ?) "
            "ON CONFLICT (id) DO UPDATE SET "
            " hits = CASE WHEN expires <= ? THEN 1 ELSE hits + 1 END,"
            " expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END "
            "RETURNING hits",
            (self._id(key), now + seconds, now, now),
        ).fetchone()
        if random.randrange(self.SWEEP_ONE_IN) == 0:  # noqa: S311 (not security-relevant)
            conn.execute("DELETE FROM rate_window WHERE expires <= ?", (now,))
        return hits

    def undo(self, key: str) -> None:
        self._connection().execute(
            "UPDATE rate_window SET hits = hits - 1 WHERE id = ? AND hits > 0 AND expires > ?",
            (self._id(key), _now()),
        )

    def count(self, key: str) -> int:
        row = (
            self._connection()
            .execute(
                "SELECT hits FROM rate_window WHERE id = ? AND expires > ?", (self._id(key), _now())
            )
            .fetchone()
        )
        return row[0] if row else 0

    def delete(self, key: str) -> None:
        self._connection().execute("DELETE FROM rate_window WHERE id = ?", (self._id(key),))

    def clear(self) -> None:
        self._connection().execute("DELETE FROM rate_window")


_store: CacheCounters | FileCounters | None = None
_store_lock = threading.Lock()


def store() -> CacheCounters | FileCounters:
    """The configured counter store (built once per process)."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                if settings.RATELIMIT_STORE == "cache":
                    _store = CacheCounters()
                else:
                    _store = FileCounters(settings.RATELIMIT_PATH)
    return _store


def _forget_store(*, setting: str, **kwargs: object) -> None:
    global _store
    if setting in ("RATELIMIT_STORE", "RATELIMIT_PATH"):
        _store = None


setting_changed.connect(_forget_store)


def hit(scope: str, identity: str, rate: str) -> bool:
    """Count one hit; return True when the identity is still within its limit."""
    limit, seconds = parse_rate(rate)
    return store().hit(_key(scope, identity, seconds), seconds) <= limit


def undo(scope: str, identity: str, rate: str) -> None:
    """Give back one hit counted by ``hit``: the attempt turned out not to count (a right
    password, a receipt that exists). Counting first and giving back keeps the count atomic
    under concurrent requests, where checking first and counting afterwards does not."""
    _, seconds = parse_rate(rate)
    store().undo(_key(scope, identity, seconds))


def is_limited(scope: str, identity: str, rate: str) -> bool:
    """Whether the identity is over its limit, without counting a hit."""
    limit, seconds = parse_rate(rate)
    return store().count(_key(scope, identity, seconds)) >= limit


def reset(scope: str, identity: str, rate: str) -> None:
    _, seconds = parse_rate(rate)
    store().delete(_key(scope, identity, seconds))


def clear() -> None:
    """Forget every counter (tests; an operator lifting limits after an incident)."""
    store().clear()
