"""The detector on the labelled Spanish corpora: recall ≥ 0.95 for every kind of personal data,
false positives ≤ 2 % on money, dates, laws, DANE codes and years (issue #12).

The development set (359 texts) is the one the detector was built against. The held-out set (150
texts, another writer's style: lower case, no accents, typos, other regions) was written by
someone else; it was first scored after the detector was built, and its misses then led to
general rules (introductions in any case, a name before "cc <number>", "(a)" and a comma in
emails, "no 9 37" house numbers), so it is no longer untouched: its figures are in
docs/benchmarks.md with that said."""

from urna.core.tests.pii_eval import DEV, HELDOUT, STRICT_KEEP, load, score

KINDS = ("name", "document", "phone", "email", "address")


def _check(path, *, minimum):
    items = load(path)
    result = score(items)

    assert len(items) >= minimum
    for kind in KINDS:
        assert result.pii_total[kind] > 0, kind
        assert result.recall(kind) >= 0.95, (kind, result.recall(kind), result.missed)
    assert result.fp_rate(STRICT_KEEP) <= 0.02, result.false_positives


def test_dev_corpus():
    _check(DEV, minimum=300)


def test_heldout_corpus():
    _check(HELDOUT, minimum=120)
