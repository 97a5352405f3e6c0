"""Speaker resolution: from what the article says ("he", "the ministry", "Stoltenberg") to who.

- a named speaker -> the canonical name of the entity inside the phrase (surname -> full name);
- he/she -> the nearest earlier person that was a speaker or a subject, gender permitting;
- it/they -> the nearest earlier organisation (or group, for "they");
- "the ministry" / "the company" -> the latest organisation whose name has that noun, else the
  latest organisation for generic nouns; "the president" -> the person introduced with that title;
- anonymous groups ("diplomats", "officials") keep their text and get no actor id.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from spacy.tokens import Span, Token

from wirewatch.nlp.common import (
    DOCUMENT_NOUNS,
    PLACE_PARTICIPLES,
    appositive_name,
    doc_text,
    is_cue,
    noun_phrase,
    people_noun,
    person_role,
    self_name,
    sentence_of,
    words,
)
from wirewatch.nlp.entities import EntityTable, Mention, clean_name, designated, slug

MALE = {"he", "him", "his"}
FEMALE = {"she", "her", "hers"}
PLURAL = {"they", "them"}
NEUTER = {"it"}
ORG_NOUNS = words("""ministry company firm agency department government group organization organisation bank
    alliance party commission office council committee administration campaign court union
    association institute university network newspaper paper board team club army military police
    service authority regulator watchdog agency embassy parliament legislature senate house
    corporation business carmaker airline lender insurer retailer manufacturer maker exchange
    fund foundation charity utility operator broadcaster station channel tribunal junta carrier
    drugmaker automaker chipmaker miner producer supplier publisher""")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
#: People around a person: "Whitcomb's running mate" is someone else.
HELPER_ROLES = words("mate aide aides adviser advisor surrogate surrogates ally allies staff")
#: The teams around a person: "Marsh's campaign", "the senator's office".
CAMPS = words("campaign office team camp")
#: What a person is, as a writer calls them instead of repeating the name ("the billionaire",
#: "the three-term congresswoman"); a role in the scene ("the band leader", "the spokesman") is
#: someone else.
EPITHET_NOUNS = words("""developer investor financier donor nominee candidate senator congressman
    congresswoman lawmaker governor mayor billionaire millionaire mogul tycoon businessman
    businesswoman incumbent challenger veteran actor actress singer star celebrity entrepreneur
    philanthropist pastor bishop preacher evangelist general admiral""")
#: Kinds of body whose word is part of their names ("the union" is the one named "... Union"):
#: matched by name only, never as merely the latest organisation named ("the company" may be).
NAME_KINDS = words("""ministry union court council committee commission department agency
    university party association institute parliament senate tribunal federation embassy
    legislature""")
#: Names a kind of body goes by without its word ("the Food and Drug Administration ... the
#: agency", "the State Department ... the ministry"): the last word of such a name.
KIND_NAMES = {
    "agency": words("administration service authority bureau office commission agency board"),
    "ministry": words("department ministry office"),
}
#: Kinds of business: "the company" is never a public body named before it.
COMPANY_NOUNS = words("""company firm business corporation carmaker automaker chipmaker drugmaker
    airline carrier lender insurer retailer manufacturer maker miner producer supplier operator""")
#: Public watchdogs: "the regulator" is a public body named before it, if there is one.
REGULATOR_NOUNS = words("regulator watchdog")
#: Last words of a public body's name.
PUBLIC_BODY_WORDS = words("""agency administration authority commission ministry department
    council committee court parliament government office regulator service bureau""")


def _public_body(name: str) -> bool:
    return name.split()[-1].lower() in PUBLIC_BODY_WORDS


#: Entity labels that name a nation or place ("Ukrainian", "Texas", "U.S.").
PLACE_LABELS = ("NORP", "GPE", "LOC")
#: Bodies of a state: with a nationality before them ("the German government") they are that
#: nation's, never simply the latest organisation named.
STATE_NOUNS = words("""government ministry department army military police parliament embassy
    legislature senate court administration junta regulator authority agency office council
    cabinet presidency""")


#: Titles written short before a name: "Sen. Carl Brandvold" is "the senator".
TITLE_SHORT = {
    "sen.": words("senator"),
    "gov.": words("governor"),
    "rep.": words("congressman congresswoman representative lawmaker"),
    "gen.": words("general"),
    "lt.": words("lieutenant"),
    "col.": words("colonel"),
    "sgt.": words("sergeant"),
    "prof.": words("professor"),
    "dr.": words("doctor"),
    "supt.": words("superintendent"),
    "atty.": words("attorney"),
}


@dataclass
class Resolved:
    name: str | None
    actor_id: str | None
    type: str  # person | organization | place | group | other
    how: str  # entity | pronoun | description | title | group | text | unresolved
    factor: float = 1.0  # multiplies the statement's confidence
    pos: int = 0  # char offset of the speaker mention (for recency)
    head: str = ""  # lemma of the speaker phrase's head ("ministry"), for later descriptions
    #: an unnamed single person ("a spokeswoman for the county"): "f", "m" or "?" (the gender
    #: its noun gives), so that "she said" next can be them; "" for anyone else
    one: str = ""
    #: resolved through a description set beside a name in someone else's sentence: not a
    #: speaker a later pronoun should follow
    aside: bool = False


def _merged_runs(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of half-open char ranges as disjoint sorted runs (starts, ends); empty ranges
    hold nothing and are left out."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(sp for sp in spans if sp[0] < sp[1]):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


class Resolver:
    """Resolves speakers of one article in text order; remembers earlier speakers."""

    def __init__(
        self, table: EntityTable, quoted: list[tuple[int, int]], paragraphs: list[int]
    ) -> None:
        self.table = table
        self.doc = table.doc
        self.quoted = quoted
        # _in_quote is asked for every mention before every pronoun and description: the spans,
        # merged into disjoint sorted runs once, answer with one bisect instead of a scan.
        self._runs_start, self._runs_end = _merged_runs(quoted)
        self.paragraphs = paragraphs
        self.history: list[Resolved] = []
        self.said: tuple[int, int] | None = None
        self._roots: dict[int, Token] = {}  # a mention's start -> its root (mentions never overlap)

    def _in_quote(self, char: int) -> bool:
        i = bisect_right(self._runs_start, char) - 1
        return i >= 0 and char < self._runs_end[i]

    def _in_said(self, char: int) -> bool:
        """Inside what the speaker being resolved said (never their antecedent)."""
        return self.said is not None and self.said[0] <= char < self.said[1]

    def _root(self, m: Mention) -> Token:
        """The head word of a mention: asked of every earlier mention for each pronoun and
        description, found once per mention."""
        root = self._roots.get(m.start)
        if root is None:
            root = self._roots[m.start] = self.doc[m.start : m.end].root
        return root

    def _para(self, char: int) -> int:
        return bisect_right(self.paragraphs, char) - 1

    def remember(self, r: Resolved) -> None:
        if r.name and not r.aside:
            self.history.append(r)

    def previous(self, before: int) -> Resolved | None:
        for r in reversed(self.history):
            if r.pos < before:
                return r
        return None

    # -- main entry ---------------------------------------------------------------------
    def resolve(self, span: Span, said: tuple[int, int] | None = None) -> Resolved:
        """Who ``span`` is; ``said``: the char range of what they said, where a pronoun's
        antecedent cannot be ("Quintero, he said, had earned it": he is not Quintero)."""
        self.said = said
        r = self._resolve(span)
        if not r.head:
            # every path builds a new Resolved: set in place (dataclasses.replace cost more)
            r.head = span.root.lemma_.lower()
        return r

    def _resolve(self, span: Span) -> Resolved:
        doc = self.doc
        head = span.root
        pos = span.start_char
        # a relative clause describes the speaker ("a survey that appeared in the Lancet") and
        # "including X" names one member ("many experts, including X"): not the speaker's names
        # and so does a participle phrase ("the jury, led by X", "a panel chaired by X"), except
        # a document's ("a report released by X": X speaks through it)
        document = head.lemma_.lower() in DOCUMENT_NOUNS
        end = min(
            [
                c.left_edge.i
                for c in head.children
                if c.dep_ == "relcl"
                or (c.dep_ == "acl" and c.i > head.i and not document)
                or (c.dep_ == "prep" and c.lower_ == "including")
            ]
            + [span.end]
        )
        named = next(
            (
                n
                for c in head.rights
                if c.i < span.end and (n := appositive_name(c)) is not None and n.end <= span.end
            ),
            None,
        )
        if named is None and person_role(head):
            # "Meridia's chief executive, Lucía Ferrándiz, told analysts": a name beside a
            # person's role is a person's, whatever label the model gave it
            named = next(
                (
                    n
                    for c in head.rights
                    if c.i < span.end
                    and c.dep_ == "appos"
                    and c.ent_type_ in ("ORG", "PERSON", "")
                    and (n := appositive_name(c, any_label=True)) is not None
                    and n.end <= span.end
                ),
                None,
            )
            if named is not None and any(t.ent_type_ == "PERSON" for t in named):
                named = None  # tagged right: the usual resolution
        if named is not None and not any(t.ent_type_ == "PERSON" for t in named):
            # "Acme's chief executive, Ana Ruiz, said": she speaks, not the company in front
            full = self.table.person_name(clean_name(named.text)) or clean_name(named.text)
            cname, aid = self.table.lookup(full)
            self.table.types[cname] = "person"
            return Resolved(cname, aid, "person", "entity", 0.9, pos)
        aged = _aged_description(span)
        if aged is not None:
            # "The 34-year-old Norwegian said", "the 52-year-old mother of six said": the person
            # the story is about, described by age
            m = self._last_person(pos, aged or None)
            if m is not None:
                return Resolved(m.name, m.actor_id, m.type, "description", 0.85, pos)
        m = self.table.mention_in(span.start, max(end, head.i + 1), head.i)
        modifier = m is not None and self._nationality_of(m, head)
        if m is not None and self._first_name_before_place(m, head):
            first = min(c.left_edge.i for c in head.lefts if c.dep_ == "compound")
            cname, aid = self.table.lookup(clean_name(doc[first : head.i + 1].text))
            return Resolved(cname, aid, "person", "entity", 0.9, pos)
        if m is not None and self._place_of(m, head):
            m = None  # "a doctor at a hospital in Cotabato City": where they are, not who
        if m is not None and self._persons_helper(m, head):
            return Resolved(span.text, None, "group", "group", 1.0, pos, one="?")
        if m is not None and document and self._issued_by_helpers(m, head):
            return Resolved(span.text, None, "group", "group", 1.0, pos)
        if m is not None and not modifier:
            return Resolved(m.name, m.actor_id, m.type, "entity", 1.0, pos)
        if len(span) == 1 and head.pos_ == "PRON":
            return self._pronoun(span.text.lower(), pos)
        if head.pos_ == "PROPN":
            # a name the model did not tag: the proper-noun run that ends at the head
            i = head.i
            while i > span.start and (
                doc[i - 1].tag_ in ("NNP", "NNPS")
                and doc[i - 1].is_title
                # "Kingsmere Supporters' Trust": a possessive inside the name
                or doc[i - 1].tag_ == "POS"
                and i - 1 > span.start
                and doc[i - 2].tag_ in ("NNP", "NNPS")
            ):
                i -= 1
            titled = next(
                (k for k in range(head.i - 1, i - 1, -1) if person_role(doc[k], title=True)), None
            )
            if titled is not None:
                # "Sheriff Wade Compton", "School Superintendent Karen Wilder": the title is not
                # part of the name, and makes it a person's
                i = titled + 1
            name = clean_name(doc[i : head.i + 1].text) or clean_name(span.text)
            full = self.table.person_name(name)
            if full:
                cname, aid = self.table.lookup(full)
                return Resolved(cname, aid, "person", "entity", 0.95, pos)
            cname, aid = self.table.lookup(name)
            typ = self.table.actor_type(cname)
            if typ in ("other", "place") and (_with_role(head) or titled is not None):
                # "Tobias Reinholt, a neurologist at ...": untagged, but a person by the role
                # beside the name, and so a later "he"
                typ = self.table.types[cname] = "person"
            elif typ == "other" and designated(name):
                # "the Kingsmere Supporters' Trust said ... It urged": a body, and so a later "it"
                typ = self.table.types[cname] = "organization"
            return Resolved(cname, aid, typ, "entity", 0.9, pos)
        if len(span) == 1 and head.is_title and head.pos_ in ("NOUN", "PROPN"):
            # "Quon said ...": a surname the tagger took for a common noun is still the person
            # named with it
            full = self.table.person_name(head.text)
            if full:
                cname, aid = self.table.lookup(full)
                return Resolved(cname, aid, "person", "entity", 0.9, pos)
        lemma = head.lemma_.lower()
        det = next((t for t in span if t.dep_ == "det"), None)
        definite = det is not None and det.lower_ in ("the", "this", "that")
        if definite or any(t.dep_ == "poss" for t in span):
            # "the Swedish company" is the company just named; "the German government" is no
            # organisation named earlier unless its name says so
            r = self._description(span, lemma, pos, any_org=not (modifier and lemma in STATE_NOUNS))
            if r is None and definite and lemma in EPITHET_NOUNS:
                r = self._epithet(span, pos)
            if r is not None:
                return r
        issuer = self._issuer(span, head, lemma)
        if issuer is not None:
            return issuer
        if head.dep_ == "appos" and not definite and head.pos_ == "NOUN":
            # "Gail Prentiss (R-Ohio), a two-term incumbent who has spent the summer describing
            # ...": the role set beside a name is that person
            m = self.table.mention_in(head.head.i, head.head.i + 1, head.head.i)
            if m is not None and m.label == "PERSON":
                return Resolved(m.name, m.actor_id, m.type, "description", 0.85, pos, aside=True)
        named = self_name(head)
        if named is not None:
            # "A cybercrime group calling itself "BlackTide"": the name it goes by
            cname, aid = self.table.lookup(clean_name(named.text))
            return Resolved(cname, aid, "organization", "entity", 0.9, pos)
        # "diplomats", "officials", "a source familiar with the talks": anonymous
        one = ""
        if person_role(head):
            low = head.lower_
            one = "f" if low.endswith("woman") else "m" if low.endswith("man") else "?"
        return Resolved(span.text, None, "group", "group", 1.0, pos, one=one)

    def _issuer(self, span: Span, head: Token, lemma: str) -> Resolved | None:
        """ "a statement from the ministry", "a report by the agency": a document speaks for whoever
        issued it, a description of someone named earlier; a named issuer is already an entity
        of the phrase, and an anonymous one ("a report by analysts") leaves the document."""
        if lemma not in DOCUMENT_NOUNS:
            return None
        for prep in head.rights:
            if prep.dep_ != "prep" or prep.lower_ not in ("from", "by", "of") or prep.i >= span.end:
                continue
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None or obj.i >= span.end or obj.pos_ != "NOUN":
                continue
            r = self.resolve(self.doc[obj.left_edge.i : min(obj.right_edge.i + 1, span.end)])
            if r.name and r.how == "description":
                return r
        return None

    def _reporting_outlet(self, m: Mention, head: Token) -> bool:
        """ "Reuters reported that the company said ...": the outlet that reports the description's
        words is not the company it describes."""
        root = self._root(m)
        verb = root.head
        return (
            root.dep_ in SUBJECT_DEPS
            and verb.lemma_.lower() == "report"
            and verb.left_edge.i <= head.i <= verb.right_edge.i
        )

    def _team_of(self, m: Mention) -> Token | None:
        """The noun after a person's name that names those who work for them ("a senior Crane
        adviser", "Whitcomb's running mate", "Marsh's campaign"), if it is one."""
        if m.type != "person":
            return None
        root = self._root(m)
        team = root.head
        if root.dep_ in ("compound", "poss") and (
            person_role(team) or people_noun(team) or team.lemma_.lower() in HELPER_ROLES | CAMPS
        ):
            return team
        return None

    def _issued_by_helpers(self, m: Mention, head: Token) -> bool:
        """ "a memo from Sen. Helen Marsh's campaign", "a letter from Ruiz's lawyers": the people
        who wrote the document work for the person named, and are not that person; the
        document speaks for itself."""
        team = self._team_of(m)
        return team is not None and team != head and team.pos_ == "NOUN"

    def _persons_helper(self, m: Mention, head: Token) -> bool:
        """ "a senior Crane adviser", "Whitcomb's running mate", "Brenner's aides": someone
        who works for the person named before their role, not that person ("Marsh's campaign
        said" is still Marsh speaking)."""
        return self._team_of(m) == head and head.lemma_.lower() not in CAMPS

    @staticmethod
    def _first_name_before_place(m: Mention, head: Token) -> bool:
        """ "said Ana Costa": the model tags a surname that is also a place as GPE; a capitalised
        name before it, outside the entity, makes the whole run a person's name."""
        if m.label not in ("GPE", "LOC") or not m.start <= head.i < m.end:
            return False
        return any(
            c.dep_ == "compound" and c.tag_ == "NNP" and c.is_title and c.i < m.start
            for c in head.lefts
        )

    def _nationality_of(self, m: Mention, head: Token) -> bool:
        """ "Ukrainian officials", "the Swedish company", "health officials in England": a
        nationality or place that only modifies a common noun. The speaker is the officials, not
        Ukraine; but "the government of Ukraine" is Ukraine's."""
        if head.pos_ != "NOUN" or m.start <= head.i < m.end or m.label not in PLACE_LABELS:
            return False
        last = self.doc[m.end - 1]
        direct = last.head.i == head.i and last.dep_ in ("amod", "compound", "nmod", "npadvmod")
        via_prep = last.dep_ == "pobj" and last.head.dep_ == "prep" and last.head.head.i == head.i
        # "the New Jersey-based drugmaker": the place says where the body is based
        based = last.head.lower_ in PLACE_PARTICIPLES and last.head.head.i == head.i
        if via_prep and m.label == "GPE" and head.lemma_.lower() in STATE_NOUNS:
            return False
        return direct or via_prep or based

    # -- strategies -----------------------------------------------------------------------
    def _candidates(self, before: int, want: set[str]) -> list[tuple[int, str, str | None, str]]:
        """(char, name, actor_id, type) of earlier speakers and entity subjects outside quotes."""
        out = [
            (r.pos, r.name, r.actor_id, r.type) for r in self.history if r.pos < before and r.name
        ]
        for m in self.table.mentions:
            if m.start_char >= before:
                break  # mentions are in text order
            if m.type not in want or self._in_quote(m.start_char):
                continue
            root = self._root(m)
            if root.dep_ in SUBJECT_DEPS or (
                root.dep_ in ("appos", "compound") and root.head.dep_ in SUBJECT_DEPS
            ):
                out.append((m.start_char, m.name, m.actor_id, m.type))
        out.sort(key=lambda x: x[0])
        return [c for c in out if c[3] in want]

    def _place_of(self, m: Mention, head: Token) -> bool:
        """The mention is a place in a prepositional phrase on a noun for people ("a doctor at a
        hospital in X", "residents of X"): the speakers are unnamed people there."""
        if m.type != "place" or not (
            person_role(head) or people_noun(head) or head.lemma_.lower() in DOCUMENT_NOUNS
        ):
            return False  # "data from a trial in Germany": where it was run, not who speaks
        t = self._root(m)
        while t.i != head.i and t.head.i != t.i:
            if t.dep_ == "prep" and t.head.i == head.i:
                return True
            t = t.head
        return False

    def _pronoun(self, low: str, pos: int) -> Resolved:
        if low in MALE | FEMALE:
            want = {"person"}
        elif low in NEUTER:
            want = {"organization", "place"}
        elif low in PLURAL:
            want = {"group", "organization", "place"}
        else:
            return Resolved(None, None, "other", "unresolved", 0.4, pos)
        gender = "m" if low in MALE else "f" if low in FEMALE else None
        if low in NEUTER | {"they"}:
            thing = self._recent_thing(pos, "NN" if low in NEUTER else "NNS")
            if thing is not None:
                # "The central bank warned ... It added ...": the thing may be a speaker already
                # resolved to an organisation ("the central bank" -> Bank of Canada); "it" is too
                same = next(
                    (r for r in self.history if r.pos == thing.start_char and r.actor_id), None
                )
                if same is not None:
                    return Resolved(same.name, same.actor_id, same.type, "pronoun", 0.9, pos)
                lemma = thing.root.lemma_.lower()
                if lemma in ORG_NOUNS and thing[0].lower_ in ("the", "this", "that"):
                    # "The company now expects ..., it said": the company named before
                    r = self._description(thing, lemma, thing.start_char)
                    if r is not None:
                        return Resolved(r.name, r.actor_id, r.type, "pronoun", 0.85, pos)
                return Resolved(thing.text, None, "group", "pronoun", 0.9, pos)
        subjects = self._candidates(pos, want)
        if low in NEUTER:
            local = self._same_sentence_body(pos)
            if local is not None and not any(c[0] >= local.start_char for c in subjects):
                # "outside the Dallas Ledger after it backed Clinton": the body just named in
                # the same sentence, before any earlier speaker
                return Resolved(local.name, local.actor_id, local.type, "pronoun", 0.9, pos)
        if want == {"person"}:
            # "A doctor at the hospital said ... “...,” she said.": the unnamed person just quoted
            unnamed = [
                (r.pos, r.name, None, "person")
                for r in self.history
                if r.one and r.pos < pos and (not gender or r.one in ("?", gender))
            ]
            subjects = sorted(subjects + unnamed, key=lambda c: c[0])
        subjects.reverse()
        # lazily: the first candidate that fits is nearly always among the subjects
        others = (
            (m.start_char, m.name, m.actor_id, m.type)
            for m in reversed(self.table.mentions)
            if m.start_char < pos and m.type in want and not self._in_quote(m.start_char)
        )
        for cpos, name, aid, typ in chain(subjects, others):
            if self._in_said(cpos):
                continue
            g = self.table.gender.get(name)
            if gender and g and g != gender:
                continue
            if gender and not g:
                self.table.gender[name] = gender
            dist = self._para(pos) - self._para(cpos)
            factor = 0.95 if dist == 0 else 0.85 if dist == 1 else 0.7
            if low in PLURAL and typ == "group":
                return Resolved(name, None, typ, "pronoun", factor, pos)
            return Resolved(name, aid, typ, "pronoun", factor, pos)
        return Resolved(None, None, "other", "unresolved", 0.4, pos)

    def _last_person(self, pos: int, gender: str | None) -> Mention | None:
        """The person last named before ``pos`` outside quotes, of ``gender`` ("m"/"f") when
        known: an aged description follows the story's last-named person, not its last speaker
        ("... spotted by Tomás Quiroga, a student. The 29-year-old said ...")."""
        for m in reversed(self.table.mentions):
            if m.start_char >= pos or m.type != "person" or self._in_quote(m.start_char):
                continue
            g = self.table.gender.get(m.name)
            if gender and g and g != gender:
                continue
            return m
        return None

    def _epithet(self, span: Span, pos: int) -> Resolved | None:
        """ "Brenner has scoffed at rehearsals. In an interview, the real estate developer said
        ...": a definite role with no one introduced by it is the writer's epithet for the one
        person the previous sentence of the paragraph names, when that person is its subject and
        no one else is named between. A role narrowed by what follows ("the officer who fired")
        picks someone out instead."""
        head = span.root
        if any(
            c.dep_ in ("relcl", "acl", "prep")
            and c.i > head.i
            and self.doc[c.left_edge.i - 1].text != ","
            for c in head.children
        ):
            return None
        sent = sentence_of(head)
        k, steps = sent.start - 1, 0
        while True:
            while k >= 0 and self.doc[k].is_space:
                k -= 1  # the blank lines between paragraphs
            if k < 0:
                return None
            prev = sentence_of(self.doc[k])
            if steps < 3 and self._quoted_sentence(prev):
                # '“A,” the billionaire said': past the quotation to the narration before it
                k, steps = prev.start - 1, steps + 1
                continue
            break
        if self._para(prev.start_char) != self._para(pos) and any(
            # across a paragraph break only from the paragraph's opening (quotes aside)
            not t.is_space and not t.is_punct and not self._in_quote(t.idx)
            for t in self.doc[prev.end : sent.start]
        ):
            return None
        people = {
            m.name
            for m in self.table.mentions
            if prev.start_char <= m.start_char < pos
            and m.type == "person"
            and not self._in_quote(m.start_char)
        }
        subj = next((c for c in prev.root.children if c.dep_ in SUBJECT_DEPS), None)
        if len(people) != 1 or subj is None:
            return None
        m = self.table.mention_in(subj.left_edge.i, subj.right_edge.i + 1, subj.i)
        if m is None or m.name not in people:
            return None
        if not self._gender_fits(m.name, head.lower_):
            return None
        return Resolved(m.name, m.actor_id, m.type, "description", 0.7, pos)

    def _quoted_sentence(self, sent: Span) -> bool:
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        return bool(words) and all(self._in_quote(t.idx) for t in words)

    def _same_sentence_body(self, pos: int) -> Mention | None:
        """The last organisation named earlier in the sentence ``pos`` is in, outside quotes."""
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None:
            return None
        start = sentence_of(span[0]).start_char
        return next(
            (
                m
                for m in reversed(self.table.mentions)
                if start <= m.start_char < pos
                and m.type == "organization"
                and not self._in_quote(m.start_char)
                and not self._in_said(m.start_char)
            ),
            None,
        )

    def _recent_thing(self, pos: int, tag: str, window: int = 60) -> Span | None:
        """ "The report found ... It also said ...": "it" ("they") is the nearest earlier
        main-clause subject in the paragraph when that is an unnamed thing or group (a report,
        the bill; protesters), not the nearest organisation further back. None when the
        nearest such subject is a name."""
        doc = self.doc
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None:
            return None
        i = span[0].i
        cue = span[0].head
        for j in range(i - 1, max(-1, i - window), -1):
            t = doc[j]
            if "\n" in t.text or "\n" in t.whitespace_:
                return None  # paragraph boundary
            if t.dep_ not in SUBJECT_DEPS or self._in_quote(t.idx):
                continue
            # "The ministry will cap prices, it announced": the subject of what "it" says
            own = t.head.dep_ == "ccomp" and t.head.head.i == cue.i and cue.i > t.i
            # a cue's subject counts, unless the cue is inside what someone else said ("the
            # commission said the signal had been showing green": the signal said nothing)
            said_by = is_cue(t.head) and not (
                t.head.dep_ in ("ccomp", "xcomp", "advcl", "relcl") and is_cue(t.head.head)
            )
            if t.head.dep_ != "ROOT" and not said_by and not own:
                continue  # the subject of an embedded clause ("found that ferry use had ...")
            if j in self.table.by_token:
                m = self.table.by_token[j]
                if m.type in ("organization", "place"):
                    return None  # a named organisation is nearer: the usual resolution
                continue
            if t.pos_ == "NOUN" and t.tag_ == tag:
                return noun_phrase(t)
            if t.pos_ == "PROPN":
                return None
        return None

    def _titled(self, start: int, lemma: str, head_low: str, kind: str = "") -> bool:
        """The person at token ``start`` is introduced with the title ("President Volodymyr
        Zelensky", "chief executive Mia Wong"): the title word sits right before the name, with
        the description's own modifier of it when it has one ("the prime minister" is not
        "Labour Minister Petra Kosir"). The model may take the title into the name ("Bishop
        Lawrence Amadi")."""
        i = start if self._title_word(self.doc[start], lemma, head_low) else start - 1
        while i >= 0 and start - i <= 4:
            t = self.doc[i]
            if self._title_word(t, lemma, head_low):
                return not kind or i > 0 and self.doc[i - 1].lower_ == kind
            if t.is_punct or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
                return False
            i -= 1
        return False

    def _gender_fits(self, name: str, noun: str) -> bool:
        """ "the congressman" is no woman, "the congresswoman" no man."""
        want = _noun_gender(noun)
        return want is None or self.table.gender.get(name) in (None, want)

    @staticmethod
    def _title_word(t: Token, lemma: str, head_low: str) -> bool:
        low = t.lower_
        return low in (lemma, head_low) or lemma in TITLE_SHORT.get(low, ())

    def _titled_unnamed(self, lemma: str, head_low: str, pos: int) -> Resolved | None:
        """ "Sheriff Wade Compton said ... the sheriff said": a title written before a name the
        model did not tag; the last such name before ``pos``, outside quotes."""
        doc = self.doc
        for t in reversed(doc[: doc.char_span(pos, pos + 1, alignment_mode="expand").start]):
            if (
                t.is_title
                and self._title_word(t, lemma, head_low)
                and t.i + 1 < len(doc)
                and doc[t.i + 1].tag_ == "NNP"
                and not self._in_quote(t.idx)
            ):
                j = t.i + 1
                while j < len(doc) and doc[j].tag_ == "NNP" and doc[j].is_title:
                    j += 1
                if j - t.i < 3:
                    continue  # a first name and a surname at least: "Sheriff Ann Lee"
                cname, aid = self.table.lookup(clean_name(doc[t.i + 1 : j].text))
                self.table.types[cname] = "person"
                return Resolved(cname, aid, "person", "description", 0.85, pos)
        return None

    def _description(
        self, span: Span, lemma: str, pos: int, any_org: bool = True
    ) -> Resolved | None:
        """ "the ministry" -> the latest ORG named with "Ministry"; "the president" -> titled person;
        ``any_org``: a generic noun ("the company") may fall back to the latest ORG."""
        root = span.root
        head_low = root.lower_
        kind = _title_kind(root)
        best = kind_named = None
        for m in self.table.mentions:
            if m.start_char >= pos:
                break  # mentions are in text order
            # dates and numbers are no one: skipped before the quote lookup
            if m.label not in ("ORG", "GPE", "NORP", "PERSON") or self._in_quote(m.start_char):
                continue
            if m.label in ("ORG", "GPE", "NORP"):
                words = _name_words(m.name, m.text)
                if lemma in words or head_low in words:
                    best = m
                elif m.name.split()[-1].lower() in KIND_NAMES.get(lemma, ()):
                    kind_named = m  # "the agency": "... Administration", if none says "Agency"
            elif (
                m.label == "PERSON"
                and lemma not in ORG_NOUNS  # "union president X" is no union
                and (
                    self._titled(m.start, lemma, head_low, kind)
                    or root.tag_ == "NN"
                    and self._set_beside(m, lemma)
                )
                and self._gender_fits(m.name, head_low)
            ):
                best = m
        best = best or kind_named
        if best is None and person_role(root, title=True) and lemma not in ORG_NOUNS:
            titled = self._titled_unnamed(lemma, head_low, pos)
            if titled is not None:
                return titled
        if best is None:
            # "Saudi Arabia's energy ministry said ... The ministry said": the earlier speaker
            # of the same kind
            same = next(
                (r for r in reversed(self.history) if r.pos < pos and r.head == lemma and r.name),
                None,
            )
            if same is not None:
                return Resolved(same.name, same.actor_id, same.type, "description", 0.85, pos)
        if best is None and any_org and lemma in ORG_NOUNS - NAME_KINDS and not _own_kind(root):
            company = public = None
            for m in self.table.mentions:
                if m.start_char >= pos:
                    break
                if (
                    m.label == "ORG"
                    and not self._in_quote(m.start_char)
                    and not self._reporting_outlet(m, root)
                    # "the drugmaker" is no agency or ministry named since
                    and not (lemma in COMPANY_NOUNS and _public_body(m.name))
                ):
                    best = m
                    if designated(m.name) and not _public_body(m.name):
                        company = m
                    elif _public_body(m.name):
                        public = m
            if lemma in COMPANY_NOUNS and company is not None:
                best = company  # "the drugmaker": the firm named as one, not a later acronym
            elif lemma in REGULATOR_NOUNS and public is not None:
                best = public  # "the regulator": the commission named, not an airport since
        if best is None:
            return self._named_next(lemma, pos) if lemma in ORG_NOUNS else None
        return Resolved(best.name, best.actor_id, best.type, "description", 0.85, pos)

    def _set_beside(self, m: Mention, lemma: str) -> bool:
        """ "Rutherford, a former county commissioner from Columbus, ...": the role set beside
        the name introduces the person "the former county commissioner" means later."""
        root = self._root(m)
        return any(c.dep_ == "appos" and c.lemma_.lower() == lemma for c in root.rights)

    def _named_next(self, lemma: str, pos: int) -> Resolved | None:
        """ "A lander lost contact on Tuesday, its operator said.¶ Orbis Lunar said ...": a lead
        paragraph's description with no organisation or person named before it is the one the next
        paragraph names as its speaker (the wire story's second paragraph), matched by name for a
        kind whose word is in its names."""
        if any(
            m.start_char < pos and m.label in ("ORG", "PERSON") and not self._in_quote(m.start_char)
            for m in self.table.mentions
        ):
            return None  # a name before it, whatever the model tagged it, may be the one meant
        text = doc_text(self.doc)
        here = self._para(pos)
        nxt = next(
            (
                j
                for j in range(here + 1, len(self.paragraphs))
                if text[self.paragraphs[j] : self._para_end(j)].strip()
            ),
            None,
        )
        if nxt is None:
            return None
        for m in self.table.mentions:
            if m.label != "ORG" or self._para(m.start_char) != nxt:
                continue
            root = self._root(m)
            if root.dep_ not in SUBJECT_DEPS or not is_cue(root.head):
                continue
            if lemma in NAME_KINDS and lemma not in _name_words(m.name, m.text):
                continue
            return Resolved(m.name, m.actor_id, m.type, "description", 0.7, pos)
        return None

    def _para_end(self, j: int) -> int:
        return self.paragraphs[j + 1] if j + 1 < len(self.paragraphs) else len(doc_text(self.doc))


