"""Entities and actors of one article: clean the model's spans, merge names, link to actors.

Within an article a person is introduced with a full name and then referred to by surname
("Jens Stoltenberg" ... "Stoltenberg"); the small model sometimes tags the bare surname as ORG.
:class:`EntityTable` fixes such labels, maps every mention to a canonical name, and to an actor id
(the actors file's id when known, else a slug of the canonical name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from wirewatch.actors import ActorIndex
from wirewatch.nlp.common import (
    PLACE_PARTICIPLES,
    SPEECH_VERBS,
    datelines,
    doc_text,
    lemma,
    person_role,
    sentence_of,
    tokens_of,
    words,
)

ACTOR_LABELS = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
}
HONORIFICS = {
    "mr": "m",
    "mr.": "m",
    "sir": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "dr": None,
    "dr.": None,
}


#: Pronouns that tell a person's gender.
PRONOUN_GENDER = {
    **dict.fromkeys(("he", "him", "his", "himself"), "m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "f"),
}
QUOTE_MARKS = frozenset('"“”«»„')
# the same as word ids: read for every word after a person's name, without building its text
_QUOTE_MARK_IDS = frozenset(map(get_string_id, QUOTE_MARKS))
_PRONOUN_IDS = frozenset(map(get_string_id, PRONOUN_GENDER))
SUBJECT_OR_SELF = ("nsubj", "nsubjpass", "poss")
#: Roles that tell a person's gender when set beside the name ("Ann Lee, a spokeswoman").
FEMALE_ROLES = words("""spokeswoman congresswoman chairwoman businesswoman councilwoman actress
    mother wife daughter sister grandmother widow aunt niece""")
MALE_ROLES = words("""spokesman congressman chairman businessman councilman actor father husband
    son brother grandfather widower uncle nephew""")


def _role_gender(root: Token) -> str | None:
    """The gender a role beside the name (``root``: its root) gives: its apposition or the role it
    heads."""
    near = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ in ("appos", "compound"):
        near.append(root.head)
    for t in near:
        low = t.lemma_.lower()
        if low in FEMALE_ROLES:
            return "f"
        if low in MALE_ROLES:
            return "m"
    return None


_POSSESSIVE = re.compile(r"'s\b")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_TRAILING_POSSESSIVE = re.compile(r"'s?$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_LEADING_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Miss|Sir)\.?\s+")
#: A title the model took into a person's name ("Bishop Lawrence Amadi", "Sen. Ann Lee"): only
#: before a first name and a surname, and never in a body's name ("Judge Baker Foundation").
_LEADING_TITLE = re.compile(
    r"^(?:(?:Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Rev)\.|Bishop|Sheriff|Mayor|Senator|Governor|Judge"
    r"|Pastor|Rabbi|Imam|Chancellor|Superintendent|Ambassador|Congressman|Congresswoman"
    r"|President|Justice)\s+(?=[A-Z][a-z]+\.?\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+$)"
)


# Names repeat within an article and across the stream; both functions are pure.
@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    """Deterministic id for an actor not in the actors file: "Jens Stoltenberg" -> "jens-stoltenberg"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _POSSESSIVE.sub("", text.lower())
    return _NON_SLUG.sub("-", text).strip("-")


@lru_cache(maxsize=65536)
def clean_name(text: str) -> str:
    """Drop a leading "the", a trailing possessive and honorifics: "the Defense Ministry's" -> "Defense Ministry"."""
    text = text.replace("\u2019", "'").strip()
    text = _TRAILING_POSSESSIVE.sub("", text).strip()
    text = _LEADING_THE.sub("", text)
    text = _LEADING_HONORIFIC.sub("", text)
    text = text.strip(" ,.;:\"'()")
    if text.rsplit(" ", 1)[-1] not in DESIGNATORS:
        text = _LEADING_TITLE.sub("", text)
    return text.strip(" ,.;:\"'()")


