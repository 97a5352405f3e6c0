"""The attribution scorer: the README rules, and agreement with shared/eval/score_attribution.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from wirewatch.evaluation import RESULT_KEYS, load_gold, load_polnear, score, speaker_ok

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

BODY = "Alpha said the plant would close. Beta said prices would rise sharply next year."


def st(text: str, speaker: str | None = None, name: str | None = None) -> dict:
    i = BODY.index(text)
    return {
        "content": {"text": text, "start": i, "end": i + len(text)},
        "speaker": {"text": speaker, "name": name},
    }


GOLD = {
    "a": [
        {"speaker": ["Alpha"], "content": "the plant would close"},
        {"speaker": ["Beta"], "content": "prices would rise sharply next year"},
    ]
}


def test_perfect() -> None:
    preds = {
        "a": {
            "statements": [
                st("the plant would close", "Alpha"),
                st("prices would rise sharply next year", "Beta"),
            ]
        }
    }
    res = score(GOLD, preds, {"a": BODY})
    assert res["F1"] == res["attr_F1"] == 1.0
    assert (res["gold"], res["predicted"], res["matched"]) == (2, 2, 2)


def test_overlap_thresholds() -> None:
    # 60% of gold and 50% of predicted are needed
    short = st("prices would", "Beta")  # covers 12/35 of gold
    long = st("Beta said prices would rise sharply next year", "Beta")  # 35/45 of pred, all of gold
    res = score(GOLD, {"a": {"statements": [short, long]}}, {"a": BODY})
    assert (res["matched"], res["predicted"]) == (1, 2)
    assert res["P"] == 0.5 and res["R"] == 0.5


def test_wrong_speaker_counts_for_f1_not_attributed() -> None:
    preds = {"a": {"statements": [st("the plant would close", "Beta")]}}
    res = score(GOLD, preds, {"a": BODY})
    assert res["matched"] == 1 and res["speaker_acc"] == 0.0 and res["attr_F1"] == 0.0


def test_optional_neither_counts() -> None:
    gold = {
        "a": [*GOLD["a"], {"speaker": ["Beta"], "content": "Beta said prices", "optional": True}]
    }
    preds = {
        "a": {"statements": [st("the plant would close", "Alpha"), st("Beta said prices", "Beta")]}
    }
    res = score(gold, preds, {"a": BODY})
    assert (res["gold"], res["predicted"], res["matched"]) == (2, 1, 1)


def test_missing_article_counts_gold() -> None:
    res = score(GOLD, {}, {"a": BODY})
    assert res["gold"] == 2 and res["R"] == 0.0


def test_speaker_rules() -> None:
    assert speaker_ok(["Stoltenberg"], {"speaker": {"text": "he", "name": "Jens Stoltenberg"}})
    assert not speaker_ok(["Stoltenberg"], {"speaker": {"text": "he", "name": None}})
    assert speaker_ok(
        None, {"speaker": {"text": "he", "name": None}}
    )  # pronoun-only gold: any speaker
    assert speaker_ok(["ministry"], {"speaker": {"text": "the ministry", "name": None}})


def test_load_gold_and_polnear(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(
        "He said hi. Mr. Smith told us the rain stopped.", encoding="utf-8"
    )
    g = tmp_path / "g.json"
    g.write_text(json.dumps({"articles": [{"id": "x", "file": "x.txt", "statements": []}]}))
    gold, bodies = load_gold(g)
    assert bodies["x"].startswith("He said")
    d = tmp_path / "pn"
    (d / "text").mkdir(parents=True)
    (d / "attributions").mkdir()
    (d / "text" / "art.txt").write_text("Mr. Smith told us the rain stopped.", encoding="utf-8")
    (d / "attributions" / "art_aa.ann").write_text(
        "T1\tSource 0 9\tMr. Smith\nT2\tCue 10 14\ttold\nT3\tContent 18 34\tthe rain stopped\n"
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
        "T4\tContent 0 2\tMr\nE2\tAttribution:T2 Content:T4\n",
        encoding="utf-8",
    )
    (d / "attributions" / "art_bb.ann").write_text("", encoding="utf-8")
    gold, bodies = load_polnear(d)
    assert gold["art"][0] == {"speaker": ["Mr.", "Smith"], "span": (18, 34), "optional": False}
    assert gold["art"][1]["optional"] is True


def _reference():
    path = SHARED / "eval" / "score_attribution.py"
    if not path.exists():
        pytest.skip(f"reference scorer not found at {path}")
    spec = importlib.util.spec_from_file_location("score_attribution", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_agrees_with_reference_scorer_on_synthetic_predictions() -> None:
    ref = _reference()
    preds = {
        "a": {
            "statements": [
                st("the plant would close", "he"),
                st("Beta said prices would rise sharply next year", "Beta"),
                st("Alpha said", "Alpha"),
                {"content": {"text": "not in body"}, "speaker": None},
            ]
        }
    }
    ours = score(GOLD, preds, {"a": BODY})
    theirs, _ = ref.score(GOLD, preds, {"a": BODY})
    for key in RESULT_KEYS:
        assert ours[key] == theirs[key], key


def test_timed_run_gives_the_same_statements_and_splits_model_from_attribution_cost() -> None:
    from wirewatch.evaluation import run_enricher
    from wirewatch.nlp.model import shared_model
    from wirewatch.nlp.pipeline import Enricher

    enricher = Enricher(nlp=shared_model())
    bodies = {
        "x": 'The mayor said the bridge would reopen in May. "We are on schedule," she added.',
        "y": "Analysts warned that rates could rise again, according to a bank report.",
    }
    timing: dict = {}
    timed = run_enricher(enricher, bodies, timing=timing)
    plain = run_enricher(enricher, bodies)
    assert timed == plain
    assert timing["model_cpu_s"] > 0 and timing["attribution_cpu_s"] > 0
    ratio = timing["attribution_cpu_s"] / timing["model_cpu_s"]
    assert timing["attribution_vs_model"] == pytest.approx(ratio, abs=0.01)
