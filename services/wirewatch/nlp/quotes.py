"""Direct quotes: find quoted passages and the cue ("X said") that introduces them.

A quoted passage is a statement when a speech cue sits right next to it
(“A,” X said. / X said: “A” / “A,” X said, “B.”), or when it stands as whole sentences
on its own (a floating quote: it continues the previous speaker). Mid-sentence quoted words
without a cue (scare quotes, titles, "so-called") are not statements; reported speech may still
include them as a *mixed* statement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc, Span, Token

from wirewatch.nlp.common import (
    PREP_VERBS,
    SPEECH_VERBS,
    SUBORDINATORS,
    Found,
    animate,
    doc_text,
    is_cue,
    lemma,
    narration_between,
    noun_phrase,
    paragraph_starts,
    person_role,
    sentence_of,
    subject_of,
    tokens_of,
    words,
)

OPENERS = {"“": "”", "«": "»", "„": "“"}
#: Every character find_quotes acts on: straight marks, openers, and "”" (it may open a paragraph)
_MARK = re.compile("[" + re.escape('"”' + "".join(OPENERS)) + "]")
SENT_END = ".!?"
MAX_CUE_GAP = 40  # tokens between the quote and its cue verb (long appositions)
#: Speech verbs plus verbs that only introduce quoted words ("she continued", "the letter reads").
QUOTE_CUES = SPEECH_VERBS | words("continue shout chant exclaim yell scream whisper read sing joke")
QUOTE_MARKS = frozenset('"“”«»„')
DASHES = ("―", "—", "–", "-", "--")


@dataclass(frozen=True)
class Quote:
    open: int  # offset of the opening mark
    close: int  # offset just past the closing mark (paragraph end when left open)
    start: int  # content start
    end: int  # content end
    closed: bool = True


def find_quotes(text: str) -> list[Quote]:
    """Quoted passages, paired per paragraph; straight and curly marks.

    A quote left open at the end of a paragraph runs to the paragraph end (newswire convention
    for a quotation continued in the next paragraph).
    """
    out: list[Quote] = []
    pos = 0
    text = normalize_marks(text)
    for line in text.split("\n"):
        i, n = 0, len(line)
        while i < n:
            # jump to the next mark: stepping through every character was most of this function
            m = _MARK.search(line, i)
            if m is None:
                break
            i = m.start()
            ch = line[i]
            if ch == "”" and not line[:i].strip():
                ch = "“"  # a paragraph opened with a closing mark (messy text) still opens a quote
            if ch == '"' or ch in OPENERS:
                # the nearest plausible closer: messy text mixes straight and curly marks
                closers = ('"', "”") if ch in ('"', "“", "„") else (OPENERS[ch],)
                found_at = [k for k in (line.find(c, i + 1) for c in closers) if k >= 0]
                j = min(found_at) if found_at else -1
                closed = j >= 0
                end = j if closed else n
                out.append(
                    _make(
                        pos + i,
                        pos + end + (1 if closed else 0),
                        pos + i + 1,
                        pos + end,
                        text,
                        closed,
                    )
                )
                i = end + 1
            else:
                i += 1
        pos += len(line) + 1
    return [q for q in out if q.end > q.start]


#: Finite verb tags: a conjunct the parser hung inside a quotation is only moved out when it is
#: a clause of its own ("and recalled that ..."), never a noun or participle that may be quoted.
_FINITE = ("VBD", "VBZ", "VBP")


def reattach_escaped_conjuncts(doc: Doc, quotes: list[Quote]) -> None:
    """ "X called him “the best negotiator I ever sat across from” and recalled that ...": the
    parser joins the verb after the closing mark to a verb nested inside the quotation, so the
    quoted words seem to run on and the narrator's verb loses its subject. A clause cannot start
    deep inside quoted words and go on outside them, so the conjunct is moved to the quotation's
    nearest head outside the marks (the narrator's verb). A conjunct of the quotation's top verb
    stays: 'said the governor “likes the line” and was unlikely to drop it'."""
    for q in quotes:
        if not q.closed:
            continue
        inside = doc.char_span(q.open, q.close, alignment_mode="expand")
        if inside is None:
            continue
        a, b = inside.start, inside.end
        for h in tokens_of(doc)[a:b]:
            if h.right_edge.i < b:
                continue  # no child past the closing mark (most words: cheaper than .rights)
            if not a <= h.head.i < b:
                continue  # the quotation's own top: its conjunct may share its subject
            for c in list(h.rights):
                if c.i < b or c.dep_ != "conj" or c.tag_ not in _FINITE:
                    continue
                out = h.head
                while a <= out.i < b and out.head.i != out.i:
                    out = out.head
                if not out.i < a or out.pos_ not in ("VERB", "AUX"):
                    continue
                for x in list(h.rights):
                    if b <= x.i < c.i and x.dep_ == "cc":
                        x.head = out
                c.head = out


def normalize_marks(text: str) -> str:
    """NYT-style doubled apostrophes ''like this'' become straight quotes; same length keeps offsets."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("''", ' "').replace("``", '" ')


def _make(open_: int, close: int, start: int, end: int, text: str, closed: bool) -> Quote:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quote(open_, close, start, end, closed)


def _tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    return list(_span_between(doc, start, end))


def _span_between(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens within chars ``start``..``end``."""
    span = doc.char_span(start, end, alignment_mode="contract")
    return [] if span is None else tokens_of(doc)[span.start : span.end]


def _cue_after(
    doc: Doc, text: str, q: Quote, para_end: int, next_open: int, opens: bool = False
) -> tuple[Token, Token | Span] | None:
    """A cue right after the quote: “A,” X said / “A,” said X / “A,” X, a banker, said."""
    limit = min(para_end, next_open)
    toks = (t for t in _span_between(doc, q.close, limit) if not t.is_space)
    # ``text`` is passed in: Doc.text joins every token on each access
    after = text[q.close : limit]
    gap = len(after) - len(after.lstrip())
    if text.startswith(DASHES, q.close + gap):
        # “A.” ― Jane Doe  (an epigraph-style byline to the quote); the tokenizer may glue the
        # dash to the closing mark ("”―"), so it is found in the text
        dash = doc.char_span(q.close + gap, q.close + gap + 1, alignment_mode="expand")
        rest = [t for t in toks if not t.is_punct]
        names = [t for t in rest if t.pos_ == "PROPN"]
        if dash is not None and names and len(rest) <= 8:
            return dash[0], names[-1]
        return None
    window: list[Token] = []
    for t in toks:
        if t.is_punct and t.text in SENT_END:
            break
        window.append(t)
        if len(window) > MAX_CUE_GAP:
            break
    first = next((t for t in window if not t.is_punct), None)
    if first is None:
        return None
    ended = text[q.start : q.end].rstrip()[-1:] in SENT_END
    for t in window:
        if not is_cue(t, QUOTE_CUES):
            continue
        subj = subject_of(t, exclude=(q.start, q.end))
        if subj is None or q.start <= subj.idx < q.end:
            loose = _loose_speaker(doc, first, t)
            if loose is not None:
                return t, loose
            continue
        if subj.left_edge.idx < q.start and q.end <= _end_char(subj.right_edge):
            # 'Montoya, whose memoir "The Price of Silence" topped the lists, has promised':
            # a quotation inside the speaker's own phrase is not what they said
            return None
        if any(
            c.dep_ == "ccomp"
            and c.i > t.i
            and (ended or _unquoted(c, t))
            and not (opens and _set_off(c))
            for c in t.children
        ):
            # “A.” X said B / on “Fox News Sunday,” X said B: the verb reports a clause of its own
            # (in the next sentence, or unquoted after it); it is not this quote's cue
            return None
        if ended and any(c.dep_ == "xcomp" and c.i > t.i for c in t.children):
            # “A.” She vowed to keep ...: the next sentence's cue has an intention of its own
            return None
        if not opens and _own_topic(t) and _in_opening_clause(doc, q, t):
            # 'Bemoaning the “rigged system,” Lee accused the host of bias': a quotation inside
            # the sentence's opening phrase, before a cue with a content of its own, is the
            # writer's scare quote, not what the cue reports
            return None
        lead = min(t.i, subj.left_edge.i)
        if first.i == t.i or subj.left_edge.i <= first.i <= subj.right_edge.i:
            return t, subj
        if first.i < lead and all(x.pos_ in ("ADV", "PUNCT", "CCONJ") for x in doc[first.i : lead]):
            return t, subj
        loose = _loose_speaker(doc, first, t)
        if loose is not None:
            return t, loose
        return None
    return None


def _name_in_marks(text: str, q: Quote) -> bool:
    """ "Cia", "The Price of Silence", "the Tractor King": one to five capitalised words between
    marks, no sentence of anyone's."""
    inner = text[q.start : q.end].strip()
    parts = inner.split()
    if len(parts) >= 2 and parts[0] == "the":
        parts = parts[1:]  # "known as “the Tractor King”"
    return (
        q.closed
        and 1 <= len(parts) <= 5
        and parts[0][:1].isupper()
        and parts[-1][:1].isupper()
        and not any(c in inner for c in ".!?,;:")
    )


def _end_char(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _in_opening_clause(doc: Doc, q: Quote, cue: Token) -> bool:
    """The quotation lies in an adverbial clause the cue's sentence opens with ("Bemoaning the
    “rigged system,” ...")."""
    inside = [t for t in _tokens_between(doc, q.start, q.end) if not t.is_punct]
    return bool(inside) and any(
        c.dep_ == "advcl" and c.left_edge.i <= inside[0].i and inside[-1].i <= c.right_edge.i
        for c in cue.lefts
    )


def _own_topic(cue: Token) -> bool:
    """The cue names what it is about through its own preposition ("accused X of ...", "called
    for ...")."""
    preps = PREP_VERBS.get(lemma(cue), ())
    return any(
        c.dep_ == "prep"
        and c.i > cue.i
        and c.lower_ in preps
        and any(o.dep_ in ("pobj", "pcomp") for o in c.children)
        for c in cue.children
    )


def _loose_speaker(doc: Doc, first: Token, cue: Token) -> Span | None:
    """“A,” Flynn, a top aide, said / “A,” Tulsa police Chief Jo Lane said: a name right after
    the quote and before the cue verb, when the parser lost the cue's subject (a capitalised word
    read as a verb, the name hung on the quote as an apposition). Only a name, optionally with a
    comma-set apposition, may stand between them."""
    if cue.tag_ not in ("VBD", "VBZ") or any(
        c.dep_ == "ccomp" and c.i > cue.i for c in cue.children
    ):
        return None
    end = first.i
    while end < cue.i and (doc[end].is_title or doc[end].pos_ in ("PROPN", "NOUN")):
        end += 1
    while end > first.i and doc[end - 1].pos_ != "PROPN":
        end -= 1  # the name ends with a proper noun ("police Chief Jo Lane")
    if end == first.i:
        return None
    rest = doc[end : cue.i]
    if len(rest) > 0 and not (
        rest[0].text == ","
        and rest[-1].text == ","
        and len(rest) <= 12
        and not any(t.pos_ in ("VERB", "AUX") or t.text in QUOTE_MARKS for t in rest)
    ):
        return None
    return doc[first.i : end]


def _set_off(clause: Token) -> bool:
    """ "“A,” Warren told him, after he admitted it, he had ...": after a quotation that opens its
    sentence, a clause the parser hangs on the cue behind a comma is an aside, not what was said
    (the quotation is)."""
    i = clause.left_edge.i
    return i > 0 and clause.doc[i - 1].text == ","


def _unquoted(clause: Token, cue: Token | None = None) -> bool:
    """The clause does not open with a quotation mark (“A,” X said, “B” continues the quote), nor
    sit inside a quotation opened between the cue and it ('“A,” X said, and still “B … It just
    raises questions.”')."""
    doc = clause.doc
    i = clause.left_edge.i
    if cue is not None and sum(t.text in QUOTE_MARKS for t in doc[cue.i + 1 : i]) % 2:
        return False
    while i > 0 and (doc[i - 1].is_punct or doc[i - 1].is_space):
        i -= 1
        if doc[i].text in QUOTE_MARKS:
            return False
    return doc[clause.left_edge.i].text not in QUOTE_MARKS


def _cue_before(doc: Doc, q: Quote, lower: int) -> tuple[Token, Token] | None:
    """A cue right before the quote: X said: “A” / X said, “A”."""
    # walked back from the quote: the clause before it, not the whole paragraph
    toks = (t for t in reversed(_span_between(doc, lower, q.open)) if not t.is_space)
    last = next(toks, None)
    if last is None or last.text not in (":", ","):
        return None
    clause: list[Token] = []
    for t in toks:
        if t.text in SENT_END and t.is_punct:
            break
        clause.append(t)
        if len(clause) > 30:
            break
    window = clause[:13]
    for t in window:  # nearest first
        if is_cue(t, QUOTE_CUES):
            subj = subject_of(t, exclude=(q.start, q.end))
            if subj is not None:
                return t, subj
    if last.text == ":":
        # the whole clause: a speaker with a name and a role beside it runs long ("The
        # association's chairman, Kiprotich Sang, known as ..., addressed the crowd:")
        colon = _colon_clause(window) or _colon_clause(clause, long=True)
        if colon is not None:
            return colon
    return _inverted_cue(doc, window)


def _colon_clause(window: list[Token], long: bool = False) -> tuple[Token, Token] | None:
    """ "The minister was blunt: “We will not pay.”", "Lopez had a message for voters: “…”": a
    short clause about a person or body, then a colon and the quote. The clause's verb stands
    for the cue; a thing as subject ("The sign read:", "The message was clear:") is no speaker.
    ``long``: the window runs back past a dozen words, for a speaker with a name and a role.
    """
    if not window:
        return None
    lo, hi = window[-1].i, window[0].i
    # the clause's own top verb: the root, or where the parser hangs it on the quote's verb
    verbs = [
        t
        for t in window
        if t.pos_ in ("VERB", "AUX") and (t.head.i == t.i or not lo <= t.head.i <= hi)
    ]
    if len(verbs) != 1:
        return None
    verb = verbs[0]
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.i < window[-1].i:
        return None
    owner = next((c for c in subj.children if c.dep_ == "poss"), None)
    if subj.lemma_.lower() in VERDICT_NOUNS and owner is not None:
        # "Her verdict on the crisis was short: “…”": whose verdict says it
        return verb, owner
    if subj.pos_ == "PRON":
        # a pronoun is short: a long clause before the colon is about something else
        ok = not long and subj.lower_ in ("he", "she", "they", "we", "i")
    else:
        ok = (
            subj.ent_type_ in ("PERSON", "ORG", "NORP")
            or animate(subj)
            or person_role(subj)  # "Levantina's chairman, Jordi Mas, was more blunt:"
        )
    return (verb, subj) if ok else None


#: Someone's words summed up as a thing ("Her verdict was short: “…”").
VERDICT_NOUNS = words("""verdict message answer reply response advice warning view assessment
    conclusion reaction plea appeal retort comment""")


def _inverted_cue(doc: Doc, window: list[Token]) -> tuple[Token, Span] | None:
    """ "Said Ellis: “A.”": a sentence opened by "Said"/"Says" and a name, right before the
    quote; the parser often reads the verb as part of the name."""
    if not window:
        return None
    first = window[-1]  # the window runs back to the sentence start
    i = first.i
    if first.lower_ not in ("said", "says") or not first.is_title:
        return None
    if i > 0 and not (doc[i - 1].is_space or doc[i - 1].text in SENT_END):
        return None
    name = doc[i + 1 : window[0].i + 1]
    if not 1 <= len(name) <= 4 or not all(t.pos_ == "PROPN" for t in name):
        return None
    return first, name


def _starts_sentence(text: str, q: Quote, lower: int) -> bool:
    before = text[lower : q.open].strip()
    return not before or before[-1] in SENT_END or before[-1] in '”"' or before.endswith(":")


def _ends_sentence(text: str, q: Quote, para_end: int) -> bool:
    inside = text[q.start : q.end].rstrip()
    after = text[q.close : para_end].strip()
    return (inside[-1:] in SENT_END + "," or not after or after[0] in SENT_END) and (
        not after or after[0] in SENT_END or after[0].isupper() or after[0] in '"“'
    )


def find_direct(doc: Doc, quotes: list[Quote] | None = None) -> tuple[list[Found], set[int]]:
    """Direct statements in ``doc`` and the token indices of the cues they used."""
    text = normalize_marks(doc_text(doc))
    quotes = find_quotes(text) if quotes is None else quotes
    pstarts = paragraph_starts(text)
    found: list[Found] = []
    used: set[int] = set()
    prev_close: dict[int, int] = {}
    named = [_name_in_marks(text, q) for q in quotes]  # once each: asked again for the next cue
    for k, q in enumerate(quotes):
        para = bisect_right(pstarts, q.open) - 1
        para_start = pstarts[para]
        para_end = pstarts[para + 1] - 1 if para + 1 < len(pstarts) else len(text)
        lower = max(para_start, prev_close.get(para, para_start))
        if not named[k]:
            # a nickname in marks does not end the search back for the next quote's cue
            prev_close[para] = q.close
        # a nickname or title in marks ('Marcia "Cia" Price') does not end the search for a cue
        j = k + 1
        while j < len(quotes) and named[j]:
            j += 1
        nxt = quotes[j].open if j < len(quotes) else len(text)
        inside = _span_between(doc, q.start, q.end)
        # up to four words: all that is asked of them (any at all; four for a floating quote)
        words = list(islice((t for t in inside if t.is_alpha), 4))
        if not words:
            continue
        hit = (
            _cue_after(doc, text, q, para_end, nxt, _starts_sentence(text, q, lower))
            if q.closed
            else None
        )
        where = "after"
        if hit is None:
            hit = _cue_before(doc, q, lower)
            where = "before"
        if hit is None and para > 0 and not text[para_start : q.open].strip():
            # X said:¶“A”: a quotation opening a paragraph after one (blank lines aside) that
            # ends with a colon
            p = para - 1
            while p > 0 and not text[pstarts[p] : pstarts[p + 1]].strip():
                p -= 1
            if text[pstarts[p] : para_start].rstrip().endswith(":"):
                hit = _cue_before(doc, q, max(pstarts[p], prev_close.get(p, pstarts[p])))
        if hit is not None:
            cue, subj = hit
            used.add(cue.i)
            start, end, kind = q.start, q.end, "direct"
            if where == "after" and not _starts_sentence(text, q, lower):
                # In most cases, “nothing breaks all at once,” she said.
                lead = _sentence_start(doc, text, q.open, lower)
                if lead < q.open:
                    start, end, kind = lead, q.close, "mixed"  # keep both marks
            elif where == "before":
                around = _reported_around(doc, cue, q) or _split_by_cue(doc, text, cue, subj, q)
                if around is not None:
                    start, end, kind = around[0], around[1], "mixed"
            who = subj if isinstance(subj, Span) else noun_phrase(subj)
            # a colon after a clause with no speech verb ("X was blunt:") is a weaker cue
            weak = where == "before" and isinstance(subj, Token) and not is_cue(cue, QUOTE_CUES)
            f = Found(kind, (start, end), cue, who, "quote-cue", 0.8 if weak else 0.9, para)
            f.extra["cue_where"] = where
            found.append(f)
            continue
        # a quote that is whole sentences on its own continues the previous speaker
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in inside)
        if (
            found
            and found[-1].paragraph == para
            and found[-1].how == "quote-cue"
            and (
                # not one whose sentence has a cue of its own ("“B” to lift the price, she said")
                _starts_sentence(text, q, lower)
                and not _cue_later_in_sentence(doc, q)
                # "“A,” he said, but “B.”": the same sentence goes on in his words
                or found[-1].extra.get("cue_where") == "after"
                and _JOINED.search(text, lower, q.open) is not None
            )
        ):
            f = Found("direct", (q.start, q.end), None, None, "quote-floating", 0.6, para)
            f.extra["continues"] = True
            found.append(f)
            continue
        if (
            len(words) >= 4
            and has_verb
            and _starts_sentence(text, q, lower)
            and _ends_sentence(text, q, para_end)
        ):
            found.append(Found("direct", (q.start, q.end), None, None, "quote-floating", 0.6, para))
    return _merge_runs(found), used


def _cue_later_in_sentence(doc: Doc, q: Quote) -> bool:
    """The sentence a quotation opens goes on after it to a cue of its own."""
    if not q.closed:
        return False
    last = doc.char_span(q.close - 1, q.close, alignment_mode="expand")
    if last is None:
        return False
    sent = sentence_of(last[-1])
    return any(t.idx >= q.close and is_cue(t, QUOTE_CUES) for t in sent)


#: Only a conjunction (and an adverb) between a cue clause and the next quotation (", but “…”",
#: ", and still “…”").
_JOINED = re.compile(r",\s*(?:but|and)(?:\s+[a-z]+ly|\s+still|\s+then|\s+also)?\s*$")


def _split_by_cue(
    doc: Doc, text: str, cue: Token, subj: Token | Span, q: Quote
) -> tuple[int, int] | None:
    """ "Anyone who ignored warnings, he said, “will answer for it in court”": the cue clause
    set off by commas in the middle of one sentence, the quote finishing what its unquoted start
    began; the statement is the whole sentence (a mixed one)."""
    first = subj[0] if isinstance(subj, Span) else subj.left_edge
    if first.i == 0 or doc[first.i - 1].text != "," or cue.i < first.i:
        return None
    between = text[cue.idx + len(cue.text) : q.open]
    if between.strip() != ",":
        return None
    sent = sentence_of(cue)
    lead = [t for t in doc[sent.start : first.i - 1] if not (t.is_punct or t.is_space)]
    # a short lead is the sentence's subject ("His challenger, he said, “has never ...”")
    subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in lead)
    if len(lead) < (2 if subject else 3) or any(
        t.text in QUOTE_MARKS for t in doc[sent.start : first.i]
    ):
        return None
    # the quote goes on with the sentence's predicate ("…, he said, “will answer …”"), not a
    # sentence of its own after a clause ("When she called, I smiled and replied, “I won't …”")
    inside = [t for t in doc[cue.i + 1 : sent.end] if t.idx >= q.start and not t.is_punct]
    if not inside or not text[q.start : q.start + 1].islower():
        return None
    opener = next((t for t in lead[:2] if t.lower_ in SUBORDINATORS), None)
    if (
        inside[0].tag_ not in ("MD", "VB", "VBD", "VBZ", "VBP", "VBN", "VBG", "RB")
        and opener is None
    ):
        # "So when the utility signaled a deal, Ms. Ortiz said, “we were stunned.”": after a
        # subordinate clause the quotation is the main clause, subject and all
        return None
    # '..., “has never had to make a payroll” and did not understand ...': the sentence goes on
    tail = [
        t for t in doc[cue.i + 1 : sent.end] if t.idx >= q.end and not (t.is_punct or t.is_space)
    ]
    if len(tail) >= 2 and not any(is_cue(t, QUOTE_CUES) or t.text in QUOTE_MARKS for t in tail):
        return lead[0].idx, tail[-1].idx + len(tail[-1])
    return lead[0].idx, q.close


def _reported_around(doc: Doc, cue: Token, q: Quote) -> tuple[int, int] | None:
    """ "She said the plan has one virtue: “it is cheap.”" / "He said that “A” against B": the
    cue reports a clause that the quote only ends or only begins; the statement is the clause
    with the quote in it (a mixed statement), not the quoted words alone."""
    mark = doc.char_span(q.open, q.open + 1, alignment_mode="expand")
    last = doc.char_span(q.end - 1, q.end, alignment_mode="expand")
    if mark is None or last is None:
        return None
    between = [t for t in doc[cue.i + 1 : mark[0].i] if not (t.is_punct or t.is_space)]
    # "said Friday that ...": the clause starts after its "that"
    that = next((i for i, t in enumerate(between[:4]) if t.lower_ == "that"), None)
    if that is not None:
        between = between[that + 1 :]
    lead = len(between) >= 2 and any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in between)
    sent = sentence_of(last[-1])
    tail = [t for t in doc[last[-1].i + 1 : sent.end] if not (t.is_punct or t.is_space)]
    tail_ok = len(tail) >= 2 and not any(is_cue(t) or t.text in QUOTE_MARKS for t in tail)
    if not lead and not tail_ok:
        return None
    start = between[0].idx if lead else q.open  # a mixed statement keeps both marks
    end = tail[-1].idx + len(tail[-1]) if tail_ok else q.close
    return start, end


