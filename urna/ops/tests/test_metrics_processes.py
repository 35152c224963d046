"""Under gunicorn every worker is a process: with PROMETHEUS_MULTIPROC_DIR (bin/serve sets it)
each one writes its counts there and a scrape adds them all up, a dead worker's included."""

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.parser import text_string_to_metric_families

WORKER = (
    "from urna.ops.instruments import LATENCY, REQUESTS; "
    "REQUESTS.labels('site:home', 'GET', '200').inc(); "
    "LATENCY.labels('site:home').observe(0.02)"
)


def test_the_counts_of_every_worker_process_add_up(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(3):
        subprocess.run(
            [sys.executable, "-c", WORKER],
            env=env,
            cwd=Path(__file__).resolve().parents[3],
            check=True,
            timeout=60,
        )

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(generate_latest(registry).decode())
        for sample in family.samples
    }

    labels = (("method", "GET"), ("status", "200"), ("view", "site:home"))
    assert samples[("urna_http_requests_total", labels)] == 3
    assert samples[("urna_http_request_duration_seconds_count", (("view", "site:home"),))] == 3
