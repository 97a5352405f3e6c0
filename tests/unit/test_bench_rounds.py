"""The pipeline bench's rounds: mirrored pairs cancel a steady drift; bursts are spread evenly."""

from __future__ import annotations

import collections

import pytest
from aiokafka.partitioner import murmur2

from wirewatch.bench.pipeline import make_articles, pair_ratios, spread_over_partitions


def _rounds_with_drift(true_ratio: float, drift: float, n_rounds: int) -> list[dict]:
    """Rounds of A then B (B then A in odd rounds); every step takes ``drift`` longer than the
    one before it, as on a machine slowing down steadily."""
    rounds, clock = [], 0
    for r in range(n_rounds):
        rec = {}
        for step in ("a", "b") if r % 2 == 0 else ("b", "a"):
            base = 10.0 if step == "a" else 10.0 / true_ratio
            rec[step] = base * (1 + drift * clock)
            clock += 1
        rounds.append(rec)
    return rounds


@pytest.mark.parametrize("ratio", [0.8, 1.0, 1.25])
def test_mirrored_pairs_cancel_a_steady_drift(ratio: float) -> None:
    rounds = _rounds_with_drift(ratio, drift=0.05, n_rounds=6)
    got = pair_ratios(rounds, lambda r: r["a"], lambda r: r["b"])
    # A ratio of single rounds in one order is biased by the drift; the pairs are not.
    one_order = rounds[0]["a"] / rounds[0]["b"]
    assert abs(one_order - ratio) > 0.03
    assert got == pytest.approx(ratio, rel=0.02)


def test_an_odd_last_round_counts_alone() -> None:
    rounds = [{"a": 2.0, "b": 1.0}, {"a": 2.0, "b": 1.0}, {"a": 9.0, "b": 1.0}]
    # pairs: (2+2)/(1+1) = 2, then 9 alone: median of [2, 9]
    assert pair_ratios(rounds, lambda r: r["a"], lambda r: r["b"]) == pytest.approx(5.5)


def test_spread_over_partitions_evens_out_every_round_and_keeps_texts() -> None:
    articles = make_articles(100)
    spread = spread_over_partitions(articles, 4, chunk=50)
    assert [a["body"] for a in spread] == [a["body"] for a in articles]
    assert len({a["id"] for a in spread}) == 100
    for start in (0, 50):
        chars = collections.Counter()
        count = collections.Counter()
        for a in spread[start : start + 50]:
            part = (murmur2(a["id"].encode()) & 0x7FFFFFFF) % 4
            chars[part] += len(a["body"])
            count[part] += 1
        # every pair of partitions (what a worker of two holds) gets half the round's text
        assert max(chars.values()) - min(chars.values()) < 0.01 * sum(chars.values()) / 4
        assert max(count.values()) - min(count.values()) <= 2
    # plain ids, dealt by the dice, are uneven: this is what the spreading is for
    plain = collections.Counter()
    for a in articles[:50]:
        plain[(murmur2(a["id"].encode()) & 0x7FFFFFFF) % 4] += len(a["body"])
    assert max(plain.values()) - min(plain.values()) > 0.05 * sum(plain.values()) / 4
