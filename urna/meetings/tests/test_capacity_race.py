"""Two (or more) people taking the last seat at once: one gets it, the others wait in line.
On PostgreSQL with threads (the meeting row's lock); on the embedded SQLite file with
processes (BEGIN IMMEDIATE), as the contacts' concurrency tests do."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from urna.meetings.models import Registration
from urna.meetings.registrations import registration_create

IN_MEMORY_SQLITE = pytest.mark.skipif(
    "sqlite" in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="the in-memory test database's shared cache locks whole tables (no busy timeout); "
    "the file database's concurrency is tested across processes below",
)


@IN_MEMORY_SQLITE
@pytest.mark.django_db(transaction=True)
def test_threads_racing_for_the_last_seat_on_the_server_database(race, make_meeting):
    meeting = make_meeting(capacity=1)
    phones = iter(f"30055500{n:02d}" for n in range(6))

    def register():
        try:
            return registration_create(meeting=meeting, phone=next(phones), consent=True).status
        finally:
            connection.close()

    results = race(register, 6)

    assert sorted(results) == ["confirmed"] + ["waiting"] * 5, results
    assert Registration.objects.filter(status="confirmed").count() == 1


SETUP = """
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from urna.entities.models import Entity
from urna.meetings.models import Meeting
entity = Entity.objects.create(name="Alcaldía de prueba", acronym="PRUEBA", slug="prueba",
                               level="territorial", kind="mayoralty")
start = timezone.now() + timedelta(days=2)
Meeting.objects.create(title="Último cupo", slug="ultimo-cupo", mode="online",
                       video_url="https://meet.example/x", starts_at=start,
                       ends_at=start + timedelta(hours=1), entity=entity, capacity=1,
                       published_at=timezone.now())
"""
REGISTER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from urna.accounts.services import phone_normalise
from urna.meetings.models import Meeting
from urna.meetings.registrations import registration_create
meeting = Meeting.objects.get(slug="ultimo-cupo")
phone_normalise(sys.argv[2])  # warm: every racer is ready before any of them starts
folder = Path(sys.argv[1])
(folder / f"ready-{os.getpid()}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
print(registration_create(meeting=meeting, phone=sys.argv[2], consent=True).status)
"""


@pytest.mark.skipif(
    "sqlite" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="the embedded default's file database; the server database races threads above",
)
@pytest.mark.django_db
def test_processes_racing_for_the_last_seat_on_the_sqlite_file(tmp_path):
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "SQLITE_PATH": str(tmp_path / "urna.sqlite3"),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    run = {"env": env, "cwd": root, "capture_output": True, "text": True, "check": True}
    # The test database's schema (migrated once for the session) written to a file: the
    # processes below share it like gunicorn workers share the embedded database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
        )
        schema = [row[0] for row in cursor.fetchall()]
    target = sqlite3.connect(tmp_path / "urna.sqlite3")
    for statement in schema:
        target.execute(statement)
    target.commit()
    target.close()
    subprocess.run([sys.executable, "-c", SETUP], **run, timeout=60)

    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", REGISTER, str(tmp_path), f"30066600{n:02d}"],
            env=env,
            cwd=root,
            **pipes,
        )
        for n in range(3)
    ]
    deadline = time.monotonic() + 300  # a busy machine takes long to start Django
    while len(list(tmp_path.glob("ready-*"))) < 3 and time.monotonic() < deadline:
        if any(r.poll() is not None for r in racers):
            break
        time.sleep(0.1)
    (tmp_path / "go").touch()
    outputs = [r.communicate(timeout=300) for r in racers]

    assert [r.returncode for r in racers] == [0] * 3, [err[-800:] for _, err in outputs]
    statuses = sorted(out.split()[-1] for out, _ in outputs)
    assert statuses == ["confirmed", "waiting", "waiting"]
