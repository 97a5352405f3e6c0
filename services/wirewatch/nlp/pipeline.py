"""The public entry of the NLP room: :class:`Enricher` turns raw articles into enriched ones.

    enricher = Enricher()                      # loads spaCy once
    enriched = enricher.enrich_batch(articles) # nlp.pipe over the bodies

The Kafka agents, ``wirewatch enrich`` and ``wirewatch eval`` all call exactly this.
Output is plain JSON types only (the caller encodes with orjson).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Token

from wirewatch.actors import ActorIndex
from wirewatch.nlp.common import (
    CUE_LEMMAS,
    QUOTE_CHARS,
    SPEECH_VERBS,
    Found,
    datelines,
    doc_text,
    narration_between,
    paragraph_starts,
    reattach_closing_speaker,
    reattach_tense_mismatched_conjuncts,
    remember_text,
    retag_cue_verbs,
    words,
)
from wirewatch.nlp.common import lemma as cue_lemma
from wirewatch.nlp.entities import ACTOR_LABELS, EntityTable
from wirewatch.nlp.gazetteer import add_actor_names
from wirewatch.nlp.model import default_model_name, load_model
from wirewatch.nlp.quotes import find_direct, find_quotes, find_turns, reattach_escaped_conjuncts
from wirewatch.nlp.reported import CONTENT_NOUNS, find_reported
from wirewatch.nlp.resolve import Resolver

#: Bump when the enrichment output changes meaning (rules, fields).
ENRICHMENT_VERSION = "1"
ARTICLE_FIELDS = ("id", "version", "uri", "headline", "body", "language", "source", "published_at")
#: A floating quote continues a speaker named at most this many paragraphs back (the same or the
#: previous paragraph); further back, or with no speaker at all, a quotation without a cue is a
#: title, slogan or embedded post as often as anyone's words, and is not reported.
FLOATING_MAX_PARAGRAPHS = 1


def statement_id(article_id: str, version: int, start: int, end: int) -> str:
    return hashlib.sha1(f"{article_id}:{version}:{start}:{end}".encode()).hexdigest()[:16]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _spoken(f: Found) -> list[tuple[int, int]]:
    """The parts of a statement that are the speaker's words: a quotation merged over its cue
    clause ("“A,” X said, speaking of Y. “B.”") leaves the narration between its parts out."""
    a, b = f.content
    out = []
    for g0, g1 in f.extra.get("gaps", ()):
        out.append((a, g0))
        a = g1
    out.append((a, b))
    return out


def _in_gap(f: Found, cue: Token) -> bool:
    """``cue`` is in the narration between the parts of quotation ``f``, and not in a relative
    clause there (", said Ann Lee, who has long backed the plan": the speaker's biography)."""
    for g0, g1 in f.extra.get("gaps", ()):
        if g0 <= cue.idx < g1:
            t = cue
            while t.head.i != t.i and g0 <= t.idx < g1:
                if t.dep_ == "relcl":
                    return False
                t = t.head
            return True
    return False


def find_statements(doc: Doc, headline: bool = True) -> tuple[list[Found], list[tuple[int, int]]]:
    """Direct, mixed and indirect statements of ``doc`` (speakers not yet resolved).
    ``headline``: the text may open with its headline (False when it is known not to)."""
    retag_cue_verbs(doc)
    text = doc_text(doc)
    quotes = find_quotes(text)
    reattach_escaped_conjuncts(doc, quotes)
    reattach_tense_mismatched_conjuncts(doc)
    reattach_closing_speaker(doc)
    direct, used = find_direct(doc, quotes)
    turns = find_turns(doc)
    if turns:
        inside = [t.content for t in turns]
        direct = [d for d in direct if not any(_overlap(d.content, t) for t in inside)] + turns
    direct_spans = [span for f in direct for span in _spoken(f)]
    # words inside quotation marks are the quoted person's, never our cue
    quoted = direct_spans + [(q.start, q.end) for q in quotes]
    reported = find_reported(doc, used, quoted)
    kept = list(direct)
    for f in reported:
        # a duplicate lies (mostly) inside a direct quote; a reported clause that merely contains
        # someone else's quote ("She said A, and B replied, “…”") is a statement of its own
        dup = any(
            _overlap(f.content, d) >= 0.8 * (f.content[1] - f.content[0]) for d in direct_spans
        )
        if not dup:
            kept.append(f)
    kept.sort(key=lambda f: (f.content[0], -f.content[1]))
    # a headline report taken to its end holds the headline's other cues
    found = _drop_nested(_headline_tails(kept, text) if headline else kept)
    return _merge_following_quotes(found, text), direct_spans


#: A first line this long or shorter, with the story after it, is a headline.
HEADLINE_MAX_WORDS = 20
#: Where a headline's clause ends: a comma or semicolon opens another ("..., who says ...").
CLAUSE_BREAK = re.compile(r"[,;]")


def _opens_with_headline(text: str, headline: object) -> bool:
    """The body may open with its headline: it has none of its own (plain text, where the first
    line stands in for one), or its first line is that headline. A feed's body with a separate
    headline opens with the story's lede."""
    if not isinstance(headline, str) or not headline.strip():
        return True
    first = text.lstrip().split("\n", 1)[0]
    return first.strip().rstrip(".").lower() == headline.strip().rstrip(".").lower()


def _headline_tails(found: list[Found], text: str) -> list[Found]:
    """ "Senator Calls Plan ‘a Disgrace’ During Campaign Stop": a headline is telegraphic, so what
    follows its cue is what was said, to the end of the headline's clause; the parse, reading
    the line as a sentence, leaves adjuncts out ("during campaign stop", "as he ...")."""
    end = text.find("\n")
    line = text[:end]
    if end < 0 or len(line.split()) > HEADLINE_MAX_WORDS:
        return found  # no headline: the first line is the story's own first sentence
    stop = len(line.rstrip().rstrip("."))
    for f in found:
        a, b = f.content
        if a >= len(line) or b >= stop or f.kind == "direct" or f.cue is None or f.cue.idx >= a:
            continue
        brk = CLAUSE_BREAK.search(line, b, stop)
        cut = brk.start() if brk else stop
        while cut > b and line[cut - 1].isspace():
            cut -= 1
        if cut > b:
            f.content = (a, cut)
            if f.kind == "indirect" and any(q in text[a:cut] for q in QUOTE_CHARS):
                f.kind = "mixed"
    return found


#: Marks that close a quotation.
CLOSING_MARKS = frozenset('”"')
#: Only sentence ends and quotation marks between a reported clause and the quote after it.
SENTENCE_SEAM = re.compile(r"[\s.,;:!?\"'“”‘’]*")


def _past_datelines(doc: Doc, found: list[Found], filed: list[tuple[int, int]]) -> list[Found]:
    """ "GENEVA — Brazil has asked ...": a statement or speaker that opens its paragraph starts
    after the dateline (changed in place); a speaker wholly inside a dateline is the place the
    story was filed from, which says nothing (the statement goes)."""
    out = []
    for f in found:
        inside = False
        for a, b in filed:
            if a <= f.content[0] < b < f.content[1]:
                f.content = (b, f.content[1])
            sp = f.speaker
            if sp is not None and a <= sp.start_char < b < sp.end_char:
                rest = doc.char_span(b, sp.end_char, alignment_mode="contract")
                f.speaker = rest if rest is not None and len(rest) else sp
            elif sp is not None and a <= sp.start_char and sp.end_char <= b:
                inside = True
        if not inside:
            out.append(f)
    return out


def _merge_following_quotes(found: list[Found], text: str) -> list[Found]:
    """ "A, Schiff said. “B.”": the floating quote right after a cue-final statement in the same
    paragraph continues it; one statement from A to B, as for “A,” X said. “B.”. So does a quote
    opening the very next sentence after a reported clause ("Lee called him a born dealmaker.
    “He never gave up.”"): the speaker goes on in their own words. A quote the reported clause
    already runs into is part of it."""
    paras = paragraph_starts(text)
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and f.how == "quote-floating"
            and prev.how in ("verb", "quote-cue")
            and prev.cue is not None
            and bisect_right(paras, prev.content[0]) == bisect_right(paras, f.content[0])
            and (
                prev.content[1] <= prev.cue.idx < f.content[0]
                and not narration_between(prev.cue.doc, prev.content[1], f.content[0], prev.cue)
                or prev.how == "verb"
                and prev.cue.idx < prev.content[0]
                and (
                    # the reported clause already runs into the quote it opens
                    f.content[0] < prev.content[1]
                    or SENTENCE_SEAM.fullmatch(text, prev.content[1], f.content[0]) is not None
                )
            )
        ):
            end = max(prev.content[1], f.content[1])
            if prev.kind != "direct":
                # a reported clause that takes in a quotation keeps both its marks (a direct
                # quote's content lies inside its marks)
                if text[end : end + 1] in CLOSING_MARKS:
                    end += 1
                prev.kind = "mixed"
            prev.content = (prev.content[0], end)
            continue
        out.append(f)
    return out


