"""The compiled matcher against a plain reference evaluation of the rule language.

``RuleSet.match`` indexes rules by anchor, scans the article once, cuts name and statement key
sets down to what the rules ask about and caches per name. None of that may change a result. The
reference here evaluates every rule on its own, straight from the documented semantics: regular
expressions over the original text for keywords (whole words, phrases across any whitespace,
prefix*), statement terms as hits inside the statement's span of the body, names through
``name_keys``/``rule_name_keys``. Both must fire the same rules with the same matched keywords,
actors and statements, over a couple of thousand generated rules and varied enriched articles.

Every test runs against both engines (``engine`` fixture in conftest): the pure-Python matcher
and the native one (``wirewatch_match``); with the native one each alert must also equal, dict
for dict, what the Python engine makes of the same article.
"""

from __future__ import annotations

import copy
import random
import re
from datetime import UTC, datetime
from functools import cache
from itertools import pairwise
from typing import Any

import pytest

from wirewatch.bench import rules as bench
from wirewatch.ingest.files import read_path
from wirewatch.rules import Rule, RuleSet, Terms, parse_rules
from wirewatch.rules import match as match_module
from wirewatch.rules.match import name_keys, rule_name_keys
from wirewatch.rules.model import is_word_char, keyword_key, label_key, lang_key, source_key

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# --------------------------------------------------------------------------- reference


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


@cache
def _keyword_regex(key: str) -> re.Pattern[str]:
    prefix = key.endswith("*")
    stem = key[:-1] if prefix else key
    quote = "['\u2019\u2018\u02bc]"
    words = [re.escape(part).replace("'", quote) for part in stem.split(" ")]
    left = r"(?<!\w)" if is_word_char(stem[0]) else ""
    right = r"(?!\w)" if is_word_char(stem[-1]) and not prefix else ""
    # Inside a lookahead: every start position is reported, overlapping matches included.
    body = r"\s+".join(words)
    return re.compile(f"(?=({left}{body}{right}))", re.IGNORECASE)


