"""The SIGKILL fault test, short form: kill web and worker in the middle of an SMS flood."""

import threading
import time

import pytest

from urna.channels.tests import harness

pytestmark = pytest.mark.slow


def test_sigkill_mid_flood_loses_and_duplicates_nothing(tmp_path):
    # Given a production-style server (gunicorn sync workers + a job worker) on SQLite
    server = harness.Server(tmp_path, web_workers=2)
    server.prepare()
    server.start_web()
    server.start_worker()
    try:
        # When web and worker are SIGKILLed in the middle of a flood of signed Twilio webhooks
        stop = threading.Event()
        result = {}
        flood = threading.Thread(
            target=lambda: result.setdefault(
                "load", harness.sms_flood(server, total=600, threads=6, stop=stop)
            )
        )
        flood.start()
        time.sleep(1.5)
        server.kill("web")
        server.kill("worker")
        stop.set()
        flood.join()
        load = result["load"]
        # ... and restarted
        server.start_web()
        server.start_worker()
        left = harness.wait_processed(server, timeout=180)
        # Then every acknowledged message is stored exactly once and processed into exactly one
        # contribution
        report = harness.check_exactly_once(server, load.acknowledged)
        assert len(load.acknowledged) > 20, report
        assert left == 0
        assert report["missing"] == 0, report
        assert report["duplicated"] == 0, report
        assert report["unprocessed"] == 0, report
        assert report["contribution_errors"] == 0, report
        assert (
            report["contributions"]
            == report["stored"]
            - server.query(
                "SELECT COUNT(*) FROM channels_inboundmessage WHERE status != 'processed'"
            )[0][0]
        )
    finally:
        server.stop()
