"""gunicorn settings of ``bin/serve`` (``--config python:urna.gunicorn_conf``); the command line
adds the address, the number of workers and the access log.

Workers are not recycled after a number of requests (``max_requests`` 0). Under even load every
worker reaches the same count at about the same moment: with ``--max-requests 20000
--max-requests-jitter 2000`` all three restarted within ~2 s of each other, nobody accepted
connections while they started (seconds each, on a loaded host) and an intake run's p99 went from
~55 ms to 2.9 s. A worker is replaced only when it dies (a crash, or ``timeout``), one at a time,
and ``post_worker_init`` makes the new one warm before its first ``accept()``. If a memory leak
ever calls for recycling, set ``max_requests_jitter`` at least as large as ``max_requests``
(checked by ``urna/core/tests/test_serve.py``) and still expect chance coincidences.
"""

import logging
import time

worker_class = "sync"
max_requests = 0
timeout = 60
graceful_timeout = 20
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# gunicorn ≥ 25.1 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# every gunicorn of the machine would share; bin/serve does not use it.
control_socket_disable = True

logger = logging.getLogger("urna.serve")


def post_worker_init(worker) -> None:
    """In each new worker, after it loaded the application and before it accepts a connection:
    finish warming it (``urna.wsgi.warm``, already done when gunicorn imported the application)
    and open its database connection, which the first request would otherwise open."""
    started = time.perf_counter()
    from django.db import connection

    from urna.wsgi import warm

    warm()
    try:
        connection.ensure_connection()
    except Exception:  # noqa: BLE001 - a database down now must not stop the worker booting
        logger.warning("new worker: database connection not opened", exc_info=True)
    logger.info("worker warm in %.0f ms", (time.perf_counter() - started) * 1000)
