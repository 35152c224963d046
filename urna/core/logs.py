"""Logging that never carries personal data.

Log lines leave the platform (files, journald, a log service), so a phone number, an email or a
document number must not reach them, not even inside a database error's detail (PostgreSQL puts
the duplicate key's value there) or an exception raised while a citizen's message was parsed.
``AnonymiseLogRecord`` runs every record through the same detector as public pages and open data
(``urna.core.privacy.mask_personal_data``): one rule for what counts as personal data.
"""

import json
import logging
from datetime import UTC, datetime

from urna.core.privacy import mask_personal_data

_traceback = logging.Formatter()


class AnonymiseLogRecord(logging.Filter):
    """Handler filter: the message (with its arguments) and any traceback, anonymised."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: log what we were given
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _traceback.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line (``LOG_FORMAT=json``) for a log collector: time (UTC, ISO 8601),
    level, logger, message and, when there is one, the traceback. It formats what the handler's
    ``AnonymiseLogRecord`` left, so the JSON is as anonymised as the plain lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