#: Last words that make a name an organisation's, whatever the model tagged it.
DESIGNATORS = words(
    """Inc Corp Corporation Co Ltd LLC PLC Plc AG SA NV GmbH Group Holdings Therapeutics
    Pharmaceuticals Pharma Biotech Technologies Systems Airlines Airways Motors Bank Securities
    Capital Partners Energy Industries Insurance Logistics Ventures Networks Solutions Labs
    Foundation Institute University Association Union Agency Ministry Council Committee
    Commission Party Federation Authority Trust Club League Alliance Fund Board Front Movement
    Society Coalition Service Office Department Police Army"""
)


#: Last words of a newspaper's name ("The Dallas Morning News", "the Tulsa World" is not one).
MASTHEADS = words("""News Times Post Journal Herald Tribune Gazette Chronicle Telegraph Examiner
    Inquirer Enquirer Observer Courier Register Sentinel Dispatch Bulletin""")


def _masthead(name: str) -> bool:
    parts = name.split()
    return len(parts) >= 2 and parts[-1] in MASTHEADS and all(p[:1].isupper() for p in parts)


@lru_cache(maxsize=65536)  # pure, and asked twice of most names
def designated(text: str) -> bool:
    parts = clean_name(text).split()
    return len(parts) >= 2 and parts[-1].rstrip(".") in DESIGNATORS


#: Nouns for a kind of body written right before its name ("food delivery app Rapidão", "news
#: website Painel Digital"): the name is the body's, whatever the model tagged.
BODY_KINDS = words("""company firm group app website site station broadcaster newspaper daily
    agency carrier airline chipmaker automaker carmaker drugmaker retailer lender insurer startup
    start-up network channel outlet magazine platform operator developer publisher studio label
    brand charity consultancy manufacturer miner producer supplier conglomerate""")


def _across_datelines(
    doc: Doc, text_of: str, ents: list[tuple[Span, str, str]]
) -> list[tuple[Span, str, str]] | None:
    """ "BRUSSELS, Sept 9 - The European Commission on Monday approved ...", the model tagging
    "Sept 9 - The European Commission" as one date: an entity never runs past the end of a
    dateline. The part after it is a body when a designator ends it, else nothing; None when no
    entity crosses one."""
    ends = [b for _, b in datelines(text_of)]
    if not ends:
        return None
    out, changed = [], False
    for e, label, text in ents:
        cut = next((b for b in ends if e.start_char < b < e.end_char), None)
        if cut is None:
            out.append((e, label, text))
            continue
        changed = True
        head = doc.char_span(e.start_char, cut, alignment_mode="contract")
        if head is not None and len(head) and any(t.is_alpha for t in head):
            head = Span(doc, head.start, head.end, label=label)
            out.append((head, label, text_of[head.start_char : head.end_char]))
        tail = doc.char_span(cut, e.end_char, alignment_mode="contract")
        if tail is not None and len(tail):
            rest = text_of[tail.start_char : tail.end_char]
            if designated(rest):
                out.append((Span(doc, tail.start, tail.end, label="ORG"), "ORG", rest))
    return out if changed else None


def _based_in(e: Span) -> bool:
    """The name is the place in "X-based" / "X-headquartered"."""
    doc = e.doc
    toks = tokens_of(doc)
    return (
        e.end + 1 < len(doc)
        and toks[e.end].text == "-"
        and toks[e.end + 1].lower_ in PLACE_PARTICIPLES
    )


def _untagged_designated(doc: Doc, tag: np.ndarray) -> list[Span]:
    """ "Corvane Therapeutics is recalling ...", the model tagging nothing: a run of untagged
    capitalised proper nouns that ends in a designator word is a body's name. ``tag``: the doc's
    TAG column."""
    toks = tokens_of(doc)
    # proper nouns from the tag column (a Token per word of every article was the cost here);
    # only they are asked whether they are untagged and capitalised
    strings = doc.vocab.strings
    proper = np.flatnonzero((tag == strings["NNP"]) | (tag == strings["NNPS"])).tolist()
    untagged = [i for i in proper if toks[i].ent_iob == 2 and toks[i].is_title]  # 2: "O"
    out = []
    run: list[int] = []
    for i in [*untagged, -1]:  # -1 closes the last run
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if (
            len(run) >= 2
            and toks[run[-1]].text in DESIGNATORS
            and toks[run[0]].text not in DESIGNATORS
        ):
            out.append(Span(doc, run[0], run[-1] + 1, label="ORG"))
        run = [i]
    return out


