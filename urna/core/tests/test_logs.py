"""No personal data in the logs: every line goes through the open-data anonymiser."""

import io
import logging

import pytest

from urna.core.logs import AnonymiseLogRecord


@pytest.fixture
def log_output():
    """What the project's configured console handler writes, for the duration of a test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, AnonymiseLogRecord) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_message_with_a_phone_an_email_and_a_document_is_anonymised(log_output):
    logging.getLogger("urna.channels").warning(
        "reply to %s failed; contact %s, C.C. %s", "+57 300 123 4567", "ana@example.org", 1023456789
    )

    line = log_output.getvalue()
    assert "reply to [teléfono] failed; contact [correo], C.C. [documento]" in line
    assert "4567" not in line and "example.org" not in line and "1023456789" not in line


def test_a_database_error_detail_in_a_traceback_is_anonymised(log_output):
    # PostgreSQL's unique-violation detail repeats the key's value.
    try:
        raise ValueError('Key (phone)=(3001234567) already exists; sender "ana@example.org"')
    except ValueError:
        logging.getLogger("urna.jobs").exception("job messaging.send #12 failed")

    text = log_output.getvalue()
    assert "job messaging.send #12 failed" in text
    assert "Traceback" in text and "ValueError: Key (phone)=([teléfono]) already exists" in text
    assert "3001234567" not in text and "ana@example.org" not in text


def test_django_request_errors_use_the_anonymising_handler_only():
    django_logger = logging.getLogger("django")

    assert not django_logger.propagate
    assert [type(f) for h in django_logger.handlers for f in h.filters] == [AnonymiseLogRecord]


def test_ordinary_figures_are_kept(log_output):
    logging.getLogger("urna.insights").info("analysed %s contributions in %.1f s", 108739, 42.0)

    assert "analysed 108739 contributions in 42.0 s" in log_output.getvalue()
