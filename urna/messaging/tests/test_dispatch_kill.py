"""A real worker process (``manage.py jobs_worker``) is SIGKILLed in the middle of a dispatch;
after a restart every contact has been handed to the file backend exactly once."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONTACTS = 200
RATE = 100  # messages a second: two seconds of sending, so the kill lands in the middle

# The contacts app registers the real consent gate; this site allows everyone it is asked about.
PREAMBLE = """
import django
django.setup()
from urna.messaging.hooks import register_consent_gate
register_consent_gate(lambda ids, channel, purpose: set(ids))
"""
SETUP = (
    PREAMBLE
    + f"""
from urna.contacts.models import Contact
from urna.messaging.dispatch import dispatch_create, dispatch_enqueue
Contact.objects.bulk_create(Contact(phone=f"+57310{{n:07d}}") for n in range({CONTACTS}))
dispatch = dispatch_create(
    channel="sms", purpose="campaigns", body="Novedades del ejercicio", rate_per_second={RATE}
)
dispatch_enqueue(dispatch=dispatch, recipients=Contact.objects.values_list("id", "phone"))
print(dispatch.pk)
"""
)
WORKER = (
    PREAMBLE
    + """
from django.core.management import call_command
call_command("jobs_worker", poll=0.1)
"""
)


def test_a_worker_killed_mid_dispatch_and_restarted_messages_everyone_exactly_once(tmp_path):
    database = tmp_path / "urna.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urna.settings",
        "SQLITE_PATH": str(database),
        "URNA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        # Short enough to keep the test short, long enough that a living worker on a loaded machine
        # (the suite runs beside it) keeps its claim between two progress reports.
        "JOBS_LEASE_SECONDS": "5",
        "MESSAGING_SMS_BACKEND": "file",
        "LOG_LEVEL": "WARNING",
    }
    python = [sys.executable, "-c"]
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run, timeout=120)
    dispatch_id = int(subprocess.run([*python, SETUP], **run, timeout=60).stdout.split()[-1])
    folder = tmp_path / "outbox" / f"dispatch-{dispatch_id}"

    def written() -> list[bytes]:
        return [line for f in folder.glob("*.jsonl") for line in f.read_bytes().splitlines()]

    def dispatch_status() -> str:
        with sqlite3.connect(database) as connection:
            (status,) = connection.execute(
                "SELECT status FROM messaging_dispatch WHERE id = ?", (dispatch_id,)
            ).fetchone()
        return status

    def wait_for(predicate, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False

    doomed = subprocess.Popen([*python, WORKER], env=env, cwd=ROOT)
    try:
        assert wait_for(lambda: len(written()) >= CONTACTS // 3, 60)
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
    assert len(written()) < CONTACTS  # killed in the middle of the range

    survivor = subprocess.Popen([*python, WORKER], env=env, cwd=ROOT)
    try:
        finished = wait_for(lambda: dispatch_status() == "done", 120)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=15)

    assert finished
    ids = [json.loads(line)["id"] for line in written()]
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT id, status FROM messaging_outboundmessage WHERE dispatch_id = ?",
            (dispatch_id,),
        ).fetchall()
        (attempts,) = connection.execute(
            "SELECT MAX(attempts) FROM jobs_job WHERE name = 'messaging.dispatch_batch'"
        ).fetchone()
    assert len(ids) == len(set(ids)) == CONTACTS  # each contact once
    assert sorted(ids) == sorted(pk for pk, _ in rows)
    assert {status for _, status in rows} == {"sent"}
    assert attempts == 2  # the range was run again by the second worker