def _untagged_start(e: Span) -> int:
    """Where the name starts with the untagged proper nouns the model left before it."""
    doc, start = e.doc, e.start
    toks = tokens_of(doc)
    while start > 0 and toks[start - 1].tag_ == "NNP" and toks[start - 1].ent_iob_ == "O":
        start -= 1
    return start


def _described(e: Span) -> Span | None:
    """The name with the untagged capitalised words before it, when a kind of body comes right
    before them ("lobby group Enterprise Aotearoa", the model tagging only "Aotearoa")."""
    doc, start = e.doc, _untagged_start(e)
    toks = tokens_of(doc)
    if start > 0 and toks[start - 1].tag_ == "NN" and toks[start - 1].lower_ in BODY_KINDS:
        return Span(doc, start, e.end, label="ORG")
    return None


def _titled(e: Span) -> bool:
    """ "chief executive Ilinca Dobre" tagged ORG: a person's role written as a title right
    before the name makes it a person's."""
    start = _titled_start(e)
    if start == 0 or len(e) < 2 and start == e.start:
        return False
    role = e.doc[start - 1]
    # the parse first: asked of nearly every name, and the role's lemma costs more
    return (
        role.dep_ == "compound" and e.start <= role.head.i < e.end and person_role(role, title=True)
    )


def _role_beside(e: Span) -> bool:
    """ "Nadia Forrer, a researcher at ETH Zurich," tagged ORG: a name of two or three
    capitalised words with a person's role set beside it is a person's."""
    if not 2 <= len(e) <= 3 or any(t.tag_ != "NNP" or not t.is_title for t in e):
        return False
    return any(
        c.dep_ == "appos" and person_role(c) and any(d.dep_ in ("det", "poss") for d in c.children)
        for c in e.root.children
    )


def _titled_start(e: Span) -> int:
    """Where a name with a title before it starts: "Logan Lake Mayor Priya Sandhu", the model
    tagging only "Sandhu", starts at "Priya" (after the last title among the untagged words
    before it, or right before them)."""
    doc = e.doc
    toks = tokens_of(doc)
    for i in range(e.start - 1, max(_untagged_start(e) - 1, 0) - 1, -1):  # the last title first
        if person_role(toks[i], title=True):
            return i + 1
    return e.start


def _body_by_appositive(e: Span) -> Span | None:
    """The name a kind of body is set beside ("AirNav Indonesia, the air navigation operator,";
    the model tagged only "Indonesia"): that body, with the untagged proper nouns before it."""
    root = e.root
    if not any(
        c.dep_ == "appos"
        and c.lower_ in BODY_KINDS
        and any(d.lower_ in ("the", "a", "an") for d in c.children)
        for c in root.children
    ):
        return None
    return Span(e.doc, _untagged_start(e), e.end, label="ORG")


def _name_runs_on(e: Span) -> bool:
    """The untagged capitalised word right after a person's name heads it ("Helena Barros" +
    "Teixeira"): the rest of the name."""
    if e.end >= len(e.doc):
        return False
    t = e.doc[e.end]
    return (
        t.ent_iob_ == "O"
        and t.tag_ == "NNP"
        and t.is_title
        and e[-1].dep_ == "compound"
        and e[-1].head.i == t.i
    )