def _sentence_start(doc: Doc, text: str, char: int, lower: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return char
    sent_start = sentence_of(span[0]).start_char
    start = max(sent_start, lower)
    while start < char and (text[start].isspace() or text[start] in '"”“,;'):
        start += 1
    return start


def _merge_runs(found: list[Found]) -> list[Found]:
    """“A,” X said. “B.” in one paragraph is one statement from A to B (same speaker, same cue)."""
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.paragraph == f.paragraph
            and prev.how == "quote-cue"
            and (
                f.how == "quote-floating"
                or (f.cue is not None and prev.cue is not None and f.cue.i == prev.cue.i)
                or f.extra.get("continues")
            )
            # "“A,” X said. Officials closed the road. “B.”": not across the writer's narration
            and not narration_between(prev.cue.doc, prev.content[1], f.content[0], prev.cue)
        ):
            # the narration between the parts ("X said, speaking of Y") is not the quoted words
            prev.extra.setdefault("gaps", []).append((prev.content[1], f.content[0]))
            prev.content = (prev.content[0], f.content[1])
            continue
        out.append(f)
    return out


#: Paragraph labels that look like a speaker turn but are not one.
NOT_SPEAKERS = words(
    """update note clarification correction editor's related watch video photos read more
    analysis opinion exclusive breaking live factbox explainer editorial review"""
)
#: Capitalised small words inside a label make it a Title Case kicker ("Fields Over Factories",
#: "Back To School"), never a name.
KICKER_WORDS = frozenset(
    {"Over", "Under", "To", "For", "With", "In", "On", "At", "Into", "From", "Against", "About"}
    | {"After", "Before", "Is", "Are", "And", "Or", "The"}
)
TURN_RE = re.compile(r"[ \t\"“]*((?:[A-Z][\w.'’-]*[ \t]+){0,3}[A-Z][\w.'’-]*):[ \t]+(\S.*?)[ \t]*$")


def find_turns(doc: Doc) -> list[Found]:
    """Transcript and headline turns: "PENCE: Well, look, ..." / "Pat Caddell: Voters Worried"."""
    text = doc_text(doc)
    out: list[Found] = []
    for para, start in enumerate(paragraph_starts(text)):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        m = TURN_RE.match(text, start, end)
        if m is None:
            continue
        label = m.group(1)
        if label.lower() in NOT_SPEAKERS or any(w.lower() in NOT_SPEAKERS for w in label.split()):
            continue
        if any(w in KICKER_WORDS for w in label.split()[1:-1]):
            continue  # "Fields Over Factories: ...": a kicker title, not a name
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None:
            continue
        # the headline may name its source with a common noun too ("Poll: Voters Worried")
        named = label.isupper() or all(t.pos_ == "PROPN" for t in span)
        if not named and not (para == 0 and all(t.pos_ in ("PROPN", "NOUN") for t in span)):
            continue
        cs, ce = m.start(2), m.end(2)
        if len(text[cs:ce].split()) < 3:
            continue
        out.append(Found("direct", (cs, ce), None, span, "turn", 0.8, para))
    return out
