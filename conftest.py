"""Test-wide setup: fast password hashing, isolated cache keys per xdist worker, factories."""

import os

import pytest
from django.conf import settings
from django.utils import translation


def pytest_configure(config):
    # The pid keeps two test runs on one machine (and their xdist workers) apart.
    worker = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    # Each xdist worker gets its own cache namespace, so parallel tests never share counters.
    for alias in settings.CACHES.values():
        alias["KEY_PREFIX"] = f"urna-test-{worker}"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MESSAGING_FILE_PATH = settings.VAR_DIR / "test-outbox" / worker
    # ...and its own rate-limit counter file, when the counters are not in Redis.
    settings.RATELIMIT_PATH = settings.VAR_DIR / "test-ratelimit" / f"{worker}.sqlite3"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    from urna.core import ratelimit

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    ratelimit.clear()
    yield
    # A page asked in English leaves English active in this thread (the language middleware
    # activates a request's language and nothing resets it): the next test starts in Spanish.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(params=["file", "cache"])
def counter_store(request, settings, tmp_path):
    """Each real rate-limit counter store in turn: the shared SQLite file, and the cache (Redis
    with REDIS_URL)."""
    from urna.core import ratelimit

    settings.RATELIMIT_STORE = request.param
    settings.RATELIMIT_PATH = tmp_path / "counters.sqlite3"
    ratelimit.clear()
    return request.param


@pytest.fixture
def race():
    """race(work, n) → the results (or exceptions) of ``work`` run in n threads released
    together: the harness of the tests that prove a limit counts atomically."""
    import threading

    def run_together(work, n):
        barrier = threading.Barrier(n)
        results, lock = [], threading.Lock()

        def run():
            barrier.wait()
            try:
                outcome = work()
            except Exception as exc:  # noqa: BLE001 - collected for the assertions
                outcome = exc
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=run) for _ in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return results

    return run_together


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data every test database starts with, loaded once per test session (per xdist
    worker) instead of once per test: DIVIPOLA (1,100+ municipalities) and the national
    entities. Each test's transaction rolls back on top of it."""
    from urna.entities.services import entities_load_national
    from urna.territory.services import divipola_load

    with django_db_blocker.unblock():
        divipola_load()
        entities_load_national()


@pytest.fixture
def no_reference_data(db):
    """An empty territory and no entities, for the tests of the loaders themselves (rolled back
    with the test)."""
    from urna.entities.models import Entity
    from urna.territory.models import Department, Municipality

    Entity.objects.exclude(parent=None).delete()
    Entity.objects.all().delete()
    Municipality.objects.all().delete()
    Department.objects.all().delete()


@pytest.fixture
def divipola(db):
    from urna.territory.models import Municipality
    from urna.territory.services import divipola_load

    # A transactional test ends by emptying every table: the next one loads the data again.
    if not Municipality.objects.exists():
        divipola_load()


@pytest.fixture
def national_entities(divipola):
    from urna.entities.models import Entity
    from urna.entities.services import entities_load_national

    if not Entity.objects.filter(acronym="MINAGRICULTURA").exists():
        entities_load_national()


@pytest.fixture
def agriculture(national_entities):
    """The Ministry of Agriculture (a national entity with staff in most tests)."""
    from urna.entities.models import Entity

    return Entity.objects.get(acronym="MINAGRICULTURA")


@pytest.fixture
def education(national_entities):
    from urna.entities.models import Entity

    return Entity.objects.get(acronym="MINEDUCACION")


@pytest.fixture
def agri(agriculture):
    return agriculture


@pytest.fixture
def edu(education):
    return education


@pytest.fixture
def make_staff(db):
    """make_staff(entity, role, username=...) → a staff user with that membership."""
    from urna.accounts.services import staff_create

    counter = {"n": 0}

    def make(entity, role, *, username=None, is_lead=False):
        counter["n"] += 1
        return staff_create(
            username=username or f"staff{counter['n']}",
            password="a-long-test-password",
            entity=entity,
            role=role,
            is_lead=is_lead,
        )

    return make


@pytest.fixture(autouse=True)
def _audit_triggers_for_transactional_tests(request):
    """Transactional tests end with a flush of every table, which the audit log's append-only
    triggers refuse: lift them for that flush only, and put them back for the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from urna.audit import triggers

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    triggers.install(execute, connection.vendor)
    yield
    triggers.uninstall(execute, connection.vendor)