def _one_label_per_name(doc: Doc, ents: list[tuple[Span, str, str]]) -> list[tuple[Span, str, str]]:
    """ "Meridia" tagged ORG three times and PERSON twice in one story: one name, one kind of
    actor; the label most of its mentions have wins (a tie changes nothing)."""
    votes: dict[str, dict[str, int]] = {}
    for _, label, text in ents:
        if label in ("ORG", "PERSON"):
            v = votes.setdefault(clean_name(text), {"ORG": 0, "PERSON": 0})
            v[label] += 1
    out = []
    for e, label, text in ents:
        v = votes.get(clean_name(text)) if label in ("ORG", "PERSON") else None
        if v is not None:
            other = "PERSON" if label == "ORG" else "ORG"
            if v[other] > v[label]:
                e, label = Span(doc, e.start, e.end, label=other), other
        out.append((e, label, text))
    return out


def _name_words_of(ents: list[tuple[Span, str, str]]) -> set[str]:
    """Words of the persons' full names (two words or more) in ``ents``."""
    out: set[str] = set()
    for _, label, text in ents:
        parts = clean_name(text).split()
        if label == "PERSON" and len(parts) >= 2:
            out.update(w for w in parts if w[:1].isupper() and len(w) > 2)
    return out


@dataclass(slots=True)  # read in every resolver loop over the mentions
class Mention:
    start: int  # token index
    end: int
    start_char: int
    end_char: int
    text: str
    label: str
    name: str = ""  # canonical
    actor_id: str | None = None

    @property
    def type(self) -> str:
        return ACTOR_LABELS.get(self.label, "other")


