"""Compile rules once; match an enriched article against all of them in one pass.

Per article the cost is one keyword scan of headline + body, one scan per statement content,
a few set look-ups per actor mention, and then a full check of only the *candidate* rules:
those whose anchor (one necessary condition) was hit, plus the few rules that cannot be
anchored (only ``none`` terms). It does not grow with the number of rules that stay silent.

Shape, so new conditions slot in: a rule compiles into a list of conditions. Each condition
can ``test`` an :class:`ArticleView` (filling a :class:`Matched`) and may offer an ``anchor``:
an (index name, keys) pair such that the condition can only hold if the article shows one of
those keys in that index. A ``source``/``language`` filter, an entity-label condition or a
``quoted`` flag is one more small class here plus a key set on ``ArticleView``.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from ..actors import normalize_name
from .model import Rule, RulesError, Terms, is_word_char, keyword_key, normalize_text

try:  # C extension; the pure-Python stand-in below keeps the library usable without it.
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    _ahocorasick = None

if TYPE_CHECKING:
    from ..actors import ActorIndex

#: Longest actor-name word sequence compared for "surname within full name" matching.
MAX_NAME_WORDS = 8


def alert_id(rule_id: str, article_id: str) -> str:
    """Deterministic: one alert per rule and article, whatever the article version."""
    return hashlib.sha1(f"{rule_id}:{article_id}".encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- keyword scanning


class _PyAutomaton:
    """Minimal stand-in for ``ahocorasick.Automaton`` (add_word / make_automaton / iter)."""

    def __init__(self) -> None:
        self._words: dict[str, Any] = {}

    def add_word(self, word: str, value: Any) -> None:
        self._words[word] = value

    def make_automaton(self) -> None:
        pass

    def iter(self, text: str) -> Iterator[tuple[int, Any]]:
        for word, value in self._words.items():
            start = text.find(word)
            while start != -1:
                yield start + len(word) - 1, value
                start = text.find(word, start + 1)


class KeywordScanner:
    """All keywords of all rules in one Aho-Corasick automaton over normalised text.

    ``scan(text)`` returns the keyword keys present as whole words: ``"nuclear"`` needs a word
    boundary on both sides, the prefix key ``"nuclear*"`` only on the left. A boundary is only
    required where the keyword itself starts/ends with a word character, so ``"u.n."`` works.
    """

    def __init__(self, keys: Iterable[str], *, use_pyahocorasick: bool = True) -> None:
        entries: dict[str, list[str | None]] = {}
        for key in keys:
            prefix = key.endswith("*")
            stem = key[:-1] if prefix else key
            entries.setdefault(stem, [None, None])[1 if prefix else 0] = key
        self.size = len(entries)
        if use_pyahocorasick and _ahocorasick is not None:
            automaton: Any = _ahocorasick.Automaton()
        else:
            automaton = _PyAutomaton()
        for stem, (exact, prefix_key) in entries.items():
            value = (len(stem), exact, prefix_key, is_word_char(stem[0]), is_word_char(stem[-1]))
            automaton.add_word(stem, value)
        if entries:
            automaton.make_automaton()
        self._automaton = automaton

    def scan(self, text: str | None) -> set[str]:
        found: set[str] = set()
        if not text or not self.size:
            return found
        text = normalize_text(text)
        last = len(text) - 1
        for end, (length, exact, prefix_key, word_left, word_right) in self._automaton.iter(text):
            start = end - length + 1
            if word_left and start > 0 and is_word_char(text[start - 1]):
                continue
            if prefix_key is not None:
                found.add(prefix_key)
            if exact is not None and not (
                word_right and end < last and is_word_char(text[end + 1])
            ):
                found.add(exact)
        return found


# --------------------------------------------------------------------------- actor names


def name_keys(text: Any) -> frozenset[str]:
    """Index keys of a name seen in an article: every contiguous word run of its normalised form.

    So a rule naming "Stoltenberg" or "Jens Stoltenberg" hits a mention "NATO's Jens Stoltenberg".
    """
    if not isinstance(text, str):
        return frozenset()
    return _name_keys(text)


@lru_cache(maxsize=65536)  # the same names recur across articles; normalising costs regexes
def _name_keys(text: str) -> frozenset[str]:
    words = normalize_name(text).split()
    keys = {"n:" + " ".join(words)} if words else set()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + MAX_NAME_WORDS) + 1):
            keys.add("n:" + " ".join(words[i:j]))
    return frozenset(keys)


def rule_name_keys(name: str, actors: ActorIndex | None) -> frozenset[str]:
    """Keys under which a rule's actor name can be found: as an id, as a name, and, when the
    actors file knows it, as that actor's id, canonical name and aliases."""
    keys = {"id:" + name, "n:" + normalize_name(name)}
    actor = actors.lookup(name) if actors is not None else None
    if actor is not None:
        keys.add("id:" + actor.id)
        keys.update("n:" + normalize_name(n) for n in actor.names if normalize_name(n))
    return frozenset(keys)