class Reference:
    """One article, evaluated rule by rule with no index, restriction or cache."""

    def __init__(self, article: dict, actors: Any = None) -> None:
        self.article = article
        self.actors = actors
        self.headline = _str(article.get("headline"))
        self.body = _str(article.get("body"))
        self.actors_by_id = {
            a["id"]: a
            for a in article.get("actors") or []
            if isinstance(a, dict) and isinstance(a.get("id"), str) and a["id"]
        }
        self.statements = [s for s in article.get("statements") or [] if isinstance(s, dict)]
        # Plain memoisation of the reference's own pure functions (it evaluates every rule).
        self.spans = cache(self.spans)  # type: ignore[method-assign]
        self.speaker = cache(self.speaker)  # type: ignore[method-assign]
        self.all_speaker_keys = cache(self.all_speaker_keys)  # type: ignore[method-assign]
        self.mention_keys = cache(self.mention_keys)  # type: ignore[method-assign]

    def spans(self, key: str, text: str) -> list[tuple[int, int]]:
        return [(m.start(1), m.end(1)) for m in _keyword_regex(key).finditer(text)]

    def present(self, key: str) -> bool:
        return bool(self.spans(key, self.headline) or self.spans(key, self.body))

    # -- statements

    def statement_ids(self) -> list[str]:
        return [_str(s.get("id")) or f"#{n}" for n, s in enumerate(self.statements)]

    def said(self, n: int, key: str) -> bool:
        content = self.statements[n].get("content")
        if isinstance(content, dict):
            text = _str(content.get("text"))
            start, end = content.get("start"), content.get("end")
            if (
                isinstance(start, int)
                and isinstance(end, int)
                and 0 <= start <= end
                and self.body[start:end] == text
            ):
                return any(start <= s and e <= end for s, e in self.spans(key, self.body))
        else:
            text = _str(content)
        return bool(self.spans(key, text))

    def speaker(self, n: int) -> tuple[set[str], str | None]:
        stmt = self.statements[n]
        keys: set[str] = set()
        label = None
        sp = stmt.get("speaker")
        if isinstance(sp, dict):
            aid, name, text = _str(sp.get("actor_id")), _str(sp.get("name")), _str(sp.get("text"))
            if aid:
                keys.add("id:" + aid)
                if aid in self.actors_by_id:
                    keys |= name_keys(self.actors_by_id[aid].get("name"))
            if name:
                keys |= name_keys(name)
            elif not aid:
                keys |= name_keys(text)
            label = aid or name or text or None
        sid = self.statement_ids()[n]
        for aid, actor in self.actors_by_id.items():
            if sid in (actor.get("statements") or []):
                keys |= name_keys(actor.get("name")) | {"id:" + aid}
                label = label or aid
        return keys, label

    def all_speaker_keys(self) -> set[str]:
        return set().union(*(self.speaker(n)[0] for n in range(len(self.statements))))

    def mention_keys(self) -> set[str]:
        keys = set(self.all_speaker_keys())
        for aid, actor in self.actors_by_id.items():
            keys |= {"id:" + aid} | name_keys(actor.get("name"))
        for ent in self.article.get("entities") or []:
            if isinstance(ent, dict):
                keys |= name_keys(ent.get("text"))
                if _str(ent.get("actor_id")):
                    keys.add("id:" + ent["actor_id"])
        for stmt in self.statements:
            if isinstance(stmt.get("speaker"), dict):
                keys |= name_keys(stmt["speaker"].get("text"))
        return keys

    # -- near

    def words(self, key: str) -> list[tuple[int, int]]:
        """(side, word number) of each hit: word number = whitespace runs before it."""
        out = []
        for side, text in enumerate((self.headline, self.body)):
            for start, _ in self.spans(key, text):
                out.append((side, len(re.findall(r"\s+", text[:start].lstrip()))))
        return out

    # -- one rule

    def evaluate(self, rule: Rule) -> dict[str, set[str]] | None:
        keywords: set[str] = set()
        actors: set[str] = set()
        statements: set[str] = set()

        def terms(spec: Terms, has) -> list[str] | None:
            hits = [t for t in spec.any if has(t)]
            if spec.any and not hits:
                return None
            for t in spec.all:
                if not has(t):
                    return None
                hits.append(t)
            if any(has(t) for t in spec.none):
                return None
            return hits

        def in_set(found: set[str], norm) -> Any:
            return lambda label: norm(label) in found

        def names_in(found: set[str]) -> Any:
            return lambda name: not rule_name_keys(name, self.actors).isdisjoint(found)

        for spec, found, norm in (
            (rule.source, {source_key(_str(self.article.get("source")))}, source_key),
            (rule.language, {lang_key(_str(self.article.get("language")))}, lang_key),
            (rule.entities,
             {label_key(e["label"]) for e in self.article.get("entities") or []
              if isinstance(e, dict) and _str(e.get("label"))}, label_key),
        ):  # fmt: skip
            if spec and terms(spec, in_set(found - {""}, norm)) is None:
                return None
        if rule.keywords:
            hits = terms(rule.keywords, lambda label: self.present(keyword_key(label)))
            if hits is None:
                return None
            keywords |= set(hits)
        for near in rule.near:
            a, b = keyword_key(near.first), keyword_key(near.second)
            if not any(
                sa == sb and abs(wa - wb) <= near.within and (a != b or wa != wb)
                for sa, wa in self.words(a)
                for sb, wb in self.words(b)
            ):
                return None
            keywords |= {near.first, near.second}
        speakers = self.all_speaker_keys()
        if rule.actors:
            hits = terms(rule.actors, names_in(speakers if rule.quoted else self.mention_keys()))
            if hits is None:
                return None
            if rule.quoted is False and any(names_in(speakers)(t) for t in hits):
                return None
            actors |= set(hits)
        elif rule.quoted is not None:
            quoted = any(self.speaker(n)[0] for n in range(len(self.statements)))
            if quoted != rule.quoted:
                return None
        if rule.speaker or rule.said:
            ok = False
            for n, sid in enumerate(self.statement_ids()):
                keys = self.speaker(n)[0]
                who = terms(Terms(any=rule.speaker), names_in(keys)) if rule.speaker else []
                what = (
                    terms(rule.said, lambda label, n=n: self.said(n, keyword_key(label)))
                    if rule.said
                    else []
                )
                if who is None or what is None:
                    continue
                ok = True
                actors |= set(who)
                keywords |= set(what)
                statements.add(sid)
            if not ok:
                return None
        return {"keywords": keywords, "actors": actors, "statements": statements}


# --------------------------------------------------------------------------- generated data


def _seed_article() -> dict:
    raw = next(read_path(str(bench.SEED))).article
    try:
        from wirewatch.actors import load_actors
        from wirewatch.nlp.pipeline import Enricher

        return Enricher(actors=load_actors(str(bench.ACTORS))).enrich(raw)
    except Exception:  # noqa: BLE001 - no spaCy model here: the small synthetic article
        return bench.synthetic_article(raw)


