"""Theme and campaign quality of the insights pipeline on held-out corpora (issue #14).

Scores ``urna.insights.pipeline.analyse`` (called as a black box) on corpora it was not tuned
to: the held-out generators in ``bench/corpora/`` (``agro_campaigns``, ``citizen_voices``), and
for comparison ``bench/gen_corpus.py``'s own corpus. Each corpus and size runs in its own
subprocess so that its peak memory is its own. Reported per run:

- themes: how many themes the pipeline chose;
- ARI: adjusted Rand index of themes against the true topics (unclassified opinions form one
  label of their own; opinions with no true topic, such as stock phrases, are left out);
- purity: share of classified opinions whose theme's majority topic is their own topic;
- largest: the biggest theme's share of all opinions;
- campaign recall: for each true campaign, the share of its copies in the one duplicate group
  that holds most of them (0 when none is grouped), size-weighted over campaigns;
- campaign purity: for each duplicate group of two or more holding a campaign copy, the share of
  its members from its majority campaign (individual opinions grouped with a campaign count as
  impurities), size-weighted over groups.

Targets (issue #14): ARI >= 0.6, campaign recall and purity >= 0.95, no theme above a third.

    .venv/bin/python bench/themes_quality.py --quick          # 5,000 opinions per corpus
    .venv/bin/python bench/themes_quality.py                  # 20,000 and 108,739, docs updated
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from common import machine, write_section  # noqa: E402
from corpora import agro_campaigns, citizen_voices, shared_preambles  # noqa: E402

SECTION = "## Theme quality on held-out corpora (bench/themes_quality.py)"
SIZES = (20_000, 108_739)
QUICK_SIZES = (5_000,)
CACHE = Path(tempfile.gettempdir()) / "urna-bench-themes"
TARGET_ARI = 0.6
TARGET_CAMPAIGN = 0.95
MAX_THEME_SHARE = 1 / 3


def _gen_corpus(n: int) -> list[dict[str, str]]:
    from gen_corpus import generate

    return generate(n, 7)


GENERATORS: dict[str, tuple[Callable[[int], list[dict[str, str]]], str]] = {
    "gen_corpus": (_gen_corpus, "Urna's own generator (the pipeline is tuned to it), seed 7"),
    "agro_campaigns": (
        lambda n: agro_campaigns.generate(n, 11),
        "held-out: agrarian consultation, 1/3 mail-merge letters sharing boilerplate, seed 11",
    ),
    "citizen_voices": (
        lambda n: citizen_voices.generate(n, 5),
        "held-out: urban mobility, slogans/hashtags and two-sub-issue petitions, seed 5",
    ),
    "shared_preambles": (
        lambda n: shared_preambles.generate(n, 1),
        "NOT held out (written by the lead during the work): verbatim shared preambles, seed 1",
    ),
}


def _sources_digest() -> str:
    """A digest of the generators' sources, so that a changed generator is not read from cache."""
    files = sorted((BENCH / "corpora").glob("*.py")) + [
        BENCH / "gen_corpus.py",
        ROOT / "urna" / "insights" / "demo_corpus.py",
        ROOT / "urna" / "insights" / "demo_words.py",
    ]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


