"""The public Enricher: output shape, determinism, JSON types, and the seed article target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirewatch.nlp.model import shared_model
from wirewatch.nlp.pipeline import Enricher, statement_id

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kyiv-strikes.txt"
SEED_GOLD = ROOT.parent / "shared" / "eval" / "seed-gold.json"

TEXT = (
    "Brightline Energy said on Monday it would close two coal plants by 2027.\n"
    '"This is the end of an era," chief executive Nora Falk told reporters. '
    '"But it is the right decision for our customers."\n'
    "She added that 400 workers would be offered jobs elsewhere in the group."
)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(nlp=shared_model())


@pytest.fixture(scope="module")
def enriched(enricher: Enricher) -> dict:
    return enricher.enrich({"id": "a1", "body": TEXT, "headline": "Coal exit", "version": 2})


def test_output_fields(enriched: dict, enricher: Enricher) -> None:
    for key in ("id", "version", "uri", "headline", "body", "language", "source", "published_at"):
        assert key in enriched
    assert enriched["version"] == 2
    assert enriched["enrichment"] == {"model": enricher.model_name, "version": enricher.version}
    for e in enriched["entities"]:
        assert set(e) >= {"text", "label", "start", "end", "actor_id"}
        assert TEXT[e["start"] : e["end"]] == e["text"]
    for a in enriched["actors"]:
        assert set(a) >= {"id", "name", "type", "mentions", "statements"}
        assert isinstance(a["mentions"], int)


def test_statement_fields_and_offsets(enriched: dict) -> None:
    sts = enriched["statements"]
    assert len(sts) == 3
    for st in sts:
        assert st["kind"] in ("direct", "indirect", "mixed")
        c = st["content"]
        assert TEXT[c["start"] : c["end"]] == c["text"]
        assert st["id"] == statement_id("a1", 2, c["start"], c["end"])
        assert 0.0 <= st["confidence"] <= 1.0
        if st["cue"]:
            assert TEXT[st["cue"]["start"] : st["cue"]["end"]] == st["cue"]["text"]
        sp = st["speaker"]
        assert TEXT[sp["start"] : sp["end"]] == sp["text"]
    assert [s["speaker"]["name"] for s in sts] == ["Brightline Energy", "Nora Falk", "Nora Falk"]
    assert sts[1]["kind"] == "direct"
    assert sts[2]["content"]["text"] == "400 workers would be offered jobs elsewhere in the group"


def test_json_serialisable_and_deterministic(enricher: Enricher, enriched: dict) -> None:
    again = enricher.enrich({"id": "a1", "body": TEXT, "headline": "Coal exit", "version": 2})
    assert json.dumps(again, sort_keys=True) == json.dumps(enriched, sort_keys=True)


def test_batch_equals_single(enricher: Enricher) -> None:
    arts = [{"id": f"b{i}", "body": t} for i, t in enumerate([TEXT, "Nothing was said here.", ""])]
    batch = enricher.enrich_batch(arts)
    assert [b["id"] for b in batch] == ["b0", "b1", "b2"]
    assert batch[0]["statements"] == enricher.enrich(arts[0])["statements"]
    assert batch[2]["statements"] == []


def test_enrich_equals_analyze_of_a_fresh_parse(enricher: Enricher) -> None:
    """enrich hands attribution the body as the doc's text; analyze alone rebuilds it from the
    tokens: the outputs agree, whitespace runs and curly quotes included."""
    body = TEXT.replace(". ", ".  ", 2) + "\n\n\u201cIt will hold,\u201d Falk said. \t"
    art = {"id": "t1", "body": body}
    fresh = enricher.analyze(enricher.nlp(body), art)
    got = enricher.enrich(art)
    for out in (fresh, got):
        out.pop("enriched_at", None)
    assert got == fresh
    assert got["statements"]


def test_seed_article_reaches_target(enricher: Enricher) -> None:
    if not SEED_GOLD.exists():
        pytest.skip(f"seed gold file not found at {SEED_GOLD} (shared/ folder not beside the repo)")
    from wirewatch.evaluation import evaluate_gold

    res = evaluate_gold(SEED_GOLD, enricher)
    assert res["attr_F1"] >= 0.95, res
    out = enricher.enrich({"id": "kyiv-strikes", "body": SEED.read_text(encoding="utf-8")})
    by_start = {s["content"]["text"][:20]: s for s in out["statements"]}
    assert by_start["Everything they can "]["speaker"]["name"] == "Dmytro Kuleba"
    assert by_start["No need to fear that"]["speaker"]["name"] == "Dmytro Kuleba"
    added = by_start["NATO is a defensive "]
    assert added["speaker"]["text"] == "he" and added["speaker"]["name"] == "Jens Stoltenberg"


def test_other_kinds_of_news_hold_up(enricher: Enricher) -> None:
    """Nine short articles of other kinds (economy, disaster, science, company, court, culture,
    health, technology, sport) with hand-made gold in eval/kinds-gold.json."""
    from wirewatch.evaluation import evaluate_gold

    res = evaluate_gold(ROOT / "eval" / "kinds-gold.json", enricher)
    assert res["gold"] == 47
    assert res["attr_F1"] >= 0.92, res
    assert res["speaker_acc"] >= 0.95, res


@pytest.mark.parametrize(
    ("gold", "n", "floor"),  # one floor for all now; a new batch may start lower
    [
        ("heldout-gold.json", 89, 0.92),
        ("heldout2-gold.json", 103, 0.92),
        ("heldout3-gold.json", 97, 0.92),
        ("heldout4-gold.json", 107, 0.92),
        ("heldout5-gold.json", 111, 0.92),
        ("heldout6-gold.json", 115, 0.92),
        ("heldout7-gold.json", 102, 0.88),
        ("heldout8-gold.json", 103, 0.88),
        ("heldout9-gold.json", 115, 0.88),
        ("heldout10-gold.json", 107, 0.92),
        ("heldout11-gold.json", 163, 0.88),
        ("heldout12-gold.json", 124, 0.92),
        ("heldout13-gold.json", 155, 0.92),
        ("heldout14-gold.json", 165, 0.88),
        ("heldout15-gold.json", 196, 0.84),
        ("heldout16-gold.json", 211, 0.86),
        ("heldout17-gold.json", 208, 0.78),
        ("heldout18-gold.json", 211, 0.86),
        ("heldout19-gold.json", 206, 0.88),
        ("heldout20-gold.json", 194, 0.88),
    ],
)
def test_unseen_wire_stories_hold_up(enricher: Enricher, gold: str, n: int, floor: float) -> None:
    """Twenty batches of ten news stories written by a colleague who never read the rules
    (eval/heldout*, README: the first batch scored 0.833 and the second 0.890 when first run,
    the third 0.954, the fourth 0.903, the fifth 0.871, the sixth 0.876, the seventh 0.850, the
    eighth 0.861, the ninth 0.874, the tenth 0.902, the eleventh (political reporting, with
    beliefs, plans and judgements required) 0.834, the twelfth 0.914 and the thirteenth
    (political again, nesting as PolNeAR does) 0.907, the fourteenth (political) 0.871, the
    fifteenth and sixteenth (political) 0.825 and 0.851, the seventeenth (political formats:
    running updates, a fact check, a transcript, an op-ed) 0.799 and the eighteenth 0.863, the
    nineteenth and twentieth (political formats: a hearing, a ruling, a leaked memo, a listicle,
    filings, a polling explainer) 0.896 and 0.869 on the rules the earlier errors led to);
    no rule may lose what they hold."""
    from wirewatch.evaluation import evaluate_gold

    res = evaluate_gold(ROOT / "eval" / gold, enricher)
    assert res["gold"] == n
    assert res["attr_F1"] >= floor, res
    # batch 17's formats (a transcript, a column's "she" for someone quoted in passing) hold
    # 0.92 so far; the rest stay at 0.95
    assert res["speaker_acc"] >= (0.90 if gold == "heldout17-gold.json" else 0.95), res


def test_title_case_headline_is_read_in_sentence_case() -> None:
    from wirewatch.nlp.model import shared_model
    from wirewatch.nlp.pipeline import Enricher

    enricher = Enricher(nlp=shared_model())
    body = "Governor Vows To Cut Taxes For Small Farmers.\nThe plan was welcomed in Dayton."
    out = enricher.enrich({"id": "t", "body": body})
    first = out["statements"][0]
    assert (first["speaker"]["text"], first["content"]["text"]) == (
        "Governor",
        "To Cut Taxes For Small Farmers",
    )
    assert first["cue"]["text"] == "Vows"  # offsets and text from the original line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Senator Maria Lopez to Bank Chief: ‘You Should Resign Now.’\nThe senator spoke on Tuesday.",
            [("Maria Lopez", "‘You Should Resign Now.’", "direct")],
        ),
        (
            "Okafor on the Budget: 'We Cannot Wait Any Longer.'\nThe minister spoke in Lagos.",
            [("Okafor", "'We Cannot Wait Any Longer.'", "direct")],
        ),
        ("Markets at a Glance: Stocks Slip as Oil Rises.\nShares fell on Monday.", []),
    ],
)
def test_headline_name_colon_quotation(text: str, expected: list) -> None:
    out = Enricher(nlp=shared_model()).enrich({"id": "t", "body": text})
    got = [
        ((s["speaker"] or {}).get("name"), s["content"]["text"], s["kind"])
        for s in out["statements"]
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("GENEVA — Brazil has asked", "Brazil has asked"),
        ("SAN JOSE, Costa Rica, Feb 2 - Former judge", "Former judge"),
        ("TOKYO (Reuters) - Japan's largest", "Japan's largest"),
        ("Washington (CNN) — The president", "The president"),
        ("NEW YORK -- Stocks fell", "Stocks fell"),
        ("Intro.\nVANCOUVER, July 1 - About 7,400", "About 7,400"),
    ],
)
def test_datelines_are_found(text: str, rest: str) -> None:
    from wirewatch.nlp.common import datelines

    ((_, end),) = datelines(text)
    assert text[end:] == rest


@pytest.mark.parametrize("text", ["Obama - the man", "U.S. - China talks", "The IMF - which"])
def test_a_dash_after_a_name_is_no_dateline(text: str) -> None:
    from wirewatch.nlp.common import datelines

    assert datelines(text) == []


def test_a_dateline_is_neither_content_nor_speaker(enricher: Enricher) -> None:
    out = enricher.enrich(
        {
            "id": "t",
            "body": "GENEVA — Brazil has asked the court to rule on the dispute, the agency said.\n\n"
            "BRUSSELS - European leaders said the deal was dead.",
        }
    )
    got = [(s["speaker"]["text"], s["content"]["text"]) for s in out["statements"]]
    assert got == [
        ("the agency", "Brazil has asked the court to rule on the dispute"),
        ("European leaders", "the deal was dead"),
    ]


def test_a_dateline_place_is_no_speakers_antecedent(enricher: Enricher) -> None:
    body = (
        "LUXEMBOURG — A privately built lunar lander lost contact with mission control on "
        "Tuesday, its operator said."
    )
    (st,) = enricher.enrich({"id": "t", "body": body})["statements"]
    assert st["content"]["text"].startswith("A privately built")
    assert st["speaker"]["name"] != "LUXEMBOURG"


def test_a_dateline_place_never_speaks() -> None:
    from wirewatch.nlp.common import Found, datelines
    from wirewatch.nlp.model import shared_model
    from wirewatch.nlp.pipeline import _past_datelines

    text = "SAN DIEGO, Oct. 4 (UPI) — In a clip for the new show, the band sang."
    doc = shared_model()(text)
    filed = datelines(text)
    place = doc.char_span(0, 9)
    found = [Found("indirect", (40, 48), doc[10], place, "verb", 0.7)]
    assert filed and _past_datelines(doc, found, filed) == []


def test_the_token_list_follows_a_retagged_and_reattached_doc() -> None:
    """tokens_of keeps one Token per word for the whole analysis, while the passes before the
    rules re-tag words and move heads: the listed Tokens must read those changes, not a copy."""
    from wirewatch.nlp.common import tokens_of

    doc = shared_model()("The minister said the plan would fail. Critics disagreed.")
    toks = tokens_of(doc)
    assert [t.i for t in toks] == list(range(len(doc)))
    assert tokens_of(doc) is toks  # built once per doc
    toks[1].tag_ = "NNP"
    toks[0].head = toks[2]
    assert doc[1].tag_ == "NNP" and toks[1].tag_ == "NNP"
    assert doc[0].head.i == 2 and toks[0].head.i == 2
    assert [c.i for c in toks[2].children] == [c.i for c in doc[2].children]