def _messy(article: dict, rng: random.Random) -> dict:
    """Hostile-ish variants: unresolved speakers, broken offsets, doubled whitespace, curly
    apostrophes, statements listed by other actors, entities without actor ids."""
    art = copy.deepcopy(article)
    for stmt in art["statements"]:
        roll = rng.random()
        if roll < 0.15:
            stmt["speaker"] = None
        elif roll < 0.3 and isinstance(stmt.get("speaker"), dict):
            stmt["speaker"]["actor_id"] = None
        elif roll < 0.4 and isinstance(stmt.get("speaker"), dict):
            stmt["speaker"]["name"] = None
        if rng.random() < 0.15:
            stmt["content"]["start"] += 1  # offsets no longer match: scanned on its own
        if rng.random() < 0.1:
            stmt["id"] = ""
    if art["actors"] and art["statements"] and rng.random() < 0.5:
        art["actors"][0]["statements"] = [*art["actors"][0].get("statements", []),
                                          art["statements"][-1]["id"] or "#0"]  # fmt: skip
    for ent in art["entities"]:
        if rng.random() < 0.2:
            ent["actor_id"] = None
    if rng.random() < 0.5:
        # Same length (offsets stay valid): a word break becomes a tab, an apostrophe curly.
        body = art["body"].replace(" ", "\t", 3).replace("'", "\u2019")
        art["body"] = body
    art["language"] = rng.choice(["en", "en-GB", "de", None])
    art["source"] = rng.choice(["reuters", "AP", "seed", None])
    return art


def _strangers(article: dict) -> dict:
    """Every statement spoken by someone no rule names: ``quoted`` must still see a speaker."""
    art = copy.deepcopy(article)
    for n, stmt in enumerate(art["statements"]):
        stmt["speaker"] = {"text": "he", "start": 0, "end": 2, "name": f"Zed Quux{n}",
                           "actor_id": None if n % 2 else f"stranger-{n}"}  # fmt: skip
    for actor in art["actors"]:
        actor["statements"] = []
    return art


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'\u2019.-]+", text)


def _generate_rules(article: dict, n: int, seed: int) -> dict:
    """Rules drawn from the article's own words and names (so many fire or nearly fire), mixed
    with words and names it does not contain."""
    rng = random.Random(seed)
    words = _words(article["headline"] + " " + article["body"])
    phrases = [f"{a} {b}" for a, b in pairwise(words)]
    prefixes = [w[: max(2, len(w) - rng.randint(1, 3))] + "*" for w in words if len(w) > 3]
    absent = bench.vocabulary(200, rng)
    names = [e["text"] for e in article["entities"]] + [a["name"] for a in article["actors"]]
    names += [s["speaker"]["name"] for s in article["statements"] if s.get("speaker")]
    names += [w for nm in names for w in nm.split()] + [a["id"] for a in article["actors"]]
    names += [w.title() for w in absent[:50]]
    labels = ["PERSON", "ORG", "GPE", "NORP", "DATE", "EVENT", "LAW", "MONEY", "FAC"]

    def word() -> str:
        roll = rng.random()
        pool = (
            words if roll < 0.5 else phrases if roll < 0.65 else prefixes if roll < 0.8 else absent
        )
        return rng.choice(pool)

    def terms(pick, k: int = 3) -> Any:
        mode = rng.random()
        if mode < 0.3:
            return pick()
        out: dict[str, list[str]] = {}
        for name in ("any", "all", "none"):
            if rng.random() < (0.7 if name == "any" else 0.35):
                out[name] = sorted({pick() for _ in range(rng.randint(1, k))})
        if not out.get("any") and not out.get("all") and rng.random() < 0.7:
            out["any"] = [pick()]
        # A term in two modes of one condition is an error; keep the first.
        seen: set[str] = set()
        for name in ("any", "all", "none"):
            if name in out:
                out[name] = [t for t in out[name] if t.lower() not in seen]
                seen |= {t.lower() for t in out[name]}
                if not out[name]:
                    del out[name]
        return out or pick()

    rules = []
    for i in range(n):
        rule: dict[str, Any] = {"id": f"q{i}"}
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            kind = rng.random()
            if kind < 0.25:
                rule["keywords"] = terms(word)
            elif kind < 0.35:
                rule["near"] = {"terms": [word(), word()], "within": rng.randint(1, 15)}
            elif kind < 0.5:
                rule["actors"] = terms(lambda: rng.choice(names))
                if rng.random() < 0.3:
                    rule["quoted"] = rng.random() < 0.5
            elif kind < 0.65:
                rule["speaker"] = sorted({rng.choice(names) for _ in range(rng.randint(1, 2))})
            elif kind < 0.8:
                rule["said"] = terms(word)
            elif kind < 0.84:
                rule["quoted"] = rng.random() < 0.7
            elif kind < 0.92:
                rule["entities"] = terms(lambda: rng.choice(labels))
            elif kind < 0.96:
                rule["language"] = rng.choice(["en", "de", "fr"])
            else:
                rule["source"] = rng.choice(["reuters", "ap", "seed"])
        rules.append(rule)
    return {"rules": rules}