def _noun_gender(low: str) -> str | None:
    """ "congresswoman" -> "f", "chairman" -> "m"."""
    return "f" if low.endswith("woman") else "m" if low.endswith("man") else None


def _with_role(head: Token) -> bool:
    """A name with a person's role set beside it: "X, a neurologist at ...", "X, the chairman",
    or before it as a title ("Businessman Trent Maddox")."""
    return any(c.dep_ == "appos" and person_role(c) for c in head.rights) or any(
        t.dep_ in ("compound", "nmod") and person_role(t, title=True)
        for t in head.subtree
        if t.i < head.i
    )


_AGE = re.compile(r"\b\d{1,3}-year-old\b")
#: Nouns that say which sex an aged description is ("the 52-year-old mother of six").
FEMALE_NOUNS = words("woman mother wife daughter sister grandmother girl widow actress")
MALE_NOUNS = words("man father husband son brother grandfather boy widower actor")


def _aged_description(span: Span) -> str | None:
    """ "the 34-year-old", "the 34-year-old Norwegian", "the 52-year-old mother of six": a
    definite description of someone by age, with no name in it; their sex as the gender table
    writes it ("f", "m", or "" when the words do not say)."""
    if not span or span[0].lower_ != "the" or not _AGE.search(span.text):
        return None
    if any(t.ent_type_ in ("PERSON", "ORG") for t in span):
        return None
    low = span.root.lemma_.lower()
    return "f" if low in FEMALE_NOUNS else "m" if low in MALE_NOUNS else ""