#: Verbs that report someone's words outright; nested inside another statement they still name
#: the original source ("TASS reported that the ministry said ...").
RELAYED_SPEECH = frozenset(("say", "tell"))
#: Verbs relayed with a clause of what was said ("the outlet reported that an audit had *warned*
#: the beams were failing"); as widely as every verb of saying they add more false statements than
#: they find on PolNeAR dev (announce, note, suggest, show).
RELAYED_CLAUSES = frozenset(("warn",))


def _relayed(f: Found) -> bool:
    """A statement relayed inside another ("TASS reported that the ministry *said* X"): a plain
    verb of saying with a speaker of its own."""
    if f.cue is None or f.speaker is None:
        return False
    lemma = cue_lemma(f.cue)
    # "..., arguing that ...": a participle of any verb of saying, with a clause of what was said,
    # relays its subject's words
    if lemma not in RELAYED_SPEECH and not (
        (f.cue.tag_ == "VBG" or lemma in RELAYED_CLAUSES)
        and lemma in SPEECH_VERBS
        and any(c.dep_ == "ccomp" for c in f.cue.children)
    ):
        return False
    # a description speaks too ("Reuters reported that *the company* said"); a pronoun inside
    # someone else's words is theirs to resolve
    root = f.speaker.root
    return (
        root.pos_ in ("NOUN", "PROPN")
        # "one of the rescue workers said": one of a group of people
        or root.lower_ == "one"
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children)
        or any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in f.speaker)
    )


