"""The native rule matcher (``wirewatch_match``): built where required, chosen as documented, and
equal to the pure-Python engine alert for alert on awkward text and hostile article shapes.

The big generated comparison against the reference is in ``test_rules_equivalence.py`` (run for
both engines); here are the cases generated articles do not reach: non-ASCII case and spaces,
final sigma, characters whose lower case is longer, lone surrogates, odd offsets and types.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from wirewatch.bench import rules as bench
from wirewatch.config import Settings
from wirewatch.ingest.files import read_path
from wirewatch.rules import match as match_module
from wirewatch.rules import parse_rules

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

RULES = {
    "rules": [
        {"id": "kw", "keywords": ["nuclear", "café", "straße", "u.n."]},
        {"id": "phrase", "keywords": {"all": ["air defence", "kyiv's"]}},
        {"id": "prefix", "keywords": {"any": ["explo*", "ελλ*"], "none": ["hoax"]}},
        {"id": "sigma", "keywords": ["οδός"]},
        {"id": "sigma2", "keywords": ["σοφος"]},
        {"id": "near", "near": {"terms": ["tower", "strike*"], "within": 4}},
        {"id": "actor", "actors": {"any": ["Jens Stoltenberg", "Zoë Ünal"]}, "group_by": "actor",
         "throttle": "1m"},
        {"id": "quoted-no", "actors": "Kuleba", "quoted": False},
        {"id": "quoted-yes", "actors": "Kuleba", "quoted": True},
        {"id": "quoted", "quoted": True, "group_by": "speaker", "throttle": "1m"},
        {"id": "speaker", "speaker": ["Kuleba", "Zoë Ünal"], "group_by": "speaker",
         "throttle": 60},
        {"id": "said", "speaker": "Kuleba", "said": {"any": ["weapons", "café"]}},
        {"id": "said-any", "said": {"all": ["café"]}},
        {"id": "labels", "entities": {"all": ["PERSON"], "none": ["LAW"]}, "keywords": "kyiv"},
        {"id": "filters", "language": "en", "source": {"none": ["ap"]}, "keywords": "kyiv",
         "sinks": ["log", {"webhook": "http://example.invalid/hook"}]},
        {"id": "none-only", "keywords": {"none": ["zzzq"]}},
    ]
}  # fmt: skip


BODY = (
    "Kyiv's air defence shot down drones, officials said. Explosions near the TV tower "
    "followed a strike. Dmytro Kuleba said weapons were needed.\nZoë Ünal said the café "
    "stayed open."
)


def _article(body: str = BODY, **over: Any) -> dict:
    headline = "Explosions in Kyiv\u2026 as U.N. meets"
    k = body.index("Dmytro Kuleba")
    said_at = body.index("weapons")
    z = body.index("Zoë Ünal")
    z_said = body.index("the café")
    art = {
        "id": "a1",
        "version": 1,
        "uri": "u",
        "source": "Reuters",
        "language": "en-GB",
        "headline": headline,
        "body": body,
        "entities": [
            {"text": "Dmytro Kuleba", "label": "PERSON", "start": k, "end": k + 13,
             "actor_id": "dmytro-kuleba"},
            {"text": "Zoë Ünal", "label": "PERSON", "start": z, "end": z + 8, "actor_id": None},
            {"text": "Kyiv", "label": "GPE", "start": 0, "end": 4},
        ],
        "actors": [{"id": "dmytro-kuleba", "name": "Dmytro Kuleba", "statements": ["s1"]}],
        "statements": [
            {"id": "s1", "speaker": {"text": "Dmytro Kuleba", "name": "Dmytro Kuleba",
                                     "actor_id": "dmytro-kuleba"},
             "content": {"text": body[said_at:said_at + 21], "start": said_at,
                         "end": said_at + 21}},
            {"id": "s2", "speaker": {"text": "Zoë Ünal", "name": "Zoë Ünal", "actor_id": None},
             "content": {"text": body[z_said:z_said + 24], "start": z_said,
                         "end": z_said + 24}},
        ],
    }  # fmt: skip
    art.update(over)
    return art


def _variants() -> list[dict]:
    base = _article()
    out = [base]

    def with_body(body: str, **more: Any) -> dict:
        art = copy.deepcopy(base)
        art["body"] = body
        art.update(more)
        return art

    b = base["body"]
    out += [
        # runs of whitespace before and inside statements whose offsets stay valid
        _article(BODY.replace(". ", ".  \t ").replace("said weapons", "said  weapons")),
        _article("Ünal  Ünal\u2026\n\n " + BODY.replace("café stayed", "café \u00a0 stayed")),
        with_body(b.replace(" ", "\u00a0", 5)),  # no-break spaces
        with_body(b.replace(" ", "\u3000\u2028 ", 3)),  # runs of odd spaces (offsets shift)
        with_body(b.replace("Kyiv's", "Kyiv\u2019s").replace("'", "\u02bc")),
        with_body(b + " Η ΟΔΌΣ έκλεισε. ΣΟΦΟΣ. ΕΛΛΑΔΑ"),  # final sigma
        with_body(b + " STRASSE und STRAẞE"),
        with_body("İstanbul " + b),  # lower() longer: handed back to Python
        with_body(b + " \ud800 lone surrogate"),  # not UTF-8: handed back to Python
        with_body(b, headline="ΚΑΦΈ café\tnuclear\x00x", source="  ", language="EN"),
        with_body(b, headline=None, source=None, language=7, entities="x", actors=None),
        with_body(
            b,
            statements=[
                None,
                "s",
                {"id": 3, "content": "Kuleba said weapons"},
                {"speaker": {"actor_id": ["x"], "name": 5}, "content": None},
                {"id": "", "speaker": "x", "content": {"text": 5}},
            ],
        ),  # fmt: skip
    ]
    odd = copy.deepcopy(base)
    odd["statements"][0]["content"]["start"] = 2**70  # beyond 64 bits: handed back
    out.append(odd)
    odd = copy.deepcopy(base)
    odd["statements"][0]["content"]["start"] = True  # an int to Python
    odd["statements"][1]["content"]["end"] = 10**6  # beyond the body
    out.append(odd)
    odd = copy.deepcopy(base)
    odd["actors"] = [*odd["actors"], {"id": "dmytro-kuleba", "name": "D. Kuleba",
                                      "statements": ["s2", 4]}, 3, {"id": ["x"]}]  # fmt: skip
    odd["entities"] = [*odd["entities"], "x", {"label": ["L"], "text": {"a": 1}}]
    out.append(odd)
    return out


def test_native_engine_is_built_where_required(native_is_required: bool) -> None:
    if native_is_required:
        assert match_module.native_available(), "wirewatch_match must be built (make install)"
    elif not match_module.native_available():
        pytest.skip("wirewatch_match not built")


def test_engine_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"rules": [{"id": "r", "keywords": "x"}]}
    monkeypatch.setenv(match_module.ENGINE_ENV, "python")
    assert parse_rules(doc).engine == "python"
    assert parse_rules(doc, engine="auto").engine == (
        "native" if match_module.native_available() else "python"
    )
    with pytest.raises(ValueError, match="WIREWATCH_MATCH_ENGINE"):
        parse_rules(doc, engine="fast")
    monkeypatch.setattr(match_module, "_native", None)
    monkeypatch.setenv(match_module.ENGINE_ENV, "auto")
    assert parse_rules(doc).engine == "python"  # not built: the pure-Python fallback
    with pytest.raises(RuntimeError, match="make install"):
        parse_rules(doc, engine="native")


def test_native_equals_python_on_awkward_articles(native: None) -> None:
    ruleset = parse_rules(RULES, engine="native")
    fired = set()
    for art in _variants():
        want = ruleset.match_python(art, now=NOW)
        got = ruleset.match(art, now=NOW)
        assert got == want, art["body"][-40:]
        assert [list(a) for a in got] == [list(a) for a in want]  # same key order (JSON out)
        fired |= {a["rule_id"] for a in want}
    assert fired >= {"kw", "phrase", "prefix", "sigma", "near", "actor", "quoted-yes", "quoted",
                     "speaker", "said", "said-any", "labels", "filters", "none-only"}  # fmt: skip
    done, handed_back = ruleset.native_counts()
    assert handed_back == 3 and done == len(_variants()) - 3  # İ, the surrogate, 2**70


def test_native_without_keywords_and_without_rules(native: None) -> None:
    for doc in ({"rules": [{"id": "q", "quoted": True}, {"id": "s", "speaker": "Kuleba"}]},):
        ruleset = parse_rules(doc, engine="native")
        for art in _variants():
            assert ruleset.match(art, now=NOW) == ruleset.match_python(art, now=NOW)
    empty = match_module.RuleSet([], engine="native")
    assert empty.match(_article()) == []


def test_bench_reports_both_engines(native: None, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    raw = next(read_path(str(bench.SEED))).article
    monkeypatch.setattr(bench, "seed_article", lambda: bench.synthetic_article(raw))
    args = SimpleNamespace(rules="200", articles=20, passes=2, engine="both")
    assert bench.run(args, Settings()) == 0
    out = capsys.readouterr().out.splitlines()
    (result,) = json.loads(out[0])["results"]
    assert result["engine"] == "native" and set(result["engines"]) == {"native", "python"}
    assert result["speedup"] > 0
    assert (
        result["engines"]["native"]["alerts_per_article"]
        == (result["engines"]["python"]["alerts_per_article"])
    )
    assert [line.split()[1] for line in out[2:4]] == ["native", "python"]


def test_a_replaced_native_rule_set_is_freed(native: None) -> None:
    # Rule sets are frozen out of the cyclic GC's sight; a reference cycle through the engine's
    # callbacks would keep every replaced (reloaded) rule set alive for good.
    import weakref

    ruleset = parse_rules(RULES, engine="native")
    ruleset.match(_article())
    gone = weakref.ref(ruleset)
    del ruleset
    assert gone() is None


def test_native_keyword_scan_nested_and_overlapping_stems(native: None) -> None:
    # Keywords that are prefixes of one another, phrases sharing words, prefix* next to the
    # exact word, stems starting inside a word of the text (must not hit), non-ASCII starts and
    # punctuation inside stems: every one is found from its word start exactly as Python does.
    words = ["air", "air defence", "air def*", "airport", "defence", "def*", "ence", "port",
             "ünal", "ün*", "u.n.", "u.n", "a-b", "b", "kyiv's", "kyiv", "tower", "tow*",
             "çà", "ai*", "airport air", "air air"]  # fmt: skip
    doc = {"rules": [{"id": f"k{i}", "keywords": w} for i, w in enumerate(words)]
           + [{"id": "near", "near": {"terms": ["air", "def*"], "within": 1}}]}  # fmt: skip
    ruleset = parse_rules(doc, engine="native")
    texts = [
        "Chair airport air  defence; the air-defence of Kyiv's TOWER towers. Ünal: U.N. a-b.",
        "airport air air air defenceless defence_x xair defence",
        "Zoë Ünal ÇÀ çàx dé air\u00a0defence U.N",
        "",
    ]
    fired = set()
    for n, text in enumerate(texts):
        art = {**_article(), "id": f"t{n}", "headline": text[:20], "body": text,
               "statements": [], "actors": [], "entities": []}  # fmt: skip
        want = ruleset.match_python(art, now=NOW)
        assert ruleset.match(art, now=NOW) == want, text
        fired |= {a["rule_id"] for a in want}
    assert len(fired) >= 18, sorted(fired)
    assert ruleset.native_counts() == (len(texts), 0)


def test_native_reads_dicts_with_odd_keys_as_dict_get(native: None) -> None:
    # The native side reads entity/statement/actor dicts in one pass over their items; keys that
    # are not the article's shared key objects, not str, or str subclasses still read as
    # ``dict.get`` reads them.
    class Key(str):
        pass

    ruleset = parse_rules(RULES, engine="native")
    base = json.loads(json.dumps(_article()))
    arts = []
    art = copy.deepcopy(base)
    art["entities"] = [{1: "x", "text": "Kyiv", "label": "GPE"},
                       {Key("label"): "PERSON", Key("text"): "Dmytro Kuleba",
                        "actor_id": "dmytro-kuleba"},
                       {"".join(["la", "bel"]): "LAW", "te" + "xt": "Zoë Ünal", (1, 2): 3}]  # fmt: skip
    arts.append(art)
    art = copy.deepcopy(base)
    st = art["statements"][0]
    st[Key("speaker")] = st.pop("speaker")  # a subclass key first, then plain ones
    art["statements"].append({"id": "s9", 7: None, "speaker": dict(st[Key("speaker")]),
                              "content": {**st["content"], None: 1}})  # fmt: skip
    art["actors"].append({"id": "zoe", "name": "Zoë Ünal", "statements": ["s2", "s9"], 0: 0})
    arts.append(art)
    for art in arts:
        want = ruleset.match_python(art, now=NOW)
        assert ruleset.match(art, now=NOW) == want
        assert want
    assert ruleset.native_counts() == (len(arts), 0)


def test_native_equals_python_on_random_whitespace(native: None) -> None:
    # Runs of (ASCII and other) whitespace anywhere, at the start and end of headline and body,
    # next to non-ASCII text: normalising collapses them and maps offsets back, which statements'
    # said terms and ``near`` distances depend on.
    import random

    rng = random.Random(5)
    words = ["air", "defence", "tower", "strike", "strikes", "café", "weapons", "Kuleba", "x",
             "Ünal", "u.n.", "kyiv's"]  # fmt: skip
    spaces = [" ", "  ", "\t", "\n\n", " \n ", "\u00a0", "\u3000 ", "\u2028", "   \t"]
    doc = {"rules": [*RULES["rules"],
                     {"id": "near2", "near": {"terms": ["air", "tower"], "within": 2}},
                     {"id": "said2", "said": {"any": ["strike*", "defence"]}}]}  # fmt: skip
    ruleset = parse_rules(doc, engine="native")

    def text(n: int) -> str:
        parts = [rng.choice(spaces) if rng.random() < 0.3 else ""]
        for _ in range(n):
            parts += [rng.choice(words), rng.choice(spaces) if rng.random() < 0.4 else " "]
        return "".join(parts)

    for i in range(150):
        body = text(rng.randint(0, 30))
        a = rng.randint(0, len(body))
        b = rng.randint(a, len(body))
        art = {**_article(), "id": f"w{i}", "headline": text(rng.randint(0, 4)), "body": body,
               "entities": [], "actors": [],
               "statements": [{"id": "s1", "speaker": {"text": "Dmytro Kuleba",
                                                       "name": "Dmytro Kuleba"},
                               "content": {"text": body[a:b], "start": a, "end": b}}]}  # fmt: skip
        assert ruleset.match(art, now=NOW) == ruleset.match_python(art, now=NOW), repr(art)
    assert ruleset.native_counts() == (150, 0)


def test_native_normalize_name_equals_python() -> None:
    # The native engine turns ASCII names into keys itself (normalize_name's regexes in Rust):
    # random ASCII text, heavy on the characters those regexes treat specially, normalises alike.
    import random

    wirewatch_match = pytest.importorskip("wirewatch_match")
    from wirewatch.actors import normalize_name

    rng = random.Random(3)
    alphabet = [chr(i) for i in range(128)] + ["'s", "'S", "the ", "The\t", " - ", "-", " "] * 8
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert wirewatch_match.normalize_name(text) == normalize_name(text), repr(text)
    for text in ["the", "the ", " the  x", "THE-x", "x's", "x'sy", "x's's", "'s", "a\x1cb", ""]:
        assert wirewatch_match.normalize_name(text) == normalize_name(text), repr(text)
    assert wirewatch_match.normalize_name("Zoë Ünal") is None  # not ASCII: left to Python


def test_native_name_keys_equal_python_on_awkward_names(native: None) -> None:
    # Actor, speaker and entity names with the parts normalize_name cuts or merges ('s, "the",
    # hyphens, punctuation, odd whitespace), more words than a key run, and non-ASCII names
    # (asked of Python): the native keys give the same alerts, and only the non-ASCII names
    # reach Python's name cache.
    names = ["Jens Stoltenberg", "the Kremlin", "Kremlin", "U.N.", "UN", "Al-Sisi", "al sisi",
             "NATO's chief", "a b c d e f g h i j", "c d e f g h i j", "Zoë Ünal"]  # fmt: skip
    doc = {
        "rules": [{"id": f"a{i}", "actors": n} for i, n in enumerate(names)]
        + [
            {"id": f"s{i}", "speaker": n, "group_by": "speaker", "throttle": "1m"}
            for i, n in enumerate(names)
        ]
    }
    seen = ["The  Kremlin's", "the\tkremlin", "NATO's Chief Jens STOLTENBERG", "Al - Sisi",
            "U.N.'s", "(UN)", "the", "A B C D E F G H I J K", "x  c d e f g h i j", "Zoë Ünal's",
            "the-Kremlin", "jens\x1cstoltenberg", "'s", ""]  # fmt: skip
    ruleset = parse_rules(doc, engine="native")
    arts = []
    for n, name in enumerate(seen):
        art = {**_article(), "id": f"n{n}", "body": "Nothing to see.", "headline": "x",
               "entities": [{"text": name, "label": "PERSON", "actor_id": None}],
               "actors": [{"id": f"act-{n}", "name": name, "statements": ["s1"]}],
               "statements": [{"id": "s1", "speaker": {"text": name, "name": name if n % 2 else "",
                                                       "actor_id": f"act-{n}" if n % 3 else None},
                               "content": {"text": "x", "start": 0, "end": 1}}]}  # fmt: skip
        arts.append(art)
    got = [ruleset.match(art, now=NOW) for art in arts]
    asked = set(ruleset._scope._name_cache)
    assert asked <= {"Zoë Ünal's"}, asked
    want = [ruleset.match_python(art, now=NOW) for art in arts]
    assert got == want
    assert sum(len(a) for a in want) >= 15
    assert ruleset.native_counts() == (len(arts), 0)


def test_native_created_at_and_article_fields_without_now(native: None) -> None:
    # With no ``now`` (as the alerter matches) the native engine reads the article's fields and
    # formats the time itself: the same format as Python's _iso_utc, the same other fields.
    import random
    from datetime import timedelta

    import wirewatch_match

    rng = random.Random(4)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    stamps = [
        0,
        1,
        999,
        1000,
        86_399_999,
        951_782_400_000,
        4_107_542_400_000,
        253_402_300_799_999,
    ] + [rng.randint(0, 253_402_300_799_999) for _ in range(3000)]
    for ms in stamps:
        want = match_module._iso_utc(epoch + timedelta(milliseconds=ms))
        assert wirewatch_match.iso_utc_ms(ms) == want, ms

    ruleset = parse_rules(RULES, engine="native")
    odd_ids: list[Any] = ["a-1", "", "ünï", 7, None]
    for n, article_id in enumerate(odd_ids):
        art = _article(id=article_id, version=n, uri=None if n % 2 else "u")
        if n == 1:
            del art["id"]
            art["headline"] = 5  # not a str: "" in the alert
        before = datetime.now(UTC)
        got = ruleset.match(art)
        after = datetime.now(UTC)
        want = ruleset.match_python(art, now=NOW)
        assert got and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            created = datetime.fromisoformat(g.pop("created_at").replace("Z", "+00:00"))
            assert before - timedelta(milliseconds=1) <= created <= after
            w.pop("created_at")
            assert g == w


def test_native_reads_fields_whatever_the_key_order(native: None) -> None:
    # Fields are read at the position their key had in the first dict of the kind when the key
    # there is the same object; dicts in another key order, with a key deleted (a hole in the
    # entries), missing keys or equal keys that are other objects are read by look-up instead.
    ruleset = parse_rules(RULES, engine="native")
    base = json.loads(json.dumps(_article()))
    variants = []
    for n in range(6):
        art = copy.deepcopy(base)
        art["id"] = f"o{n}"
        ents = art["entities"]
        if n == 1:
            ents.reverse()
        if n == 2:
            art["entities"] = [dict(reversed(list(e.items()))) for e in ents]
        if n == 3:
            for e in ents:
                e["zzz"] = 1
                del e["zzz"]
            del ents[1]["text"]
            ents[0] = {"".join(["la", "bel"]) if k == "label" else k: v for k, v in ents[0].items()}
        if n == 4:
            st = art["statements"][0]
            art["statements"][0] = {
                "content": st["content"],
                "id": st["id"],
                "speaker": dict(reversed(list(st["speaker"].items()))),
            }
        if n == 5:
            art["actors"][0] = {"statements": ["s1", "s2"], "name": "Dmytro Kuleba",
                                "id": "dmytro-kuleba"}  # fmt: skip
            art["entities"].insert(0, {"label": "PERSON", "text": "Zoë Ünal"})
        variants.append(art)
    for art in variants:
        assert ruleset.match(art, now=NOW) == ruleset.match_python(art, now=NOW), art["id"]
    assert ruleset.native_counts() == (len(variants), 0)


def test_native_word_starts_across_16_byte_blocks(native: None) -> None:
    # The scan finds word starts 16 ASCII bytes at a time and byte by byte around non-ASCII
    # text: words, keywords and non-ASCII characters straddling every block boundary.
    doc = {"rules": [{"id": "air", "keywords": ["air defence", "tower", "ünal", "a_b", "9x"]},
                     {"id": "p", "keywords": {"any": ["defen*", "tow*"]}},
                     {"id": "n", "near": {"terms": ["air", "tower"], "within": 3}}]}  # fmt: skip
    ruleset = parse_rules(doc, engine="native")
    tails = ["air defence tower", "Ünal air defence", "xair defence_tower a_b 9x",
             "é air\u00a0defence  tower", "ü" * 9 + " tower",
             "".join(map(chr, range(1, 128))) + "tower9x@air`defence{tower[a_b"]  # fmt: skip
    n, fired = 0, set()
    for k in range(34):
        for tail in tails:
            body = "w" * k + " " + tail + " " + "y" * (k % 7) + " towers air a_b"
            art = {**_article(), "id": f"b{n}", "headline": "h" * (k % 17), "body": body,
                   "statements": [], "actors": [], "entities": []}  # fmt: skip
            want = ruleset.match_python(art, now=NOW)
            assert ruleset.match(art, now=NOW) == want, body
            fired |= {a["rule_id"] for a in want}
            n += 1
    assert fired == {"air", "p", "n"}
    assert ruleset.native_counts() == (n, 0)
