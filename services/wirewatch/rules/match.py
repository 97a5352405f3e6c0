"""Compile rules once; match an enriched article against all of them in one pass.

Per article the cost is one keyword scan of headline + body, one scan per statement content,
a few set look-ups per actor mention, and then a full check of only the *candidate* rules:
those whose anchor (one necessary condition) was hit, plus the few rules that cannot be
anchored (only ``none`` terms). It does not grow with the number of rules that stay silent.
Name and statement key sets of the article only hold keys some rule names (:class:`MatchScope`,
cached per distinct name), so an article's ~100 names cost set operations in C, not a
Python step per word run of every name.

Shape, so new conditions slot in: a rule compiles into a list of conditions. Each condition
can ``test`` an :class:`ArticleView` (filling a :class:`Matched`) and may offer an ``anchor``:
an (index name, keys) pair such that the condition can only hold if the article shows one of
those keys in that index. A ``source``/``language`` filter, an entity-label condition or a
``quoted`` flag is one more small class here plus a key set on ``ArticleView``.

Two engines run the compiled rules. The native one (the ``wirewatch_match`` Rust extension in
``native/wirewatch_match``, built by ``make install``) takes the compiled tables once and does the
per-article side (normalising, scanning, statements, names, candidates, conditions) in native
code; Python builds the alert dicts. This pure-Python one is the reference and the fallback: it
runs when the extension is not built, when ``WIREWATCH_MATCH_ENGINE=python``, and for the rare
article the native side hands back (e.g. text whose length lower-casing changes).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import re
import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING, Any

from ..actors import normalize_name
from .model import (
    Rule,
    RulesError,
    Terms,
    is_word_char,
    keyword_key,
    label_key,
    lang_key,
    normalize_text,
    source_key,
)

try:  # C extension; the pure-Python stand-in below keeps the library usable without it.
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    _ahocorasick = None

try:  # the native engine (native/wirewatch_match); optional, see the module docs
    import wirewatch_match as _native
except ImportError as exc:  # pragma: no cover - depends on the build
    _native = None
    _NATIVE_MISSING = str(exc)
else:
    _NATIVE_MISSING = ""

if TYPE_CHECKING:
    from ..actors import ActorIndex

log = logging.getLogger("wirewatch.rules")

#: ``auto`` (native when built, else Python), ``native`` (error when not built) or ``python``.
ENGINE_ENV = "WIREWATCH_MATCH_ENGINE"
ENGINES = ("auto", "native", "python")
_engine_logged = False


def native_available() -> bool:
    """True when the native engine (the ``wirewatch_match`` extension) can be used."""
    return _native is not None


def _choose_engine(requested: str | None) -> str:
    global _engine_logged
    want = (requested or os.environ.get(ENGINE_ENV) or "auto").strip().lower()
    if want not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={want!r}: use one of {', '.join(ENGINES)}")
    if want == "native" and _native is None:
        raise RuntimeError(
            "native rule matcher requested but wirewatch_match is not importable "
            f"({_NATIVE_MISSING}); build it with `make install` (needs cargo)"
        )
    engine = "native" if want != "python" and _native is not None else "python"
    if not _engine_logged:
        _engine_logged = True
        if engine == "native":
            log.info("rule matching engine: native (wirewatch_match %s)", _native.__version__)
        elif want == "python":
            log.info("rule matching engine: python (%s=python)", ENGINE_ENV)
        else:
            log.info("rule matching engine: python (wirewatch_match not built: %s)",
                     _NATIVE_MISSING)  # fmt: skip
    return engine


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
    ``hits(normalised)`` returns every hit with its position, so one scan of an article serves
    keywords, statements (by offset) and ``near``.
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
        if not text or not self.size:
            return set()
        return {key for _, _, key in self.hits(normalize_text(text))}

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, key)`` of every whole-word hit in already normalised ``text``,
        ordered by ``end`` (exclusive)."""
        out: list[tuple[int, int, str]] = []
        if not text or not self.size:
            return out
        last = len(text) - 1
        append = out.append
        # is_word_char inlined: this loop runs for every raw hit of every article.
        for end, (length, exact, prefix_key, word_left, word_right) in self._automaton.iter(text):
            start = end - length + 1
            if word_left and start > 0 and ((ch := text[start - 1]).isalnum() or ch == "_"):
                continue
            if prefix_key is not None:
                append((start, end + 1, prefix_key))
            if exact is not None and not (
                word_right and end < last and ((ch := text[end + 1]).isalnum() or ch == "_")
            ):
                append((start, end + 1, exact))
        return out


