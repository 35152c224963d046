"""``/metrics`` in Prometheus's text format, for the operator's Prometheus only.

Access: with ``METRICS_TOKEN`` set, a request must carry ``Authorization: Bearer <token>``
(from anywhere; compared in constant time). Without it, only a scraper on this machine: the
socket's peer and the client's address (``urna.core.network.client_ip``, which honours
``X-Forwarded-For`` only as ``TRUSTED_PROXY`` allows) must both be loopback. A request through
the proxy on this machine therefore carries the real client's address and is refused, and a
forged ``X-Forwarded-For: 127.0.0.1`` changes nothing.
"""

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric

from urna.core.network import client_ip
from urna.ops.state import StateCollector


class _ThisProcess:
    """The counts of this process (no PROMETHEUS_MULTIPROC_DIR: one process serves)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def exposition() -> bytes:
    """Every web process's request metrics and the database gauges, in the text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(StateCollector())
    return generate_latest(registry)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer to a request that may not read the metrics; None when it may."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            return None
        response = HttpResponse(
            _("Las métricas piden el token de METRICS_TOKEN (Authorization: Bearer)."),
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = 'Bearer realm="urna-metrics"'
        return response
    if _loopback(request.META.get("REMOTE_ADDR")) and _loopback(client_ip(request)):
        return None
    return HttpResponse(
        _("Las métricas solo se leen desde esta máquina o con el token de METRICS_TOKEN."),
        status=403,
        content_type="text/plain; charset=utf-8",
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if (refused := refusal(request)) is not None:
        return refused
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
