"""Benchmark of the inbound channels on the production server setup, plus the SIGKILL fault test.

gunicorn sync workers + one job worker on a temporary SQLite file (embedded default, WAL),
DEBUG off; load from a bounded, self-stopping threaded client on 127.0.0.1:

1. signed Twilio SMS webhooks (raw store + acknowledgement; processed by the drain job);
2. USSD steps (complete 6-step sessions; the last step submits a contribution inline);
3. fault: SIGKILL web and worker in the middle of an SMS flood, restart, drain, and check that
   every acknowledged message is stored exactly once and processed into one contribution.

Writes the section "## Channels (bench/channels.py)" of docs/benchmarks.md.

    .venv/bin/python bench/channels.py           # full run
    .venv/bin/python bench/channels.py --quick   # small smoke run, docs untouched
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urna.settings")

import django  # noqa: E402

django.setup()

from urna.channels.tests import harness  # noqa: E402

SECTION = "## Channels (bench/channels.py)"
TARGET_RATE = 500
TARGET_P99_MS = 250


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(name: str, run) -> dict:
    started = time.perf_counter()
    load = run()
    wall = time.perf_counter() - started
    ok = len(load.acknowledged)
    figures = {
        "name": name,
        "requests": ok + load.errors,
        "ok": ok,
        "errors": load.errors,
        "seconds": round(wall, 2),
        "rate": round(ok / wall, 1) if wall else 0.0,
        "p50_ms": round(harness.percentile(load.latencies, 0.50) * 1000, 1),
        "p99_ms": round(harness.percentile(load.latencies, 0.99) * 1000, 1),
    }
    print(figures)
    return figures


def fault(folder: Path, *, total: int, kill_after: float, workers: int) -> dict:
    server = harness.Server(folder, web_workers=workers)
    server.prepare()
    server.start_web()
    server.start_worker()
    try:
        stop = threading.Event()
        box: dict = {}
        flood = threading.Thread(
            target=lambda: box.setdefault(
                "load", harness.sms_flood(server, total=total, threads=8, stop=stop)
            )
        )
        flood.start()
        time.sleep(kill_after)
        server.kill("web")
        server.kill("worker")
        stop.set()
        flood.join()
        server.start_web()
        server.start_worker()
        started = time.perf_counter()
        left = harness.wait_processed(server, timeout=300)
        report = harness.check_exactly_once(server, box["load"].acknowledged)
        report["left_received"] = left
        report["recovery_seconds"] = round(time.perf_counter() - started, 1)
        print("fault", report)
        return report
    finally:
        server.stop()


def write_docs(lines: list[str]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = "\n".join([SECTION, "", *lines]).rstrip() + "\n"
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1 :] if nxt != -1 else ""
        text = head + block + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + block
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=12)
    args = parser.parse_args()
    sms_total = 600 if args.quick else 8000
    load_average = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    ussd_sessions = 100 if args.quick else 1500
    with tempfile.TemporaryDirectory(prefix="urna-bench-channels-") as tmp:
        server = harness.Server(Path(tmp) / "load", web_workers=args.workers)
        server.folder.mkdir()
        server.prepare()
        server.start_web()
        server.start_worker()
        try:
            harness.sms_flood(server, total=200, threads=4, prefix="WARM")  # warm-up
            sms = measure(
                "sms", lambda: harness.sms_flood(server, total=sms_total, threads=args.threads)
            )
            drain_started = time.perf_counter()
            left = harness.wait_processed(server, timeout=900)
            drain_seconds = round(time.perf_counter() - drain_started, 1)
            drained = server.query(
                "SELECT COUNT(*) FROM exercises_contribution WHERE channel = 'sms'"
            )[0][0]
            ussd = measure(
                "ussd",
                lambda: harness.ussd_flood(server, sessions=ussd_sessions, threads=args.threads),
            )
            server.kill("worker")
            ingest = measure(
                "sms-ingest-only",
                lambda: harness.sms_flood(
                    server, total=sms_total // 2, threads=args.threads, prefix="IN"
                ),
            )
        finally:
            server.stop()
        folder = Path(tmp) / "fault"
        folder.mkdir()
        report = fault(
            folder,
            total=1500 if args.quick else 6000,
            kill_after=1.5 if args.quick else 4.0,
            workers=args.workers,
        )
    ok = all(
        report[k] == 0 for k in ("missing", "duplicated", "unprocessed", "contribution_errors")
    )
    if args.quick:
        return

    def verdict(f):
        return "yes" if f["rate"] >= TARGET_RATE and f["p99_ms"] <= TARGET_P99_MS else "**no**"

    lines = [
        f"Run {dt.date.today().isoformat()} on {platform.platform()}, {cpu_model()}, "
        f"{os.cpu_count()} cores (shared with other work). gunicorn {args.workers} sync workers "
        f"+ 1 job worker, SQLite (WAL) on a temporary file, DEBUG off; {args.threads} client "
        "threads on the same machine (the client's CPU counts against the server's).",
        "",
        "| load | requests | ok | errors | seconds | ok/s | p50 ms | p99 ms | target met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = (
        (sms, "signed Twilio SMS webhooks, drain worker running"),
        (ingest, "signed Twilio SMS webhooks, worker stopped (ingest only)"),
        (ussd, "USSD steps (6-step sessions, last one submits)"),
    )
    for f, label in rows:
        lines.append(
            f"| {label} | {f['requests']} | {f['ok']} | {f['errors']} | {f['seconds']} | "
            f"{f['rate']} | {f['p50_ms']} | {f['p99_ms']} | {verdict(f)} |"
        )
    lines += [
        "",
        f"Target: ≥ {TARGET_RATE}/s each with p99 ≤ {TARGET_P99_MS} ms. The drain job finished "
        f"processing the SMS flood {drain_seconds} s after the flood ended: {drained} "
        f"contributions, {left} messages left unprocessed. Load average at the start: "
        f"{load_average}.",
        "",
        f"**Fault test** (SIGKILL of gunicorn and the job worker mid-flood, restart, drain): "
        f"{report['acknowledged']} messages acknowledged with 200, {report['stored']} stored, "
        f"{report['contributions']} contributions; missing {report['missing']}, duplicated "
        f"{report['duplicated']}, unprocessed {report['unprocessed']}, contributions ≠ 1 "
        f"{report['contribution_errors']}; recovered in {report['recovery_seconds']} s. "
        f"Result: {'pass' if ok else '**FAIL**'}.",
    ]
    write_docs(lines)


if __name__ == "__main__":
    main()
