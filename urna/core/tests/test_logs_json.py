"""LOG_FORMAT=json: one JSON object a line, as anonymised as the plain lines."""

import io
import json
import logging
import os
import subprocess
import sys

from django.conf import settings

from urna.core.logs import AnonymiseLogRecord, JsonFormatter


def test_a_json_line_carries_no_phone_email_or_document():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(AnonymiseLogRecord())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("urna.tests.json")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("Key (phone)=(3001234567) already exists")
        except ValueError:
            logger.exception("reply to %s failed, C.C. %s", "+57 300 123 4567", 1023456789)
    finally:
        logger.removeHandler(handler)

    line = stream.getvalue().strip()
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "urna.tests.json"
    assert entry["message"] == "reply to [teléfono] failed, C.C. [documento]"
    assert "ValueError" in entry["exception"] and "[teléfono]" in entry["exception"]
    assert "4567" not in line and "1023456789" not in line
    assert entry["time"].endswith("+00:00")


def test_log_format_json_switches_the_configured_console_to_json():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('urna.channels').warning('SMS de %s sin procesar', '3001234567')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "urna.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [entry["message"] for entry in lines] == ["SMS de [teléfono] sin procesar"]
    assert "3001234567" not in done.stderr