@dataclass
class EntityTable:
    doc: Doc
    actors: ActorIndex | None = None
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)  # canonical name -> "m" | "f"
    types: dict[str, str] = field(default_factory=dict)  # canonical name -> actor type

    @classmethod
    def build(cls, doc: Doc, actors: ActorIndex | None = None) -> EntityTable:
        table = cls(doc, actors)
        table._build()
        return table

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        doc = self.doc
        text_of = doc_text(doc)
        # (span, label, text) read once: Span.text joins the tokens on every access
        ents = [(e, e.label_, text_of[e.start_char : e.end_char]) for e in doc.ents]
        # "turnout" tagged PERSON: a name has a capital
        named = [x for x in ents if x[1] not in ("PERSON", "ORG") or any(c.isupper() for c in x[2])]
        dropped = len(named) < len(ents)
        ents = named
        across = _across_datelines(doc, text_of, ents)
        if across is not None:
            ents, dropped = across, True  # the doc's entities are written back below
        tag = doc.to_array(TAG)  # read once for the two passes over untagged words
        untagged = _untagged_designated(doc, tag)
        if untagged:
            ents = sorted(
                [*ents, *((e, "ORG", text_of[e.start_char : e.end_char]) for e in untagged)],
                key=lambda x: x[0].start,
            )
            dropped = True  # the doc's entities are written back below
        surnames = {
            e[-1].text
            for e, label, _ in ents
            if label == "PERSON" and len(e) >= 2 and e[-1].is_title and e[-2].text != "-"
        } | {  # "Harriet Okonkwo-Lyle ... Okonkwo-Lyle said": a hyphenated surname whole
            text.split()[-1]
            for e, label, text in ents
            if label == "PERSON" and len(text.split()) >= 2 and "-" in text.split()[-1]
        }
        # "Halvora Therapeutics" tagged PERSON: a designator word makes any name a body's
        bodies = {
            clean_name(text).split()[0]
            for e, label, text in ents
            if label in ("ORG", "PERSON") and designated(text)
        } | {clean_name(text) for e, label, text in ents if label == "PERSON" and _described(e)}
        # (and a later mention of the name alone is the body too)
        fixed: list[tuple[Span, str, str]] = []
        for e, label, text in ents:
            name = clean_name(text)
            if label in ("PERSON", "ORG") and _based_in(e):
                # "the Hull-based Northway Shipping", "Hull" tagged as a person: a place
                fixed.append((Span(doc, e.start, e.end, label="GPE"), "GPE", text))
            elif label in ("ORG", "NORP", "PRODUCT", "WORK_OF_ART", "GPE") and (
                name in surnames or _titled(e) or _role_beside(e)
            ):
                whole = Span(doc, _titled_start(e), e.end, label="PERSON")
                fixed.append((whole, "PERSON", text_of[whole.start_char : whole.end_char]))
            elif label in ("GPE", "PERSON", "NORP") and (
                (body := _body_by_appositive(e)) is not None or (body := _described(e)) is not None
            ):
                # "AirNav Indonesia, the air navigation operator,", "lobby group Enterprise
                # Aotearoa": a body, named in full
                fixed.append((body, "ORG", text_of[body.start_char : body.end_char]))
            elif label in ("EVENT", "WORK_OF_ART", "PRODUCT", "FAC", "LAW") and _masthead(name):
                # "the Dallas Morning News" tagged EVENT: a newspaper's name
                fixed.append((Span(doc, e.start, e.end, label="ORG"), "ORG", text))
            elif label == "PERSON" and (designated(text) or name in bodies):
                # ... and its short form ("Halvora said") is the same body, not a person
                fixed.append((Span(doc, e.start, e.end, label="ORG"), "ORG", text))
            elif label == "PERSON" and _name_runs_on(e):
                # "Judge Helena Barros Teixeira wrote": the model stopped one surname short
                whole = Span(doc, e.start, e.end + 1, label="PERSON")
                fixed.append((whole, "PERSON", text_of[whole.start_char : whole.end_char]))
            else:
                fixed.append((e, label, text))
        fixed = _one_label_per_name(doc, fixed)
        changed = dropped or any(f[0] is not e[0] for f, e in zip(fixed, ents, strict=True))
        again = self._named_again(fixed, surnames | _name_words_of(fixed), tag)
        if changed or again is not fixed:
            # written once (a write relabels every token of the doc), and with set_ents: the
            # doc.ents setter rebuilds every span before calling it
            doc.set_ents([f[0] for f in again])
        fixed = again
        full_names: list[tuple[str, list[str]]] = []
        for _, label, text in fixed:
            if label == "PERSON":
                words = clean_name(text).split()
                if len(words) >= 2:
                    full_names.append((" ".join(words), words))
        for e, label, raw in fixed:
            text = clean_name(raw)
            if not text:
                continue
            m = Mention(e.start, e.end, e.start_char, e.end_char, raw, label)
            m.name = self._canonical(text, label, full_names)
            actor = self.actors.lookup(m.name) or self.actors.lookup(text) if self.actors else None
            if actor is not None:
                m.name, m.actor_id = actor.name, actor.id
                self.types[m.name] = actor.type
            elif label in ACTOR_LABELS:
                m.actor_id = slug(m.name)
                self.types.setdefault(m.name, m.type)
            if label == "PERSON" and e.start > 0:
                g = HONORIFICS.get(doc[e.start - 1].lower_)
                if g:
                    self.gender.setdefault(m.name, g)
            self.mentions.append(m)
            for i in range(e.start, e.end):
                self.by_token[i] = m
        self._genders_from_text()

    def _genders_from_text(self) -> None:
        """ "Kettleby ... talked about her late father", "Ann Lee, a spokeswoman": a person's
        gender from the first personal pronoun after their name in the same sentence (before
        anyone else is named, outside quotations, and not an object's) when the name is the
        subject, or from a gendered role beside the name; the majority over their mentions.
        Titles ("Mrs.") were read already and win."""
        doc = self.doc
        toks = tokens_of(doc)
        votes: dict[str, list[int]] = {}
        for m in self.mentions:
            if m.label != "PERSON" or m.name in self.gender:
                continue
            root = doc[m.start : m.end].root
            g = _role_gender(root)
            if g is None and root.dep_ in ("nsubj", "nsubjpass"):
                # only a subject's: "... for Pell Grants, her plan" is about someone else
                end = sentence_of(toks[m.end - 1]).end if m.end < len(doc) else m.end
                quoted = False
                for t in toks[m.end : end]:
                    if t.orth in _QUOTE_MARK_IDS:
                        quoted = not quoted  # someone's words: their pronouns are theirs
                        continue
                    if quoted:
                        continue
                    if t.i in self.by_token and self.by_token[t.i] is not m:
                        break
                    # an object pronoun is someone else ("Lee, who served beside him"), and so
                    # is the speaker of a cue set in ("Quintero, he said, had earned it")
                    if (
                        t.lower in _PRONOUN_IDS
                        and (t.tag_ == "PRP$" or t.dep_ in SUBJECT_OR_SELF)
                        and not (t.dep_ == "nsubj" and lemma(t.head) in SPEECH_VERBS)
                    ):
                        g = PRONOUN_GENDER[t.lower_]
                        break
            if g is not None:
                v = votes.setdefault(m.name, [0, 0])
                v[g == "f"] += 1
        for name, (male, female) in votes.items():
            if male != female:
                self.gender[name] = "f" if female > male else "m"

    def _named_again(
        self, ents: list[tuple[Span, str, str]], known: set[str], tag: np.ndarray
    ) -> list[tuple[Span, str, str]]:
        """ "Esteban Rojas Vindas ... Rojas did not concede": a word of a person's full name
        standing alone later is that person, also where the model left it untagged. ``tag``: the
        doc's TAG column; ``ents`` itself when nothing is added (the caller writes ``doc.ents``)."""
        doc = self.doc
        if not known:
            return ents
        tagged = {i for e, _, _ in ents for i in range(e.start, e.end)}
        # proper nouns from the tag column: a Token object per word of every article is the cost
        # here (and the ORTH column costs more than the few words looked at below)
        nnp = tag == doc.vocab.strings["NNP"]
        n = len(doc)
        added = [
            (Span(doc, i, i + 1, label="PERSON"), "PERSON", doc[i].text)
            for i in np.flatnonzero(nnp).tolist()
            # the cheap tests first: most proper nouns are inside a tagged name
            if i not in tagged
            and not (i > 0 and nnp[i - 1])
            and not (i + 1 < n and nnp[i + 1])
            and doc[i].text in known
            and not (i + 1 < n and doc[i + 1].text == ":")  # "Correction:", a label
        ]
        if not added:
            return ents
        return sorted([*ents, *added], key=lambda x: x[0].start)

    @staticmethod
    def _canonical(text: str, label: str, full_names: list[tuple[str, list[str]]]) -> str:
        if label != "PERSON":
            return text
        words = text.split()
        if len(words) >= 2:
            # "Vladimir Putin" stays; a longer full name that ends the same wins ("Putin")
            return text
        for full, fwords in full_names:
            if (
                words[-1] == fwords[-1]
                or (len(words) == 1 and words[0] in fwords[1:])
                or fwords[-1].endswith("-" + words[-1])  # "Lyle" for "Okonkwo-Lyle"
            ):
                return full
        return text

    # -- queries ------------------------------------------------------------------------
    def mention_in(self, start: int, end: int, head: int | None = None) -> Mention | None:
        """The best actor-like mention inside tokens [start, end): the head's, else a person, else any."""
        if head is not None and head in self.by_token:
            m = self.by_token[head]
            if m.label in ACTOR_LABELS:
                return m
        found = [self.by_token[i] for i in range(start, end) if i in self.by_token]
        found = [m for m in found if m.label in ACTOR_LABELS]
        if not found:
            return None
        persons = [m for m in found if m.label == "PERSON"]
        return (persons or found)[-1]

    def lookup(self, name: str) -> tuple[str, str | None]:
        """Canonical name and actor id for a free-text name (actors file first)."""
        if self.actors:
            actor = self.actors.lookup(name)
            if actor is not None:
                return actor.name, actor.id
        return name, slug(name) or None

    def person_name(self, text: str) -> str | None:
        """The full name of a person mentioned by surname or first name ("Adeyemi" -> "Rachel Adeyemi")."""
        words = text.split()
        if not words:
            return None
        for m in self.mentions:
            if m.label == "PERSON" and len(m.name.split()) >= 2:
                fwords = m.name.split()
                if words[-1] == fwords[-1] or (len(words) == 1 and words[0] in fwords):
                    return m.name
        return None

    def actor_type(self, name: str) -> str:
        return self.types.get(name, "other")