#: Between headline and body in the one scanned text: no keyword or phrase can span it.
_SEPARATOR = "\n\x00\n"
_ASCII_SPACES = ("\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_OTHER_SPACES = tuple(
    ch for ch in map(chr, range(0x80, 0x3001)) if ch.isspace()
)  # \x85, \xa0, \u2000-\u200a, \u2028, \u2029, \u202f, \u205f, \u3000 ...
_QUOTE_CHARS = ("\u2019", "\u2018", "\u02bc")
_RUNS = re.compile("  +")


class NormalizedText:
    """``normalize_text`` of a whole article, with a map from original to normalised offsets
    (so statement spans, given as body offsets, select hits of the one scan).

    ``offset(i)`` is None when lower-casing changed the length (rare scripts): then callers
    scan statement texts on their own.
    """

    __slots__ = ("text", "mappable", "_spaced", "_run_starts", "_removed", "_kept")

    def __init__(self, raw: str) -> None:
        text = raw.lower()
        self.mappable = len(text) == len(raw)
        for quote in _QUOTE_CHARS:
            if quote in text:
                text = text.replace(quote, "'")
        # A substring test per character (a memchr) beats one regex pass over the text.
        for ch in _ASCII_SPACES:
            if ch in text:
                text = text.replace(ch, " ")
        if not text.isascii():
            for ch in _OTHER_SPACES:
                if ch in text:
                    text = text.replace(ch, " ")
        #: The text before runs of spaces were collapsed; the offset tables are built from it
        #: only when some offset is asked for (most articles need none).
        self._spaced: str | None = None
        self._run_starts: list[int] = []
        self._removed: list[int] = []
        self._kept: list[int] | None = None
        if "  " in text:
            self._spaced = text
            text = _RUNS.sub(" ", text)
        self.text = text

    def _tables(self) -> None:
        spaced, self._spaced = self._spaced, None
        removed = 0
        for m in _RUNS.finditer(spaced):  # type: ignore[arg-type]
            self._run_starts.append(m.start())
            removed += m.end() - m.start() - 1
            self._removed.append(removed)

    def original(self, p: int) -> int:
        """Original offset of the character at normalised offset ``p``, which is not a space
        (only spaces were removed, so such a character has exactly one origin)."""
        if self._spaced is not None:
            self._tables()
        if not self._run_starts:
            return p
        kept = self._kept
        if kept is None:  # normalised offset of each run's one kept space
            removed = self._removed
            kept = self._kept = [
                start - (removed[k - 1] if k else 0) for k, start in enumerate(self._run_starts)
            ]
        k = bisect_left(kept, p) - 1
        return p + self._removed[k] if k >= 0 else p

    def offset(self, i: int) -> int | None:
        """Normalised offset of original offset ``i``."""
        if not self.mappable:
            return None
        if self._spaced is not None:
            self._tables()
        k = bisect_right(self._run_starts, i - 1) - 1
        if k < 0:
            return i
        # Offsets inside a run of spaces map onto its one kept space.
        before = self._removed[k - 1] if k else 0
        run_len = self._removed[k] - before + 1
        inside = i - self._run_starts[k]
        if inside < run_len:
            return i - before - min(inside - 1, run_len - 1)
        return i - self._removed[k]


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


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _values(dicts: list, key: str) -> set[Any]:
    """``{d.get(key)}`` over a list of dicts, gathered in C (articles carry ~70 entities); may
    hold None and other non-str values, which callers skip. The careful loop is for hostile
    input: ``dict.get`` raises TypeError on a non-dict entry, ``set`` on an unhashable value."""
    try:
        return set(map(dict.get, dicts, repeat(key)))
    except TypeError:
        return {v for d in dicts if isinstance(d, dict) and isinstance(v := d.get(key), str)}