# --------------------------------------------------------------------------- the article side


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class StatementView:
    """One statement: its resolved speaker keys, and its content's keywords (scanned on demand,
    so articles whose statements no ``said`` rule looks at are not scanned twice)."""

    def __init__(self, sid: str, speaker_keys: set[str], text: str, scanner: KeywordScanner):
        self.id = sid
        self.speaker_keys = speaker_keys
        self._text = text
        self._scanner = scanner

    @cached_property
    def terms(self) -> set[str]:
        return self._scanner.scan(self._text)


class ArticleView:
    """What the conditions look at, computed once per article and only when some rule needs it."""

    def __init__(self, article: dict, scanner: KeywordScanner) -> None:
        self.article = article
        self._scanner = scanner
        # id(actor dict) -> its keys; this article only
        self._actor_memo: dict[int, frozenset[str]] = {}
        self._actors_by_id = {
            _str(a.get("id")): a for a in _dicts(article.get("actors")) if _str(a.get("id"))
        }

    @cached_property
    def text_terms(self) -> set[str]:
        """Keyword keys found in headline + body (scanned apart, so phrases don't straddle)."""
        return self._scanner.scan(_str(self.article.get("headline"))) | self._scanner.scan(
            _str(self.article.get("body"))
        )

    @cached_property
    def statements(self) -> list[StatementView]:
        spoken_by: dict[str, list[dict]] = {}
        for actor in self._actors_by_id.values():
            for sid in actor.get("statements") or ():
                spoken_by.setdefault(sid if isinstance(sid, str) else "", []).append(actor)
        out = []
        for n, stmt in enumerate(_dicts(self.article.get("statements"))):
            sid = _str(stmt.get("id")) or f"#{n}"
            content = stmt.get("content")
            text = _str(content.get("text")) if isinstance(content, dict) else _str(content)
            keys = self._speaker_keys(stmt.get("speaker"))
            for actor in spoken_by.get(sid, ()):
                keys |= self._actor_keys(actor)
            out.append(StatementView(sid, keys, text, self._scanner))
        return out

    @cached_property
    def speaker_keys(self) -> set[str]:
        return set().union(*(s.speaker_keys for s in self.statements))

    @cached_property
    def said_terms(self) -> set[str]:
        return set().union(*(s.terms for s in self.statements))

    @cached_property
    def actor_keys(self) -> set[str]:
        """Every actor mentioned anywhere: article actors, entities, statement speakers."""
        keys: set[str] = set()
        for actor in self._actors_by_id.values():
            keys |= self._actor_keys(actor)
        for ent in _dicts(self.article.get("entities")):
            keys |= name_keys(ent.get("text"))
            if _str(ent.get("actor_id")):
                keys.add("id:" + ent["actor_id"])
        for stmt in _dicts(self.article.get("statements")):
            speaker = stmt.get("speaker")
            if isinstance(speaker, dict):
                keys |= name_keys(speaker.get("text"))
        return keys | self.speaker_keys

    def keys(self, index: str) -> set[str]:
        return getattr(self, _INDEX_ATTR[index])

    def _actor_keys(self, actor: dict) -> frozenset[str]:
        memo = self._actor_memo.get(id(actor))
        if memo is None:
            memo = name_keys(actor.get("name"))
            if _str(actor.get("id")):
                memo = memo | {"id:" + actor["id"]}
            self._actor_memo[id(actor)] = memo
        return memo

    def _speaker_keys(self, speaker: Any) -> set[str]:
        """The resolved speaker: actor id, that actor's name, and speaker.name (speaker.text
        only when nothing resolved; "NATO's Chief Jens Stoltenberg" should not make NATO the
        speaker when the name says Jens Stoltenberg)."""
        if not isinstance(speaker, dict):
            return set()
        keys: set[str] = set()
        aid = _str(speaker.get("actor_id"))
        if aid:
            keys.add("id:" + aid)
            if aid in self._actors_by_id:
                keys |= self._actor_keys(self._actors_by_id[aid])
        name = _str(speaker.get("name"))
        if name:
            keys |= name_keys(name)
        elif not aid:
            keys |= name_keys(speaker.get("text"))
        return keys


_INDEX_ATTR = {
    "text": "text_terms",
    "said": "said_terms",
    "actor": "actor_keys",
    "speaker": "speaker_keys",
}
#: Tie-break between equally shared anchors: speakers are rarer than mentions than words.
_INDEX_COST = {"speaker": 0, "actor": 1, "said": 2, "text": 3}


