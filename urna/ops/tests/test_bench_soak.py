"""bench/soak.py and bench/sidebyside.py (issue #19): the soak's verdict, its default rate, the
processes it watches and the twohost state it reads; each layout's figures written beside the
other's in docs/benchmarks.md. The load itself runs only in the scripts (the lead's runs)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

import common  # noqa: E402
import sidebyside  # noqa: E402
import soak  # noqa: E402

START = 1000.0
SECONDS = 600.0  # sixths of 100 s: baseline 100–200, final 500–600


def records(p99_baseline: float, p99_final: float, codes=(200,)) -> list[soak.Record]:
    """100 answers a sixth: 98 fast, two at the given p99 in the baseline and final sixths."""
    out = []
    for sixth in range(6):
        slow = {1: p99_baseline, 5: p99_final}.get(sixth, 0.05)
        for k in range(100):
            seconds = slow if k >= 98 else 0.01
            code = codes[k % len(codes)]
            out.append(soak.Record(START + sixth * 100 + k, "contribution", code, seconds))
    return out


def samples(baseline_mb: float, final_mb: float, lag: float = 0.0) -> list[soak.Sample]:
    """A sample every 10 s for two processes; pid 2 stays at 100 MB."""
    out = []
    for at in range(0, 600, 10):
        mb = final_mb if at >= 500 else baseline_mb if at >= 100 else 50.0
        out.append(soak.Sample(START + at + 1, {1: mb, 2: 100.0}, lag))
    return out


def judge(recs, samps) -> dict:
    return soak.verdict(recs, samps, {1: "gunicorn worker", 2: "job worker"}, START, SECONDS)


def test_a_flat_run_passes_every_criterion():
    verdict = judge(records(0.2, 0.25), samples(300.0, 320.0, lag=2.0))

    assert verdict["checks"] == {"memory": True, "p99": True, "5xx": True, "queue": True}
    assert [m["growth"] for m in verdict["memory"]] == [pytest.approx(20 / 300, abs=1e-4), 0.0]
    assert (verdict["p99_baseline_ms"], verdict["p99_final_ms"]) == (200, 250)


def test_memory_growing_past_ten_percent_of_the_baseline_fails_and_the_warm_up_is_left_out():
    # The warm-up's 50 MB would make 340 MB look like +580 %; against the baseline it is +13 %.
    verdict = judge(records(0.2, 0.2), samples(300.0, 340.0))

    assert verdict["checks"]["memory"] is False
    assert verdict["memory"][0]["growth"] == pytest.approx(40 / 300, abs=1e-4)
    assert verdict["checks"]["p99"] is True


def test_p99_past_one_and_a_half_times_the_baseline_fails():
    verdict = judge(records(0.2, 0.31), samples(300.0, 300.0))

    assert verdict["checks"]["p99"] is False
    assert verdict["checks"]["memory"] is True


def test_one_5xx_or_cut_off_answer_fails():
    recs = records(0.2, 0.2)
    recs[350] = soak.Record(START + 350, "twilio", 502, 0.01)
    recs[351] = soak.Record(START + 351, "ussd", "ReadTimeout", 60.0)

    verdict = judge(recs, samples(300.0, 300.0))

    assert verdict["checks"]["5xx"] is False
    assert verdict["errors_5xx"] == 2
    assert verdict["codes"]["twilio"] == {502: 1}


def test_one_sample_of_the_queue_a_minute_behind_fails():
    samps = samples(300.0, 300.0)
    samps[30] = soak.Sample(samps[30].at, samps[30].rss, 60.0)

    verdict = judge(records(0.2, 0.2), samps)

    assert verdict["checks"]["queue"] is False
    assert verdict["max_lag_s"] == 60.0


MIXED_DOCS = """# Benchmarks

## Mixed load (bench/mixed.py)

| database | clients | seconds | request | count | status codes | p50 | p99 |
|---|---|---|---|---|---|---|---|
| sqlite | 8 | 40.0 | contribution | 600 | 201: 600 | 314 ms | 1192 ms |
| sqlite | 8 | 40.0 | query | 400 | 201: 400 | 377 ms | 1194 ms |
| postgresql | 8 | 40.0 | contribution | 1,000 | 201: 1,000 | 441 ms | 1522 ms |