class _lazy:  # noqa: N801 - used like functools.cached_property
    """``functools.cached_property`` without its per-instance lock (Python 3.11 takes an RLock on
    every first access; a view has a dozen such attributes per article). Non-data descriptor:
    after the first access the value sits in the instance dict and costs a plain lookup."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


_EMPTY: frozenset[str] = frozenset()


class MatchScope:
    """The keys a rule set can ask about, and per-name caches restricted to them.

    An article names ~100 actors, entities and speakers and each name expands into every word run
    of it (``name_keys``), yet a rule set only ever tests a few of those keys. A name's keys are
    cut down to the ones some rule names, once per distinct name; names that yield none are
    remembered in a set, so an article's names cost one set difference in C and only new or
    relevant names a Python step. Restricting cannot change a result: every any/all/none test
    only asks whether one of *its* keys is present.

    ``names``/``said`` None: no restriction (a view built without a rule set, as tests do).
    """

    #: Names seen in articles are unbounded over time: start over rather than grow forever.
    MAX_CACHED = 65_536  # as the lru_caches of name_keys and speaker keys

    def __init__(
        self, names: frozenset[str] | None = None, said: frozenset[str] | None = None
    ) -> None:
        self.names = names
        self.said = said
        #: Actor ids some rule names (an id key without its "id:").
        self._ids = None if names is None else {k[3:] for k in names if k.startswith("id:")}
        self._name_cache: dict[str, frozenset[str]] = {}
        self._no_keys: set[Any] = set()
        #: (actor_id, speaker name, speaker text, that actor's name) as found in the article ->
        #: (restricted keys, any key at all, label for group_by)
        self.speakers: dict[tuple, tuple[frozenset[str], bool, str | None]] = {}

    def name_keys(self, name: str) -> frozenset[str]:
        """``name_keys(name)`` restricted to the keys rules name (``name`` is a str)."""
        found = self._name_cache.get(name)
        if found is None:
            found = _name_keys(name)
            if self.names is not None:
                found = found & self.names
            cache = self._name_cache
            if len(cache) >= self.MAX_CACHED:
                cache.clear()
            cache[name] = found
        return found

    def names_keys(self, names: set[Any]) -> set[str]:
        """Union of the restricted keys of the str names in ``names`` (other values skipped)."""
        found: set[str] = set()
        no_keys = self._no_keys
        for name in names - no_keys:
            keys = self.name_keys(name) if name and isinstance(name, str) else _EMPTY
            if keys:
                found |= keys
            else:
                if len(no_keys) >= self.MAX_CACHED:
                    no_keys.clear()
                no_keys.add(name)
        return found

    def ids_keys(self, ids: set[Any]) -> set[str]:
        """The id keys of the actor ids in ``ids`` that some rule names."""
        if self._ids is None:
            return {"id:" + aid for aid in ids if aid and isinstance(aid, str)}
        return {"id:" + aid for aid in ids & self._ids}

    def speaker(self, key: tuple) -> tuple[frozenset[str], bool, str | None]:
        """Entry of ``speakers`` for a key that is not there yet (values as found: any type)."""
        aid, name, text, actor_name = map(_str, key)
        keys = _speaker_key_set(aid, actor_name, name, text)
        found = (keys if self.names is None else keys & self.names, bool(keys),
                 aid or name or text or None)  # fmt: skip
        try:
            if len(self.speakers) >= self.MAX_CACHED:
                self.speakers.clear()
            self.speakers[key] = found
        except TypeError:  # an unhashable value (hostile input): not cached
            pass
        return found


_UNRESTRICTED = MatchScope()


class StatementView:
    """One statement: its resolved speaker keys and its content's keyword keys."""

    __slots__ = ("id", "speaker_keys", "speaker", "terms")

    def __init__(
        self, sid: str, speaker_keys: frozenset[str], speaker: str | None, terms: set[str]
    ) -> None:
        self.id = sid
        self.speaker_keys = speaker_keys
        #: How the speaker is reported for ``group_by: speaker``: actor id, else name.
        self.speaker = speaker
        self.terms = terms