#: Modifiers that make a title another office ("prime minister", "vice president").
TITLE_KINDS = words("prime vice deputy foreign interior finance defence defense health")


def _title_kind(head: Token) -> str:
    """ "the prime minister": the modifier that says which office, if any."""
    kind = next((c for c in head.lefts if c.dep_ in ("amod", "compound")), None)
    return kind.lower_ if kind is not None and kind.lower_ in TITLE_KINDS else ""


def _own_kind(head: Token) -> bool:
    """ "the trade ministry", "the foreign ministry", "the steel company": a description that
    says which kind of body it is matches an organisation only by name, never as merely the
    latest one named (a nationality or place says where, not which: "the Swedish company")."""
    return any(
        c.dep_ in ("amod", "compound")
        and c.i < head.i
        and not c.ent_type_
        and c.lower_ not in PLACE_PARTICIPLES  # "the Ohio-based company" says where
        for c in head.children
    )


@lru_cache(maxsize=4096)
def _name_words(name: str, text: str) -> frozenset[str]:
    """Lower-cased words of a mention's canonical name and of its text (asked per description and
    earlier mention: built once per name)."""
    return frozenset(w.lower() for w in f"{name} {text}".split())


def canonical_or_text(r: Resolved, text: str) -> tuple[str, str | None]:
    if r.name:
        return r.name, r.actor_id
    return text, None


__all__ = ["Resolved", "Resolver", "canonical_or_text", "slug"]