def _drop_nested(found: list[Found]) -> list[Found]:
    """A statement whose cue lies inside someone else's reported words is part of that statement
    ("the ministry said the army *intends* to strike", "she noted that clients *demand* ..."),
    not a statement of its own; only a named source's relayed words stand on their own."""
    out = []
    for f in found:
        if (
            f.cue is not None
            and not f.how.startswith("quote")  # a quotation with its own cue stands alone
            and not _relayed(f)
            and any(
                g is not f and g.content[0] <= f.cue.idx < g.content[1] and not _in_gap(g, f.cue)
                for g in found
            )
        ):
            continue
        out.append(f)
    return out


#: Short words a Title Case headline leaves in lower case.
TITLE_SMALL = words("a an the of to in on for and or at by with as but from vs")


def _title_case(line: str) -> bool:
    """A headline in Title Case: most of its (non-small) words capitalised."""
    words = [w for w in line.split() if w[:1].isalpha()]
    big = [w for w in words if w.lower() not in TITLE_SMALL]
    if len(words) < 3 or len(words) > 25 or not big:
        return False
    return sum(w[0].isupper() for w in big) >= 0.8 * len(big)


HEADLINE_CUES = CUE_LEMMAS | CONTENT_NOUNS


def _cue_word(doc: Doc, end: int) -> bool:
    """A word before ``end`` that may be a cue verb or noun ("Vows", "Questions", "Refusal"),
    whatever the tagger made of it."""
    for t in doc:
        if t.idx >= end:
            break
        low = t.lower_
        if any(form in HEADLINE_CUES for form in (low, low[:-1], low[:-2])):
            return True
    return False