class ArticleView:
    """What the conditions look at, computed once per article and only when some rule needs it.

    Headline and body are normalised and scanned once; statement contents (body offsets) take
    their keywords from that one scan. With a rule set's :class:`MatchScope`, name and statement
    key sets hold only keys some rule names (see there); without one they are complete.
    """

    def __init__(
        self, article: dict, scanner: KeywordScanner, scope: MatchScope | None = None
    ) -> None:
        self.article = article
        self._scanner = scanner
        self._scope = scope or _UNRESTRICTED

    # -- text

    @_lazy
    def _actors_by_id(self) -> dict[str, dict]:
        actors = _list(self.article.get("actors"))
        try:  # in C; the last actor with an id wins, as in a dict comprehension
            out = dict(zip(map(dict.get, actors, repeat("id")), actors, strict=True))
        except TypeError:  # a non-dict entry or an unhashable id (hostile input)
            out = {
                a["id"]: a for a in actors if isinstance(a, dict) and isinstance(a.get("id"), str)
            }
        for aid in [aid for aid in out if not (aid and isinstance(aid, str))]:
            del out[aid]
        return out

    @_lazy
    def _body(self) -> str:
        return _str(self.article.get("body"))

    @_lazy
    def _headline(self) -> str:
        return _str(self.article.get("headline"))

    @_lazy
    def _norm(self) -> NormalizedText:
        return NormalizedText(self._headline + _SEPARATOR + self._body)

    @_lazy
    def hits(self) -> list[tuple[int, int, str]]:
        if not self._scanner.size:
            return []
        return self._scanner.hits(self._norm.text)

    @_lazy
    def text_terms(self) -> set[str]:
        return {key for _, _, key in self.hits}

    @_lazy
    def _sep(self) -> int:
        sep = self._norm.offset(len(self._headline))
        return sep if sep is not None else self._norm.text.find("\x00")

    # -- statements

    @_lazy
    def _said_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, key) in body offsets of the hits a ``said`` test can ask about, so a
        statement picks its terms by comparing its own offsets: no mapping per statement."""
        said = self._scope.said
        norm = self._norm
        at = len(self._headline) + len(_SEPARATOR)
        out = []
        for hs, he, key in self.hits:
            if said is None or key in said:
                # Hits start and end on non-space characters, which map back one to one.
                start = norm.original(hs) - at
                if start >= 0:
                    out.append((start, norm.original(he - 1) + 1 - at, key))
        out.sort()  # by start: statements look their spans up by bisection
        return out

    @_lazy
    def statements(self) -> list[StatementView]:
        """Every statement with its speaker keys and terms: one tight loop (an enriched article
        has ~20 statements and this runs for every article)."""
        scope = self._scope
        actors_by_id = self._actors_by_id
        # statement id -> (keys of the actors that list it, the first such actor's id)
        spoken_by: dict[str, tuple[frozenset[str], str]] = {}
        for aid, actor in actors_by_id.items():
            sids = actor.get("statements")
            if sids and isinstance(sids, list):
                keys = scope.ids_keys({aid})
                name = actor.get("name")
                if name and isinstance(name, str):
                    keys = keys | scope.name_keys(name)
                keys = frozenset(keys)
                for sid in sids:
                    if isinstance(sid, str):
                        got = spoken_by.get(sid)
                        spoken_by[sid] = (keys, aid) if got is None else (got[0] | keys, got[1])
        body = self._body
        scanning = self._scanner.size > 0
        mappable = scanning and self._norm.mappable
        spans = self._said_spans if mappable else []
        span_starts = [start for start, _, _ in spans]
        scan = self._scanner.scan
        speakers = scope.speakers
        texts: list[str] = []
        self._speaker_texts = texts
        out = []
        append = out.append
        has_speaker = False
        n = -1
        for stmt in _list(self.article.get("statements")):
            if not isinstance(stmt, dict):
                continue
            n += 1
            sid = stmt.get("id")
            if not sid or not isinstance(sid, str):
                sid = f"#{n}"
            speaker = stmt.get("speaker")
            if isinstance(speaker, dict):
                aid = speaker.get("actor_id")
                text = speaker.get("text")
                actor = actors_by_id.get(aid) if isinstance(aid, str) else None
                key = (aid, speaker.get("name"), text,
                       actor.get("name") if actor is not None else None)  # fmt: skip
                try:
                    keys, known, label = speakers[key]
                except (KeyError, TypeError):
                    keys, known, label = scope.speaker(key)
                if isinstance(text, str):
                    texts.append(text)
            else:
                keys, known, label = _EMPTY, False, None
            if sid in spoken_by:
                listed_keys, listed_by = spoken_by[sid]
                keys = keys | listed_keys
                known = True
                label = label or listed_by
            has_speaker = has_speaker or known
            content = stmt.get("content")
            if isinstance(content, dict):
                text = content.get("text")
                if not isinstance(text, str):
                    text = ""
                start, end = content.get("start"), content.get("end")
                if (
                    isinstance(start, int)
                    and isinstance(end, int)
                    and 0 <= start <= end
                    # == body[start:end] == text, without copying the slice
                    and (len(text) == end - start and body.startswith(text, start)
                         or end > len(body) and body[start:end] == text)
                    and (mappable or not scanning)
                ):  # fmt: skip
                    i = bisect_left(span_starts, start)
                    if i == len(span_starts) or span_starts[i] >= end:
                        terms = set()  # no said-relevant hit inside: most statements
                    else:
                        terms = {k for s, e, k in spans[i:] if s < end and e <= end}
                else:  # no usable offsets into the body: scan the statement on its own
                    terms = scan(text)
            else:
                terms = scan(_str(content))
            append(StatementView(sid, keys, label, terms))
        self.__dict__["has_speaker"] = has_speaker
        return out

    @_lazy
    def has_speaker(self) -> bool:
        """Some statement has a resolved speaker (any key at all, whatever the rules name)."""
        self.statements  # noqa: B018 - sets has_speaker as it goes
        return self.__dict__["has_speaker"]

    @_lazy
    def speaker_keys(self) -> set[str]:
        return set().union(*(s.speaker_keys for s in self.statements))

    @_lazy
    def said_terms(self) -> set[str]:
        return set().union(*(s.terms for s in self.statements))

    @_lazy
    def statements_by_speaker(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for n, stmt in enumerate(self.statements):
            for key in stmt.speaker_keys:
                index.setdefault(key, []).append(n)
        return index

    # -- mentions, entities, fields

    @_lazy
    def actor_keys(self) -> set[str]:
        """Every actor mentioned anywhere: article actors, entities, statement speakers."""
        scope = self._scope
        actors = self._actors_by_id
        entities = _list(self.article.get("entities"))
        names = _values(list(actors.values()), "name")
        names |= _values(entities, "text")
        self.statements  # noqa: B018 - collects the speakers' texts
        names.update(self._speaker_texts)
        ids = _values(entities, "actor_id")
        ids.update(actors)
        return scope.names_keys(names) | scope.ids_keys(ids) | self.speaker_keys

    @_lazy
    def label_keys(self) -> set[str]:
        labels = _values(_list(self.article.get("entities")), "label")
        return {label_key(label) for label in labels if label and isinstance(label, str)}

    @_lazy
    def source_keys(self) -> set[str]:
        source = _str(self.article.get("source"))
        return {source_key(source)} if source.strip() else set()

    @_lazy
    def language_keys(self) -> set[str]:
        lang = _str(self.article.get("language"))
        return {lang_key(lang)} if lang.strip() else set()

    def keys(self, index: str) -> set[str]:
        return getattr(self, _INDEX_ATTR[index])

    # -- near

    def positions(self, key: str) -> list[tuple[int, int]]:
        """(word number, side) of each hit of ``key``; side 0 headline, 1 body."""
        text, sep = self._norm.text, self._sep
        return [(text.count(" ", 0, hs), hs > sep) for hs, _, k in self.hits if k == key]


@lru_cache(maxsize=65536)
def _speaker_key_set(aid: str, actor_name: str, name: str, text: str) -> frozenset[str]:
    """The resolved speaker: actor id, that actor's name, and speaker.name (speaker.text only
    when nothing resolved; "NATO's Chief Jens Stoltenberg" should not make NATO the speaker
    when the name says Jens Stoltenberg)."""
    keys: set[str] = set()
    if aid:
        keys.add("id:" + aid)
        if actor_name:
            keys |= _name_keys(actor_name)
    if name:
        keys |= _name_keys(name)
    elif not aid and text:
        keys |= _name_keys(text)
    return frozenset(keys)


_INDEX_ATTR = {
    "text": "text_terms",
    "said": "said_terms",
    "actor": "actor_keys",
    "speaker": "speaker_keys",
    "label": "label_keys",
    "source": "source_keys",
    "language": "language_keys",
}
#: The native engine's index numbers (its TEXT, SAID, ... constants).
_NATIVE_INDEX = {name: n for n, name in enumerate(
    ("text", "said", "actor", "speaker", "label", "source", "language"))}  # fmt: skip
#: Tie-break between equally shared anchors: speakers are rarer than mentions than words.
_INDEX_COST = {"speaker": 0, "actor": 1, "said": 2, "text": 3, "label": 4, "source": 5,
               "language": 6}  # fmt: skip


# --------------------------------------------------------------------------- conditions


class Matched:
    """What a rule's conditions found; one per candidate rule and article (plain slots: a
    dataclass with four default factories costs twice as much to create)."""

    __slots__ = ("keywords", "actors", "statements", "speakers")

    def __init__(self) -> None:
        self.keywords: list[str] = []
        self.actors: list[str] = []
        self.statements: list[str] = []
        self.speakers: list[str] = []

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "keywords": _unique(self.keywords),
            "actors": _unique(self.actors),
            "statements": _unique(self.statements),
        }


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items)) if len(items) > 1 else list(items)


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

    def positive_keys(self) -> frozenset[str]:
        return frozenset().union(*(t.keys for t in (*self.any, *self.all)))


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
class NearCondition(Condition):
    """``near``: two keywords at most ``within`` words apart, in the headline or in the body."""

    first: _Term
    second: _Term
    within: int

    def test(self, view: ArticleView, matched: Matched) -> bool:
        (a,), (b,) = self.first.keys, self.second.keys
        if a not in view.text_terms or b not in view.text_terms:
            return False
        pa, pb = view.positions(a), view.positions(b)
        for wa, side_a in pa:
            for wb, side_b in pb:
                if side_a == side_b and abs(wa - wb) <= self.within and (a != b or wa != wb):
                    matched.keywords += [self.first.label, self.second.label]
                    return True
        return False

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        return [("text", self.first.keys), ("text", self.second.keys)]

    def keyword_keys(self) -> set[str]:
        return set(self.first.keys | self.second.keys)


@dataclass
class ActorCondition(Condition):
    """``actors``: actors mentioned anywhere in the article; with ``quoted: true`` they must
    be a statement's speaker, with ``quoted: false`` mentioned but never a speaker."""

    terms: TermTest
    quoted: bool | None = None

    def test(self, view: ArticleView, matched: Matched) -> bool:
        found = view.speaker_keys if self.quoted else view.actor_keys
        hits = self.terms.test(found)
        if hits is None:
            return False
        if self.quoted is False:
            speakers = view.speaker_keys
            present = [t for t in (*self.terms.any, *self.terms.all) if t.label in hits]
            if any(not t.keys.isdisjoint(speakers) for t in present):
                return False
        matched.actors += hits
        return True

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        index = "speaker" if self.quoted else "actor"
        return [(index, keys) for keys in self.terms.anchors()]