# --------------------------------------------------------------------------- conditions


@dataclass
class Matched:
    keywords: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "keywords": list(dict.fromkeys(self.keywords)),
            "actors": list(dict.fromkeys(self.actors)),
            "statements": list(dict.fromkeys(self.statements)),
        }


@dataclass(frozen=True)
class _Term:
    label: str  # as written in the rule, reported in alerts
    keys: frozenset[str]  # present when any of these keys is in the article's key set


@dataclass(frozen=True)
class TermTest:
    """Compiled any/all/none over one key set."""

    any: tuple[_Term, ...] = ()
    all: tuple[_Term, ...] = ()
    none: tuple[_Term, ...] = ()

    def test(self, found: set[str]) -> list[str] | None:
        """Labels of the present any/all terms when the condition holds, else None."""
        hits = [t.label for t in self.any if not t.keys.isdisjoint(found)]
        if self.any and not hits:
            return None
        for term in self.all:
            if term.keys.isdisjoint(found):
                return None
            hits.append(term.label)
        for term in self.none:
            if not term.keys.isdisjoint(found):
                return None
        return hits

    def anchors(self) -> list[frozenset[str]]:
        """Key sets of which at least one key must be present for the test to pass: each
        ``all`` term on its own, or else the ``any`` terms together. Empty: cannot anchor."""
        if self.all:
            return [t.keys for t in self.all]
        if self.any:
            return [frozenset().union(*(t.keys for t in self.any))]
        return []


class Condition:
    def test(self, view: ArticleView, matched: Matched) -> bool:
        raise NotImplementedError

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        return []

    def keyword_keys(self) -> set[str]:
        return set()


@dataclass
class TextCondition(Condition):
    """``keywords``: words and phrases in headline + body."""

    terms: TermTest

    def test(self, view: ArticleView, matched: Matched) -> bool:
        hits = self.terms.test(view.text_terms)
        if hits is None:
            return False
        matched.keywords += hits
        return True

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        return [("text", keys) for keys in self.terms.anchors()]

    def keyword_keys(self) -> set[str]:
        return _all_keys(self.terms)


@dataclass
class ActorCondition(Condition):
    """``actors``: actors mentioned anywhere in the article."""

    terms: TermTest

    def test(self, view: ArticleView, matched: Matched) -> bool:
        hits = self.terms.test(view.actor_keys)
        if hits is None:
            return False
        matched.actors += hits
        return True

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        return [("actor", keys) for keys in self.terms.anchors()]


@dataclass
class StatementCondition(Condition):
    """``speaker`` + ``said``: some statement by one of the speakers (any speaker when no
    ``speaker``) whose content satisfies ``said`` (any content when no ``said``)."""

    speaker: TermTest | None
    said: TermTest | None

    def test(self, view: ArticleView, matched: Matched) -> bool:
        ok = False
        for stmt in view.statements:
            who = self.speaker.test(stmt.speaker_keys) if self.speaker else []
            if who is None:
                continue
            what = self.said.test(stmt.terms) if self.said else []
            if what is None:
                continue
            ok = True
            matched.actors += who
            matched.keywords += what
            matched.statements.append(stmt.id)
        return ok

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        out = [("speaker", keys) for keys in self.speaker.anchors()] if self.speaker else []
        if self.said:
            out += [("said", keys) for keys in self.said.anchors()]
        return out

    def keyword_keys(self) -> set[str]:
        return _all_keys(self.said) if self.said else set()


def _all_keys(terms: TermTest) -> set[str]:
    return {k for t in (*terms.any, *terms.all, *terms.none) for k in t.keys}


# --------------------------------------------------------------------------- the rule set


@dataclass
class CompiledRule:
    rule: Rule
    conditions: list[Condition]

    def evaluate(self, view: ArticleView) -> Matched | None:
        matched = Matched()
        for condition in self.conditions:
            if not condition.test(view, matched):
                return None
        return matched

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        """Necessary conditions as (index, keys): the rule can only fire when the article
        shows one of the keys. :class:`RuleSet` indexes the rule under the cheapest one."""
        return [a for c in self.conditions for a in c.anchors()]