def _onto(doc: Doc, f: Found) -> Found | None:
    """A statement found on a same-length copy of the text, moved onto ``doc``."""
    cue = None
    if f.cue is not None:
        span = doc.char_span(f.cue.idx, f.cue.idx + len(f.cue.text), alignment_mode="expand")
        if span is None:
            return None
        cue = span[0]
    speaker = None
    if f.speaker is not None:
        speaker = doc.char_span(f.speaker.start_char, f.speaker.end_char, alignment_mode="expand")
        if speaker is None:
            return None
    return Found(f.kind, f.content, cue, speaker, f.how, f.confidence, f.paragraph, f.extra)


#: A quotation opens after a colon in a headline: at the start of a word.
HEADLINE_QUOTE = re.compile(r"(?:^|\s)['\"“‘]\w")


def _headline_colon(doc: Doc, found: list[Found]) -> list[Found]:
    """ "Warren to Bank Chief: ‘You Should Resign’", "A lesson from Jane Doe: 'Be kind.'": the
    headline convention of a named person or body, a colon and their (quoted) words. The part
    after the colon is the statement, the first name before it the speaker; only a headline the
    other rules left without a statement, and only with quoted words after the colon."""
    text = doc_text(doc)
    end = text.find("\n")
    line = text if end < 0 else text[:end]
    colon = line.find(": ")
    if colon < 0 or any(f.content[0] < len(line) for f in found):
        return found
    rest = line[colon + 1 :]
    if not HEADLINE_QUOTE.search(rest):
        return found
    who = next((e for e in doc.ents if e.end_char <= colon and e.label_ in ("PERSON", "ORG")), None)
    if who is None:
        # "Obama on Climate Change: ...": a name the model did not tag, opening the headline
        n = 0
        while n < 3 and doc[n].pos_ == "PROPN" and doc[n].is_title:
            n += 1
        if n and (doc[n].pos_ == "ADP" or doc[n].text == ":"):
            who = doc[:n]
    cue = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if who is None or cue is None:
        return found
    start = colon + 1 + (len(rest) - len(rest.lstrip()))
    stop = len(line.rstrip())
    if stop - start < 3:
        return found
    kind = "direct" if line[start] in "'\"“‘" else "mixed"
    return [Found(kind, (start, stop), cue[0], who, "quote-cue", 0.7), *found]


def _narration_between(doc: Doc, prev: dict, f: Found) -> bool:
    """Writer's narration between statement ``prev`` and the quotation ``f`` without a cue
    (see :func:`narration_between`)."""
    ends = [prev["content"]["end"]]
    for part in ("cue", "speaker"):
        if prev.get(part):
            ends.append(prev[part]["end"])
    cue = None
    if prev.get("cue"):
        span = doc.char_span(prev["cue"]["start"], prev["cue"]["end"], alignment_mode="expand")
        cue = span[0] if span is not None and len(span) else None
    return narration_between(doc, max(ends), f.content[0], cue)