@dataclass
class QuotedCondition(Condition):
    """``quoted: true`` without ``actors``: someone with a resolved speaker is quoted."""

    quoted: bool

    def test(self, view: ArticleView, matched: Matched) -> bool:
        return view.has_speaker == self.quoted


@dataclass
class KeySetCondition(Condition):
    """Entity labels, source or language: any/all/none over one of the article's key sets."""

    index: str
    terms: TermTest

    def test(self, view: ArticleView, matched: Matched) -> bool:
        return self.terms.test(view.keys(self.index)) is not None

    def anchors(self) -> list[tuple[str, frozenset[str]]]:
        return [(self.index, keys) for keys in self.terms.anchors()]


@dataclass
class StatementCondition(Condition):
    """``speaker`` + ``said``: some statement by one of the speakers (any speaker when no
    ``speaker``) whose content satisfies ``said`` (any content when no ``said``)."""

    speaker: TermTest | None
    said: TermTest | None

    def __post_init__(self) -> None:
        self._speaker_keys = self.speaker.positive_keys() if self.speaker else frozenset()

    def test(self, view: ArticleView, matched: Matched) -> bool:
        statements = view.statements
        if self.speaker:
            index = view.statements_by_speaker
            # Intersection in C: a rule's speaker keys (ids, names, aliases) outnumber an
            # article's speakers.
            found = index.keys() & self._speaker_keys
            if not found:
                return False
            picked = sorted({n for k in found for n in index[k]})
            candidates = [statements[n] for n in picked]
        else:
            candidates = statements
        ok = False
        for stmt in candidates:
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
            if stmt.speaker:
                matched.speakers.append(stmt.speaker)
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
        self,
        rules: Iterable[Rule],
        actors: ActorIndex | None = None,
        source: str = "<rules>",
        engine: str | None = None,
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
        #: ``native`` or ``python``: which engine ``match`` uses (see the module docs).
        self.engine = _choose_engine(engine)
        self._native: Any = None
        gc_was_enabled = gc.isenabled()
        gc.disable()  # compiling allocates many small, long-lived objects; GC passes only cost
        try:
            self._compile_all()
            if self.engine == "native":
                self._native = self._build_native()
        finally:
            if gc_was_enabled:
                gc.enable()
        # The compiled rules live as long as the process and hold no garbage cycles: move them
        # out of the cyclic GC's sight, or every full collection walks 100k rules' objects
        # (measured: 8 ms instead of 0.3 ms per article at 100k rules). Refcounting still
        # frees them when a reload replaces this rule set.
        gc.freeze()

    def _compile_all(self) -> None:
        self._compiled = [self._compile(rule) for rule in self.rules]
        self._keyword_keys = {
            k for c in self._compiled for cond in c.conditions for k in cond.keyword_keys()
        }
        self._scanner = KeywordScanner(self._keyword_keys)
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
        self._active = [(name, p) for name, p in self._postings.items() if p]
        said: set[str] = set()
        for compiled in self._compiled:
            for cond in compiled.conditions:
                if isinstance(cond, StatementCondition) and cond.said:
                    said |= _all_keys(cond.said)
        self._scope = MatchScope(
            names=frozenset().union(*(t.keys for (kind, _), t in self._terms.items()
                                      if kind == "name")),
            said=frozenset(said),
        )  # fmt: skip

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
        if self._native is not None:
            alerts = self._native.match_article(article, now)
            if alerts is not None:
                return alerts
        return self._match_python(article, now)

    def match_python(self, article: dict, now: datetime | None = None) -> list[dict]:
        """``match`` by the pure-Python engine whatever ``engine`` says (reference, bench)."""
        if not isinstance(article, dict):
            raise TypeError(f"expected an enriched article mapping, got {type(article).__name__}")
        return self._match_python(article, now)

    def clear_caches(self) -> None:
        """Forget every per-name cache (both engines'): the bench starts each engine cold."""
        self._scope = MatchScope(self._scope.names, self._scope.said)
        _name_keys.cache_clear()
        _speaker_key_set.cache_clear()
        if self._native is not None:
            self._native.clear_caches()

    def native_counts(self) -> tuple[int, int] | None:
        """(articles matched natively, articles handed back to Python), None without native."""
        if self._native is None:
            return None
        return self._native.native_articles, self._native.python_articles

    def _build_native(self) -> Any:
        """The compiled rules as the native engine's tables: every key (keyword, name, label,
        source, language; one namespace each) becomes a small int, every term a label and its
        key ints, every condition a tuple."""
        kid: dict[str, int] = {}

        def key(k: str) -> int:
            found = kid.get(k)
            if found is None:
                found = kid[k] = len(kid)
            return found

        ns = {"text": "k\0", "said": "k\0", "actor": "", "speaker": "", "label": "l\0",
              "source": "s\0", "language": "g\0"}  # fmt: skip
        kw = ns["text"]
        terms: list[tuple[str, list[int]]] = []
        term_ids: dict[int, int] = {}

        def term(t: _Term, prefix: str) -> int:
            found = term_ids.get(id(t))
            if found is None:
                found = term_ids[id(t)] = len(terms)
                terms.append((t.label, [key(prefix + k) for k in sorted(t.keys)]))
            return found

        def test(tt: TermTest | None, prefix: str) -> tuple | None:
            if tt is None:
                return None
            return tuple([term(t, prefix) for t in group] for group in (tt.any, tt.all, tt.none))

        def encode(compiled: CompiledRule) -> list[tuple]:
            conds: list[tuple] = []
            for c in compiled.conditions:
                if isinstance(c, KeySetCondition):
                    conds.append(("keyset", _NATIVE_INDEX[c.index], test(c.terms, ns[c.index])))
                elif isinstance(c, TextCondition):
                    conds.append(("text", test(c.terms, kw)))
                elif isinstance(c, NearCondition):
                    (a,), (b,) = c.first.keys, c.second.keys
                    conds.append(("near", term(c.first, kw), term(c.second, kw), key(kw + a),
                                  key(kw + b), c.within))  # fmt: skip
                elif isinstance(c, ActorCondition):
                    conds.append(("actor", test(c.terms, ""), c.quoted))
                elif isinstance(c, QuotedCondition):
                    conds.append(("quoted", c.quoted))
                elif isinstance(c, StatementCondition):
                    conds.append(("statement", test(c.speaker, ""), test(c.said, kw),
                                  [key(k) for k in sorted(c._speaker_keys)]))  # fmt: skip
                else:  # pragma: no cover - a new condition class needs its native twin
                    raise TypeError(f"no native form for {type(c).__name__}")
            return conds

        def fields(article: dict, now: datetime | None) -> tuple:
            article_id, id_suffix, rest = _article_fields(article)
            return (_iso_utc(now), article_id, id_suffix, *rest)

        # The engine's callbacks reach this rule set through a weak reference: a strong one would
        # make a cycle, and as the rule set is frozen out of the GC's sight (see __init__) a
        # replaced rule set would then never be freed.
        me = weakref.ref(self)

        def name_ids(name: str) -> list[int]:
            # the rule set's scope when called, not now (clear_caches and tests replace it)
            scope = me()._scope  # type: ignore[union-attr]
            return [i for k in scope.name_keys(name) if (i := kid.get(k)) is not None]

        def speaker(aid: str, name: str, text: str, actor_name: str) -> tuple:
            scope = me()._scope  # type: ignore[union-attr]
            keys, known, label = scope.speaker((aid, name, text, actor_name))
            return [i for k in keys if (i := kid.get(k)) is not None], known, label

        def label(value: str) -> int | None:
            return kid.get(ns["label"] + label_key(value))

        def source(value: str) -> int | None:
            return kid.get(ns["source"] + source_key(value)) if value.strip() else None

        def language(value: str) -> int | None:
            return kid.get(ns["language"] + lang_key(value)) if value.strip() else None

        engine = _native.Engine("".join(_OTHER_SPACES), name_ids, speaker, label, source,
                                language, str.isalnum, fields)  # fmt: skip
        # In chunks: the encoded form of 100k rules never exists all at once (memory).
        chunk = 4096
        for start in range(0, len(self._compiled), chunk):
            part = self._compiled[start : start + chunk]
            engine.add_rules(
                [encode(c) for c in part],
                [(r.id, r.description, [s if isinstance(s, str) else s.as_json() for s in r.sinks],
                  r.group_by) for r in (c.rule for c in part)],
            )  # fmt: skip
        patterns = []
        stems: dict[str, list[str | None]] = {}
        for k in sorted(self._keyword_keys):
            prefix = k.endswith("*")
            stems.setdefault(k[:-1] if prefix else k, [None, None])[1 if prefix else 0] = k
        for stem, (exact, prefix_key) in stems.items():
            patterns.append((stem, None if exact is None else key(kw + exact),
                             None if prefix_key is None else key(kw + prefix_key),
                             is_word_char(stem[0]), is_word_char(stem[-1])))  # fmt: skip
        postings = [
            {key(ns[name] + k): positions for k, positions in self._postings[name].items()}
            for name in _NATIVE_INDEX
        ]
        scope = self._scope
        said = [key(kw + k) for k in sorted(scope.said or ())]
        for k in sorted(scope.names or ()):
            key(k)
        rule_ids = {k[3:]: key(k) for k in sorted(scope.names or ()) if k.startswith("id:")}

        # names found in articles are turned into keys natively when ASCII (normalize_name's
        # rules there; other text asks ``name_ids`` / ``speaker``): the word runs rules name
        name_map = {k[2:]: kid[k] for k in scope.names or () if k.startswith("n:")}
        engine.finish(len(kid), patterns, terms, postings, self._always, said, rule_ids,
                      name_map)  # fmt: skip
        return engine

    def _match_python(self, article: dict, now: datetime | None = None) -> list[dict]:
        view = ArticleView(article, self._scanner, self._scope)
        alerts = []
        created_at = fields = None
        compiled_rules = self._compiled
        for pos in self._candidates(view):
            compiled = compiled_rules[pos]
            matched = compiled.evaluate(view)
            if matched is None:
                continue
            if fields is None:
                created_at, fields = _iso_utc(now), _article_fields(article)
            alerts.append(_make_alert(compiled.rule, article, matched, created_at, view, fields))
        return alerts

    # -- internals

    def _candidates(self, view: ArticleView) -> list[int]:
        found: set[int] = set(self._always)
        for index, postings in self._active:
            # Set intersection in C: only keys some rule is anchored on cost a Python step.
            for key in postings.keys() & view.keys(index):
                found.update(postings[key])
        return sorted(found)

    def _compile(self, rule: Rule) -> CompiledRule:
        conditions: list[Condition] = []
        if rule.source:
            conditions.append(KeySetCondition("source", self._key_test(rule.source, source_key)))
        if rule.language:
            conditions.append(KeySetCondition("language", self._key_test(rule.language, lang_key)))
        if rule.entities:
            conditions.append(KeySetCondition("label", self._key_test(rule.entities, label_key)))
        if rule.keywords:
            conditions.append(TextCondition(self._keyword_test(rule.keywords)))
        for near in rule.near:
            conditions.append(
                NearCondition(
                    self._keyword_term(near.first), self._keyword_term(near.second), near.within
                )  # fmt: skip
            )
        if rule.actors:
            conditions.append(
                ActorCondition(self._actor_test(rule, "actors", rule.actors), rule.quoted)
            )
        elif rule.quoted is not None:
            conditions.append(QuotedCondition(rule.quoted))
        if rule.speaker or rule.said:
            speaker = (
                self._actor_test(rule, "speaker", Terms(any=rule.speaker)) if rule.speaker else None
            )
            said = self._keyword_test(rule.said) if rule.said else None
            conditions.append(StatementCondition(speaker, said))
        return CompiledRule(rule, conditions)

    def _keyword_term(self, label: str) -> _Term:
        found = self._terms.get(("kw", label))
        if found is None:
            found = self._terms["kw", label] = _Term(label, frozenset([keyword_key(label)]))
        return found

    def _keyword_test(self, terms: Terms) -> TermTest:
        def build(labels: tuple[str, ...]) -> tuple[_Term, ...]:
            return tuple(self._keyword_term(t) for t in labels)

        return TermTest(build(terms.any), build(terms.all), build(terms.none))

    def _key_test(self, terms: Terms, norm) -> TermTest:
        def build(labels: tuple[str, ...]) -> tuple[_Term, ...]:
            return tuple(_Term(label, frozenset([norm(label)])) for label in labels)

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