def _valid_rules(doc: dict) -> dict:
    """Drop the few generated rules the parser rejects (e.g. a near term that is a bare '*')."""
    keep = []
    for rule in doc["rules"]:
        try:
            parse_rules({"rules": [rule]})
        except ValueError:
            continue
        keep.append(rule)
    return {"rules": keep}


@pytest.fixture(scope="module")
def seed() -> dict:
    return _seed_article()


def _articles(seed: dict) -> list[dict]:
    rng = random.Random(5)
    varied = bench.vary(seed, 4)
    messy = [_messy(a, rng) for a in (seed, *varied, seed, seed)]
    return [seed, *varied, *messy, _strangers(seed)]


def _compare(ruleset: RuleSet, articles: list[dict]) -> int:
    fired = 0
    native_before = ruleset.native_counts()
    for art in articles:
        alerts = ruleset.match(art, now=NOW)
        if ruleset.engine == "native":
            assert alerts == ruleset.match_python(art, now=NOW), art.get("id")
        got = {a["rule_id"]: {k: set(v) for k, v in a["matched"].items()} for a in alerts}
        ref = Reference(art, ruleset.actors)
        want = {r.id: m for r in ruleset.rules if (m := ref.evaluate(r)) is not None}
        assert sorted(got) == sorted(want), (
            f"article {art.get('id')}: only matcher {sorted(set(got) - set(want))}, "
            f"only reference {sorted(set(want) - set(got))}"
        )
        for rule_id, matched in want.items():
            assert got[rule_id] == matched, (art.get("id"), rule_id)
        fired += len(got)
    if native_before is not None:  # the native engine matched them all itself
        done, handed_back = ruleset.native_counts()
        assert (done - native_before[0], handed_back - native_before[1]) == (len(articles), 0)
    return fired


@pytest.mark.parametrize("seed_n", [1, 2])
def test_matcher_equals_reference_on_generated_rules(seed: dict, seed_n: int, engine: str) -> None:
    doc = _valid_rules(_generate_rules(seed, 1500, seed=seed_n))
    ruleset = parse_rules(doc, source="generated")
    assert ruleset.engine == engine
    articles = _articles(seed)
    fired = _compare(ruleset, articles)
    # The comparison means something only if plenty fire and plenty stay silent.
    assert len(articles) * 30 < fired < len(articles) * len(doc["rules"]) * 0.8


def test_matcher_equals_reference_without_the_c_automaton(seed, monkeypatch, engine: str) -> None:
    monkeypatch.setattr(match_module, "_ahocorasick", None)
    doc = _valid_rules(_generate_rules(seed, 400, seed=3))
    assert _compare(parse_rules(doc, source="generated"), _articles(seed)[:4]) > 0


def test_bench_rules_equal_reference(seed: dict, engine: str) -> None:
    # The bench's own mix at a size where both index and restriction matter.
    ruleset = parse_rules(bench.generate_rules(3000), source="bench")
    assert _compare(ruleset, bench.vary(seed, 3)) > 0


def test_reference_disagrees_when_the_matcher_drops_a_key(
    seed: dict, monkeypatch, engine: str
) -> None:
    # Guard against a vacuous comparison: a matcher that loses name keys must be caught.
    doc = _valid_rules(_generate_rules(seed, 600, seed=4))
    ruleset = parse_rules(doc, source="generated")
    broken = match_module.MatchScope(names=frozenset(), said=ruleset._scope.said)
    monkeypatch.setattr(ruleset, "_scope", broken)
    with pytest.raises(AssertionError):
        _compare(ruleset, _articles(seed)[:3])


def test_tiny_name_caches_start_over_without_changing_results(seed: dict, engine: str) -> None:
    # The per-name caches are bounded: clearing them mid-article must not change a match.
    doc = _valid_rules(_generate_rules(seed, 400, seed=6))
    ruleset = parse_rules(doc, source="generated")
    ruleset._scope.MAX_CACHED = 3
    assert _compare(ruleset, _articles(seed)[:4]) > 0
