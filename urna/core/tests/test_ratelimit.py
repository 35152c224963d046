"""Rate-limit counters: limits, windows, and one count across every worker process."""

import multiprocessing
import os

import pytest

from urna.core import ratelimit


@pytest.fixture
def store(counter_store):
    return counter_store


def test_hits_within_the_limit_pass_and_the_next_is_refused(store):
    assert [ratelimit.hit("t", "ana", "3/60") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.is_limited("t", "ana", "3/60")
    # Another identity, another scope and another window size count apart.
    assert ratelimit.hit("t", "beto", "3/60")
    assert ratelimit.hit("u", "ana", "3/60")
    assert ratelimit.hit("t", "ana", "3/120")


def test_reset_forgets_one_identity(store):
    for _ in range(3):
        ratelimit.hit("t", "ana", "3/60")
        ratelimit.hit("t", "beto", "3/60")
    ratelimit.reset("t", "ana", "3/60")
    assert not ratelimit.is_limited("t", "ana", "3/60")
    assert ratelimit.is_limited("t", "beto", "3/60")


def test_undo_gives_one_hit_back(store):
    assert [ratelimit.hit("t", "ana", "2/60") for _ in range(2)] == [True, True]
    ratelimit.undo("t", "ana", "2/60")

    assert ratelimit.hit("t", "ana", "2/60")
    assert not ratelimit.hit("t", "ana", "2/60")


def test_concurrent_hits_are_each_counted_once(store, race):
    """Threads released together: exactly the limit passes, in both stores."""
    answers = race(lambda: ratelimit.hit("t", "ana", "5/60"), 16)

    assert answers.count(True) == 5 and len(answers) == 16
    assert ratelimit.store().count(ratelimit._key("t", "ana", 60)) == 16


def test_a_new_window_starts_after_the_last_one_ends(settings, tmp_path, monkeypatch):
    settings.RATELIMIT_STORE = "file"
    settings.RATELIMIT_PATH = tmp_path / "counters.sqlite3"
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: clock["now"])
    assert [ratelimit.hit("t", "ana", "2/60") for _ in range(3)] == [True, True, False]
    clock["now"] += 59
    assert not ratelimit.hit("t", "ana", "2/60")
    clock["now"] += 2  # 61 s after the first hit
    assert not ratelimit.is_limited("t", "ana", "2/60")
    assert ratelimit.hit("t", "ana", "2/60")
    assert ratelimit.hit("t", "ana", "2/60")
    assert not ratelimit.hit("t", "ana", "2/60")


def test_the_counter_file_keeps_only_hashed_identities(settings, tmp_path):
    settings.RATELIMIT_STORE = "file"
    settings.RATELIMIT_PATH = tmp_path / "counters.sqlite3"
    ratelimit.hit("contrib:contact", "+573001234567", "5/60")
    assert b"3001234567" not in settings.RATELIMIT_PATH.read_bytes()
    wal = settings.RATELIMIT_PATH.with_name("counters.sqlite3-wal")
    assert not wal.exists() or b"3001234567" not in wal.read_bytes()


def _hammer(results, path, hits):
    # A forked worker process: the same store configuration, a connection of its own.
    from django.conf import settings

    settings.RATELIMIT_STORE = "file"
    settings.RATELIMIT_PATH = path
    ratelimit._store = None
    results.put([ratelimit.hit("login-user", "gestora", "10/300") for _ in range(hits)])


def test_several_processes_share_one_count(settings, tmp_path):
    """gunicorn runs several workers: a limit of 10 is 10 in all, not 10 per worker."""
    settings.RATELIMIT_STORE = "file"
    settings.RATELIMIT_PATH = tmp_path / "counters.sqlite3"
    ratelimit.hit("login-user", "gestora", "10/300")  # the parent opens its connection first
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(target=_hammer, args=(results, settings.RATELIMIT_PATH, 8))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    answers = [answer for _ in workers for answer in results.get(timeout=30)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert len(answers) == 32
    assert answers.count(True) == 9  # 10 allowed, one of them taken by the parent
    assert ratelimit.store().count(ratelimit._key("login-user", "gestora", 300)) == 33


def _hammer_through_the_cache(results, path, hits):
    # A forked process standing for another host: counters in the cache (Redis), and a counter
    # file of its own that it must not count in.
    from django.conf import settings

    settings.RATELIMIT_STORE = "cache"
    settings.RATELIMIT_PATH = path
    ratelimit._store = None
    results.put([ratelimit.hit("login-user", "gestora", "5/300") for _ in range(hits)])


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="hosts share counters through Redis")
def test_processes_sharing_only_redis_share_one_count(settings, tmp_path):
    """Two hosts share no file, only Redis (deploy/twohost): a limit of 5 stays 5 across them."""
    settings.RATELIMIT_STORE = "cache"
    ratelimit._store = None
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    hosts = [
        context.Process(
            target=_hammer_through_the_cache, args=(results, tmp_path / f"host-{n}.sqlite3", 4)
        )
        for n in range(2)
    ]
    for host in hosts:
        host.start()
    answers = [answer for _ in hosts for answer in results.get(timeout=30)]
    for host in hosts:
        host.join(timeout=30)
        assert host.exitcode == 0
    assert answers.count(True) == 5 and len(answers) == 8
    assert ratelimit.store().count(ratelimit._key("login-user", "gestora", 300)) == 8