def _group(rule: Rule, matched: Matched, view: ArticleView) -> str | None:
    if rule.group_by == "speaker":
        if matched.speakers:
            return matched.speakers[0]
        return next((s.speaker for s in view.statements if s.speaker), None)
    if rule.group_by == "actor":
        return matched.actors[0] if matched.actors else None
    return None


def _article_fields(article: dict) -> tuple[str, bytes, tuple]:
    """Article id, its alert-id suffix, and the alert fields taken from the article: read once
    per article, not once per alert."""
    article_id = str(article.get("id", ""))
    fields = (article.get("version"), article.get("uri"), _str(article.get("headline")),
              article.get("source"), article.get("language"))  # fmt: skip
    return article_id, f":{article_id}".encode(), fields


def _make_alert(
    rule: Rule,
    article: dict,
    matched: Matched,
    created_at: str,
    view: ArticleView | None = None,
    fields: tuple[str, bytes, tuple] | None = None,
) -> dict:
    article_id, id_suffix, (version, uri, headline, source, language) = fields or _article_fields(
        article
    )
    alert = {
        # == alert_id(rule.id, article_id)
        "id": hashlib.sha1(rule.id.encode() + id_suffix).hexdigest()[:16],
        "rule_id": rule.id,
        "rule_description": rule.description,
        "article_id": article_id,
        "article_version": version,
        "uri": uri,
        "headline": headline,
        "source": source,
        "language": language,
        "matched": matched.as_dict(),
        "sinks": [s if isinstance(s, str) else s.as_json() for s in rule.sinks],
        "created_at": created_at,
    }
    if rule.group_by and view is not None:
        alert["group"] = _group(rule, matched, view)
    return alert