class Enricher:
    """Entities, actors and statements for newswire articles (one spaCy pipeline, loaded once)."""

    def __init__(
        self, model: str = "", actors: ActorIndex | None = None, nlp: Language | None = None
    ) -> None:
        self.nlp = nlp if nlp is not None else load_model(model)
        self.actors = actors if actors is not None else ActorIndex()
        if len(self.actors):
            add_actor_names(self.nlp, self.actors)
        meta = self.nlp.meta
        if nlp is None:
            self.model_name = model or default_model_name()
        else:
            self.model_name = model or f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}"
        self.version = (
            f"{ENRICHMENT_VERSION}+{meta.get('name', 'model')}-{meta.get('version', '0')}"
        )
        self.batch_size = 16

    # -- public API -----------------------------------------------------------------------
    def enrich(self, article: dict) -> dict:
        return self.enrich_batch([article])[0]

    def enrich_batch(self, articles: list[dict]) -> list[dict]:
        bodies = (a["body"] for a in articles)
        docs = self.nlp.pipe(bodies, batch_size=self.batch_size)
        return [
            self.analyze(remember_text(doc, a["body"]), a)
            for doc, a in zip(docs, articles, strict=True)
        ]

    def enrich_texts(self, texts: Iterable[str]) -> list[dict]:
        """Convenience for tests and notebooks: plain strings in, enriched dicts out."""
        return self.enrich_batch([{"id": f"text-{i}", "body": t} for i, t in enumerate(texts)])

    # -- one article ------------------------------------------------------------------------
    def analyze(self, doc: Doc, article: dict) -> dict:
        aid = str(article.get("id", ""))
        version = int(article.get("version") or 1)
        text = doc_text(doc)
        table = EntityTable.build(doc, self.actors)
        headline = _opens_with_headline(text, article.get("headline"))
        found, direct_spans = find_statements(doc, headline)
        # the sentence-case copy of a Title Case headline is parsed on its own, without the story
        found = self._recased_headline(doc, found)
        if headline:
            found = _headline_tails(found, text)
        found = _headline_colon(doc, found)
        filed = datelines(text)
        if filed:
            found = _past_datelines(doc, found, filed)
        paras = paragraph_starts(text)
        # a place in a dateline is where the story was filed: no speaker's antecedent
        resolver = Resolver(table, direct_spans + filed, paras)
        # Paragraphs with words: wire copy separates paragraphs with blank lines as often as not,
        # and a continuation quote two lines down is still in the next paragraph.
        solid = [
            p for p, q in zip(paras, [*paras[1:], len(text)], strict=True) if text[p:q].strip()
        ]

        statements: list[dict] = []
        for f in found:
            sid = statement_id(aid, version, *f.content)
            speaker = None
            conf = f.confidence
            if f.how == "quote-floating":
                prev = self._previous_speaker(statements, f, solid)
                if prev is None or _narration_between(doc, prev, f):
                    continue  # nobody named nearby: not an attribution
                speaker = dict(prev["speaker"])
                conf = 0.65
            elif f.speaker is not None:
                r = resolver.resolve(f.speaker, f.content)
                resolver.remember(r)
                conf *= r.factor
                speaker = {
                    "text": f.speaker.text,
                    "start": f.speaker.start_char,
                    "end": f.speaker.end_char,
                    "name": r.name or f.speaker.text,
                    "actor_id": r.actor_id,
                    "type": r.type,
                    "resolution": r.how,
                }
                if r.name is None:
                    speaker["name"] = None
            cue = None
            if f.cue is not None:
                cs, ce = f.cue_span
                cue = {"text": text[cs:ce], "start": cs, "end": ce}
            statements.append(
                {
                    "id": sid,
                    "kind": f.kind,
                    "speaker": speaker,
                    "cue": cue,
                    "content": {
                        "text": text[f.content[0] : f.content[1]],
                        "start": f.content[0],
                        "end": f.content[1],
                    },
                    "reported_by": None,
                    "confidence": round(min(1.0, max(0.0, conf)), 3),
                }
            )
        self._link_nested(statements)
        entities, actors = self._entities_and_actors(table, statements)
        out = {k: article.get(k) for k in ARTICLE_FIELDS}
        out["id"], out["version"], out["body"] = aid, version, text
        out.update(
            entities=entities,
            actors=actors,
            statements=statements,
            enrichment={"model": self.model_name, "version": self.version},
        )
        return out

    def _recased_headline(self, doc: Doc, found: list[Found]) -> list[Found]:
        """Statements of a Title Case first line where the parse found none, from a sentence-case
        copy of it.

        "Senator Vows To Cut Taxes" is tagged as a string of proper nouns, so its cue is lost;
        lower-casing the line (same length, so the same offsets) lets the parser see the verb.
        The copy is a few tokens, parsed only for a Title Case headline with a cue word and no
        statement found.
        """
        text = doc_text(doc)
        end = text.find("\n")
        line = text if end < 0 else text[:end]
        if (
            not _title_case(line)
            or any(f.content[0] < len(line) for f in found)
            or not _cue_word(doc, len(line))
        ):
            return found
        recased = line[0] + line[1:].lower()
        if len(recased) != len(line):
            return found  # a few characters change length when lower-cased
        head_found, _ = find_statements(self.nlp(recased))
        mapped = [m for m in (_onto(doc, f) for f in head_found) if m is not None]
        return mapped + found  # the headline comes first

    @staticmethod
    def _previous_speaker(statements: list[dict], f: Found, paras: list[int]) -> dict | None:
        here = bisect_right(paras, f.content[0])
        for st in reversed(statements):
            if st["speaker"] is None or st["speaker"].get("name") is None:
                continue
            if st["content"]["start"] >= f.content[0]:
                continue
            if here - bisect_right(paras, st["content"]["start"]) > FLOATING_MAX_PARAGRAPHS:
                return None
            return st
        return None

    @staticmethod
    def _link_nested(statements: list[dict]) -> None:
        """An inner statement whose cue lies inside another's content is reported by it
        (the tightest such content wins)."""
        by_start = sorted(statements, key=lambda st: st["content"]["start"])
        starts = [st["content"]["start"] for st in by_start]
        # reach[j]: the furthest content end among by_start[:j+1]; walking back stops once no
        # earlier statement can reach the cue, so articles without nesting cost O(n log n).
        reach, furthest = [], -1
        for st in by_start:
            furthest = max(furthest, st["content"]["end"])
            reach.append(furthest)
        for st in statements:
            if st["cue"] is None:
                continue
            c = st["cue"]["start"]
            best = None
            j = bisect_right(starts, min(c, st["content"]["start"])) - 1
            while j >= 0 and reach[j] > c:
                other = by_start[j]
                o = other["content"]
                if (
                    other is not st
                    and o["start"] <= c < o["end"]
                    and st["content"]["end"] <= o["end"]
                    and (
                        best is None
                        or o["end"] - o["start"] < best["content"]["end"] - best["content"]["start"]
                    )
                ):
                    best = other
                j -= 1
            if best is not None:
                st["reported_by"] = best["id"]

    @staticmethod
    def _entities_and_actors(
        table: EntityTable, statements: list[dict]
    ) -> tuple[list[dict], list[dict]]:
        entities = []
        actors: dict[str, dict] = {}
        for m in table.mentions:
            entities.append(
                {
                    "text": m.text,
                    "label": m.label,
                    "start": m.start_char,
                    "end": m.end_char,
                    "actor_id": m.actor_id,
                }
            )
            if m.label in ACTOR_LABELS and m.actor_id:
                a = actors.setdefault(
                    m.actor_id,
                    {
                        "id": m.actor_id,
                        "name": m.name,
                        "type": table.actor_type(m.name),
                        "mentions": 0,
                        "statements": [],
                    },
                )
                a["mentions"] += 1
        for st in statements:
            sp = st["speaker"]
            if not sp or not sp.get("actor_id"):
                continue
            a = actors.setdefault(
                sp["actor_id"],
                {
                    "id": sp["actor_id"],
                    "name": sp["name"],
                    "type": sp.get("type") or "other",
                    "mentions": 0,
                    "statements": [],
                },
            )
            a["statements"].append(st["id"])
        return entities, list(actors.values())