class RuleSet:
    """Validated, compiled rules. Build with :func:`load_rules` / :func:`parse_rules`."""

    def __init__(
        self, rules: Iterable[Rule], actors: ActorIndex | None = None, source: str = "<rules>"
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.actors = actors
        self.source = source
        #: Non-fatal notes for the user, e.g. a rule name the actors file does not list.
        self.warnings: list[str] = []
        self._by_id: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.id in self._by_id:
                raise RulesError(
                    "duplicate rule id", source=source, rule_id=rule.id, index=rule.index
                )
            self._by_id[rule.id] = rule

        # Shared term objects: 100k rules repeat many keywords and names.
        self._terms: dict[tuple[str, str], _Term] = {}
        gc_was_enabled = gc.isenabled()
        gc.disable()  # compiling allocates many small, long-lived objects; GC passes only cost
        try:
            self._compile_all()
        finally:
            if gc_was_enabled:
                gc.enable()

    def _compile_all(self) -> None:
        self._compiled = [self._compile(rule) for rule in self.rules]
        self._scanner = KeywordScanner(
            {k for c in self._compiled for cond in c.conditions for k in cond.keyword_keys()}
        )
        #: index name -> key -> positions of rules anchored on that key
        self._postings: dict[str, dict[str, list[int]]] = {name: {} for name in _INDEX_ATTR}
        #: rules with no anchor (only ``none`` terms): checked against every article
        self._always: list[int] = []
        # Anchor each rule on the option whose keys the fewest rules share: a rule with
        # all: [kw17, common] is indexed under kw17, so "common" does not wake every rule.
        options = [compiled.anchors() for compiled in self._compiled]
        shared = Counter((index, key) for opts in options for index, keys in opts for key in keys)
        for pos, opts in enumerate(options):
            if not opts:
                self._always.append(pos)
                continue
            index, keys = min(
                opts, key=lambda o: (sum(shared[o[0], k] for k in o[1]), _INDEX_COST[o[0]])
            )
            for key in keys:
                self._postings[index].setdefault(key, []).append(pos)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def match(self, article: dict, now: datetime | None = None) -> list[dict]:
        """Alerts for every rule the enriched article satisfies, in rule-file order."""
        if not isinstance(article, dict):
            raise TypeError(f"expected an enriched article mapping, got {type(article).__name__}")
        view = ArticleView(article, self._scanner)
        alerts = []
        created_at = None
        for pos in self._candidates(view):
            compiled = self._compiled[pos]
            matched = compiled.evaluate(view)
            if matched is None:
                continue
            created_at = created_at or _iso_utc(now)
            alerts.append(_make_alert(compiled.rule, article, matched, created_at))
        return alerts

    # -- internals

    def _candidates(self, view: ArticleView) -> list[int]:
        found: set[int] = set(self._always)
        for index, postings in self._postings.items():
            if not postings:
                continue
            for key in view.keys(index):
                hit = postings.get(key)
                if hit:
                    found.update(hit)
        return sorted(found)

    def _compile(self, rule: Rule) -> CompiledRule:
        conditions: list[Condition] = []
        if rule.keywords:
            conditions.append(TextCondition(self._keyword_test(rule.keywords)))
        if rule.actors:
            conditions.append(ActorCondition(self._actor_test(rule, "actors", rule.actors)))
        if rule.speaker or rule.said:
            speaker = (
                self._actor_test(rule, "speaker", Terms(any=rule.speaker)) if rule.speaker else None
            )
            said = self._keyword_test(rule.said) if rule.said else None
            conditions.append(StatementCondition(speaker, said))
        return CompiledRule(rule, conditions)

    def _keyword_test(self, terms: Terms) -> TermTest:
        def term(label: str) -> _Term:
            found = self._terms.get(("kw", label))
            if found is None:
                found = self._terms["kw", label] = _Term(label, frozenset([keyword_key(label)]))
            return found

        def build(labels: tuple[str, ...]) -> tuple[_Term, ...]:
            return tuple(term(t) for t in labels)

        return TermTest(build(terms.any), build(terms.all), build(terms.none))

    def _actor_test(self, rule: Rule, field_name: str, terms: Terms) -> TermTest:
        def build(labels: tuple[str, ...]) -> tuple[_Term, ...]:
            out = []
            for name in labels:
                if self.actors is not None and self.actors.lookup(name) is None:
                    self.warnings.append(
                        f"{self.source}: rule {rule.id!r} (rules[{rule.index}]): field "
                        f"{field_name!r}: {name!r} is not in the actors file; matching it by "
                        "name within articles only"
                    )
                found = self._terms.get(("name", name))
                if found is None:
                    found = _Term(name, rule_name_keys(name, self.actors))
                    self._terms["name", name] = found
                out.append(found)
            return tuple(out)

        return TermTest(build(terms.any), build(terms.all), build(terms.none))


def _iso_utc(now: datetime | None) -> str:
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _make_alert(rule: Rule, article: dict, matched: Matched, created_at: str) -> dict:
    article_id = str(article.get("id", ""))
    return {
        "id": alert_id(rule.id, article_id),
        "rule_id": rule.id,
        "rule_description": rule.description,
        "article_id": article_id,
        "article_version": article.get("version"),
        "uri": article.get("uri"),
        "headline": _str(article.get("headline")),
        "matched": matched.as_dict(),
        "sinks": list(rule.sinks),
        "created_at": created_at,
    }