## Personal data (bench/personal_data.py)
"""


def test_the_default_rate_is_half_the_mixed_peak_of_the_layouts_database(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "benchmarks.md").write_text(MIXED_DOCS)
    monkeypatch.setattr(soak, "ROOT", tmp_path)

    assert soak.default_rate("sqlite") == 12.5  # 1,000 requests in 40 s, halved
    assert soak.default_rate("postgresql") == 12.5


def test_the_default_rate_without_a_mixed_section_is_the_last_one_measured(tmp_path, monkeypatch):
    monkeypatch.setattr(soak, "ROOT", tmp_path)

    assert soak.default_rate("sqlite") == soak.FALLBACK_PEAK["sqlite"] / 2


def test_a_layouts_soak_subsection_replaces_its_own_and_keeps_the_others(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    docs = tmp_path / "docs" / "benchmarks.md"
    docs.write_text("# Benchmarks\n\n## Intake (bench/intake.py)\n\nintake figures\n")
    monkeypatch.setattr(soak, "ROOT", tmp_path)
    monkeypatch.setattr(common, "ROOT", tmp_path)

    def write(subheading: str, body: str) -> None:
        text = soak.with_subsection(subheading, f"{subheading}\n\n{body}\n")
        common.write_section(soak.SECTION, text)

    write("### Embedded default", "first embedded run")
    write("### Two hosts (deploy/twohost)", "two hosts run")
    write("### Embedded default", "second embedded run")

    text = docs.read_text()
    assert text.count("## Soak (bench/soak.py)") == 1
    assert text.count("### Embedded default") == 1
    assert "intake figures" in text
    assert "first embedded run" not in text
    order = [text.index(s) for s in ("second embedded run", "### Two hosts", "two hosts run")]
    assert order == sorted(order)


def test_the_side_by_side_table_keeps_the_other_layouts_column(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    docs = tmp_path / "docs" / "benchmarks.md"
    monkeypatch.setattr(sidebyside, "ROOT", tmp_path)
    docs.write_text(
        "# Benchmarks\n\n"
        + sidebyside.section("embedded", {"intake: p99": "46 ms", "USSD steps/s": "631"}, "E")
    )

    text = sidebyside.section("twohost", {"intake: p99": "68 ms", "SMS webhooks/s": "500"}, "T")

    assert "| intake: p99 | 46 ms | 68 ms |" in text
    assert "| USSD steps/s | 631 | — |" in text
    assert "| SMS webhooks/s | — | 500 |" in text
    assert "- embedded: E" in text and "- two hosts: T" in text


def test_the_twohost_state_gives_the_base_url_database_and_every_pid(tmp_path, monkeypatch):
    folder = tmp_path / "var" / "twohost"
    folder.mkdir(parents=True)
    state = {
        "base_url": "http://127.0.0.1:8088",
        "database_url": "postgres://postgres@127.0.0.1:5432/urna_twohost",
        "pids": {"web-a": 101, "web-b": 102, "worker-a": 103, "worker-b": 104},
    }
    (folder / "state.json").write_text(json.dumps(state))
    monkeypatch.setattr(soak, "ROOT", tmp_path)

    read = soak.twohost_state()

    assert read["base"] == "http://127.0.0.1:8088"
    assert read["database_url"] == state["database_url"]
    assert sorted(read["pids"]) == [101, 102, 103, 104]


def test_the_watched_processes_are_the_given_pids_and_all_their_descendants():
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', " + (
        "'import time; time.sleep(30)']); time.sleep(30)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(100):
            found = soak.descendants(parent.pid)
            if len(found) == 2:
                break
            time.sleep(0.05)

        assert found[0] == parent.pid
        assert len(found) == 2
        assert all(soak.rss_mb(pid) > 1 for pid in found)
    finally:
        for pid in soak.descendants(parent.pid)[::-1]:
            subprocess.run(["kill", str(pid)], check=False)
        parent.wait(timeout=10)