def corpus_path(name: str, n: int) -> Path:
    """The corpus as CSV (id, text, topic, campaign_id), generated once and cached."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-{n}-{_sources_digest()}.csv"
    if not path.exists():
        rows = GENERATORS[name][0](n)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(
                fh, fieldnames=["id", "text", "topic", "campaign_id"], extrasaction="ignore"
            )
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(path)
    return path


# -- metrics (pure functions, tested in urna/insights/tests/test_heldout_corpora.py) ----------


def theme_scores(
    ids: Sequence[str],
    topics: Sequence[str],
    themes: Sequence[Sequence[str]],
) -> dict[str, float]:
    """ARI (and ARI over classified opinions only), purity, largest-theme share and unclassified
    share of ``themes`` (lists of member
    ids; ids in no theme are unclassified) against the true ``topics`` ("" = no topic)."""
    from sklearn.metrics import adjusted_rand_score

    theme_of: dict[str, int] = {}
    for t, members in enumerate(themes):
        for i in members:
            theme_of[i] = t
    scored = [(topic, theme_of.get(i, -1)) for i, topic in zip(ids, topics, strict=True) if topic]
    ari = adjusted_rand_score([s[0] for s in scored], [s[1] for s in scored]) if scored else 0.0
    inside = [s for s in scored if s[1] >= 0]
    ari_classified = (
        adjusted_rand_score([s[0] for s in inside], [s[1] for s in inside]) if inside else 0.0
    )
    by_theme: dict[int, Counter] = defaultdict(Counter)
    for topic, t in scored:
        if t >= 0:
            by_theme[t][topic] += 1
    classified = sum(sum(c.values()) for c in by_theme.values())
    majority = sum(c.most_common(1)[0][1] for c in by_theme.values())
    n = max(len(ids), 1)
    return {
        "ari": float(ari),
        "ari_classified": float(ari_classified),
        "purity": majority / classified if classified else 0.0,
        "largest_share": max((len(m) for m in themes), default=0) / n,
        "unclassified_share": (len(ids) - len(theme_of)) / n,
    }


def campaign_scores(
    ids: Sequence[str], campaigns: Sequence[str], groups: Sequence[Sequence[str]]
) -> dict[str, float]:
    """Campaign recall and purity of duplicate ``groups`` (lists of member ids) against the
    true ``campaigns`` ("" = an individual opinion)."""
    campaign_of = dict(zip(ids, campaigns, strict=True))
    size: Counter = Counter(c for c in campaigns if c)
    best: Counter = Counter()
    pure = weight = 0
    for members in groups:
        here = Counter(campaign_of[i] for i in members)
        for c, count in here.items():
            if c:
                best[c] = max(best[c], count)
        from_campaigns = Counter({c: k for c, k in here.items() if c})
        if len(members) >= 2 and from_campaigns:
            pure += from_campaigns.most_common(1)[0][1]
            weight += len(members)
    total = sum(size.values())
    return {
        "campaign_recall": sum(best.values()) / total if total else 1.0,
        "campaign_purity": pure / weight if weight else 1.0,
        "campaigns": len(size),
    }


# -- one run, in a subprocess --------------------------------------------------------------------


def _peak_mb() -> float:
    # As in bench/insights.py: ru_maxrss carries over fork+exec, VmHWM is this image's own.
    hwm = float("inf")
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return min(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, hwm)


def child(path: str) -> None:
    """Analyse one corpus file; print one JSON line of scores."""
    from urna.insights.pipeline import analyse

    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["id"] for r in rows]
    t0 = time.perf_counter()
    result = analyse([(r["id"], r["text"]) for r in rows])
    wall = time.perf_counter() - t0
    peak = _peak_mb()
    themes = [[str(i) for i in t.member_ids] for t in result.themes]
    groups = [[str(i) for i in g.member_ids] for g in result.duplicate_groups]
    scores = {
        "n": len(ids),
        "themes": len(themes),
        "wall_s": round(wall, 2),
        "peak_mb": round(peak, 1),
        "duplicate_groups": len(groups),
        **theme_scores(ids, [r["topic"] for r in rows], themes),
        **campaign_scores(ids, [r["campaign_id"] for r in rows], groups),
    }
    print(json.dumps(scores))


def run(name: str, n: int) -> dict:
    path = corpus_path(name, n)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"analysis failed on {name} n={n}")
    return {"corpus": name, **json.loads(out.stdout.strip().splitlines()[-1])}


def meets_targets(r: dict) -> bool:
    return (
        r["ari"] >= TARGET_ARI
        and r["campaign_recall"] >= TARGET_CAMPAIGN
        and r["campaign_purity"] >= TARGET_CAMPAIGN
        and r["largest_share"] <= MAX_THEME_SHARE
    )


HEADER = (
    "| corpus | opinions | themes | ARI (classified only) | purity | largest theme | unclassified "
    "| campaign recall | campaign purity | s | peak MB | targets met |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


LEGEND = (
    "ARI: adjusted Rand index of themes against true topics, unclassified opinions as one label "
    "(in brackets: over classified opinions only). Purity: share of classified opinions in a "
    "theme whose majority topic is theirs. Campaign recall: share of each campaign's copies in "
    "its best duplicate group, size-weighted; campaign purity: share of each campaign-holding "
    "group's members from its majority campaign, size-weighted. Targets (issue #14): ARI ≥ 0.6, "
    "campaign recall and purity ≥ 0.95, no theme above a third of all opinions."
)


def fmt_row(r: dict) -> str:
    return (
        f"| {r['corpus']} | {r['n']:,} | {r['themes']} "
        f"| {r['ari']:.3f} ({r['ari_classified']:.3f}) | {r['purity']:.3f} "
        f"| {r['largest_share']:.1%} | {r['unclassified_share']:.1%} "
        f"| {r['campaign_recall']:.3f} | {r['campaign_purity']:.3f} | {r['wall_s']:.1f} "
        f"| {r['peak_mb']:.0f} | {'yes' if meets_targets(r) else '**no**'} |"
    )


def section(results: list[dict]) -> str:
    corpora = "\n".join(
        f"- `{name}`: {GENERATORS[name][1]}."
        for name in dict.fromkeys(r["corpus"] for r in results)
    )
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured {when} on {machine()}.",
            "`urna.insights.pipeline.analyse` called as a black box, one subprocess per corpus "
            "and size (seconds are the analysis alone; peak is the subprocess's resident-set "
            "high-water mark, texts included). Corpora:",
            "",
            corpora,
            "",
            HEADER,
            *[fmt_row(r) for r in results],
            "",
            LEGEND,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 opinions per corpus only")
    parser.add_argument("--sizes", type=int, nargs="*", help="sizes to run")
    parser.add_argument("--corpora", nargs="*", choices=list(GENERATORS), help="corpora to run")
    parser.add_argument(
        "--write", action="store_true", help="update docs/benchmarks.md (default without --quick)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    print(machine(), flush=True)
    results = []
    for n in sizes:
        for name in args.corpora or GENERATORS:
            results.append(run(name, n))
            print(f"  {json.dumps(results[-1])}", flush=True)
    print(HEADER)
    for r in results:
        print(fmt_row(r))
    if args.write or not (args.quick or args.sizes or args.corpora):
        write_section(SECTION, section(results))
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
