"""The request metrics every web process records (prometheus-client).

Under gunicorn each worker is a process of its own: ``bin/serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` (before Python starts, as prometheus-client requires), each worker
then writes its counts into files there, and ``/metrics`` adds up every worker's, dead ones
included (a count that happened stays counted). Without it (``runserver``, the tests) the
counts live in the process.

The view label is the URL's name (``site:home``, ``api-1.0.0:query_create``), never the path:
paths carry receipts and slugs, one series each. A request that matched no URL is
``unmatched``.
"""

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "urna_http_requests",
    "HTTP requests answered, by view (URL name), method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "urna_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view (URL name).",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
