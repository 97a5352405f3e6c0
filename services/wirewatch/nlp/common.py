"""Shared vocabulary and small syntax helpers for quotes, reported speech and resolution.

Everything here is general English newswire grammar; nothing is specific to one article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, LOWER, TAG
from spacy.tokens import Doc, Span, Token


def words(text: str) -> frozenset[str]:
    """A word list written as one string (keeps the vocabularies readable)."""
    return frozenset(text.split())


#: Verbs that introduce speech (lemmas). "quote" is handled through its participle ("quoted ... saying").
SPEECH_VERBS = words("""say tell add claim warn insist note argue deny announce write urge report state explain
    confirm acknowledge admit assert suggest predict promise vow pledge declare testify allege
    contend maintain reply respond recall complain caution stress emphasize emphasise conclude
    concede boast demand reveal disclose indicate tweet post comment remark observe accuse
    charge reiterate repeat agree estimate forecast speculate counter retort quip lament
    propose recommend advise affirm assure inform notify mention ask threaten show""")
#: Further verbs of communication and of stating a claim (the say, tell and manner-of-speaking
#: classes of English verbs): "confessed that", "reaffirmed his support", "he answered".
SPEECH_VERBS = SPEECH_VERBS | words("""confess confide convey imply reaffirm recount swear theorize
    underline attest answer mutter grumble hypothesize posit surmise certify guarantee concur
    profess protest rebut refute retract bemoan fret query instruct request""")
#: Conjunctions of adverbial clauses (time, condition, cause), which are not what was said.
SUBORDINATORS = words(
    "when whenever if unless because since after before while until once although though"
)
#: Cognition / intention verbs: PolNeAR-style attributions of beliefs and plans.
THOUGHT_VERBS = words("""believe think hope fear expect worry know feel consider doubt learn hear find
    want plan intend decide""")
#: Verbs whose content may be an infinitive ("urged residents to leave", "wants to cut taxes").
XCOMP_VERBS = words("""urge promise vow pledge threaten advise tell ask want plan intend hope decide seek
    aim agree offer decline call warn encourage press push implore challenge remind persuade convince
    vote""")
#: Verbs whose direct object is what is said or judged ("announced new sanctions",
#: "called the plan a disgrace", "described Clinton as a liar"). "call" needs a predicate.
OBJECT_VERBS = words("""announce deny confirm reveal predict promise pledge propose demand call describe cite
    attack criticize criticise blast slam praise condemn question reject endorse support back oppose
    accuse mention discuss defend unveil outline acknowledge admit dismiss blame label brand
    dub characterize applaud hail denounce decry mock ridicule challenge dispute tout highlight
    express welcome recommend paint identify link bill cast frame""")
#: Further verbs of communication, judgement and persuasion (object or clause as content):
#: "echoed her concerns", "likened the plan to a tax", "urged... encouraged voters to".
JUDGEMENT_VERBS = words("""echo reference invoke detail document chronicle portray depict
    pitch articulate clarify specify recite proclaim plead exhort implore remind signal
    underscore illustrate summarize summarise characterise compliment laud lambast chastise deride
    scold rebuke berate castigate excoriate fault downplay encourage persuade convince promote
    champion lobby compare liken equate view regard judge embrace approve disapprove rip weigh""")
#: Verbs of setting something aside as unimportant ("ignored the warnings", "overlooked the
#: risks"): a judgement about their object.
DISREGARD_VERBS = words("ignore disregard overlook dismiss downplay")
OBJECT_VERBS = OBJECT_VERBS | JUDGEMENT_VERBS | DISREGARD_VERBS
#: Further verbs of belief and wish; they report a clause ("suspects that", "wonders whether").
ATTITUDE_VERBS = words("""understand realize realise recognize recognise suspect assume imagine
    envision wonder contemplate prefer favor favour wish desire resent despise admire hate dislike
    disagree""")
#: Verbs of liking and loathing: an attitude toward their object ("loves the plan"). Not
#: "enjoy": in the news it means to have ("enjoys broad support", "enjoyed a lead").
EMOTION_VERBS = words("love like appreciate cherish loathe detest adore relish")
ATTITUDE_VERBS = ATTITUDE_VERBS | EMOTION_VERBS
THOUGHT_VERBS = THOUGHT_VERBS | ATTITUDE_VERBS
#: Verb + preposition whose object is the content ("called for a ban", "warned against cuts").
PREP_VERBS: dict[str, frozenset[str]] = {
    "call": words("for on"),
    "talk": words("about of"),
    "speak": words("about of on against"),
    "warn": words("against about of"),
    "complain": words("about of"),
    "rail": words("against"),
    "argue": words("for against"),
    "push": words("for"),
    "press": words("for"),
    "apologize": words("for"),
    "apologise": words("for"),
    "point": words("to"),
    "comment": words("on"),
    "insist": words("on"),
    "hint": words("at"),
    "ask": words("for about"),
    "write": words("about of"),
    "boast": words("about of"),
    "brag": words("about"),
    "joke": words("about"),
    "worry": words("about"),
    "testify": words("about"),
    "respond": words("to with"),
    "reply": words("with"),
    "object": words("to"),
    "advocate": words("for"),
    "campaign": words("for against"),
    "accuse": words("of"),
    "agree": words("with on about"),
    "disagree": words("with on about"),
    "know": words("about"),
    "lash": words("at"),
    "vouch": words("for"),
    "side": words("with against"),
    "decide": words("against"),
    "rule": words("against"),
    "vote": words("against"),
    # reactions and leanings: "bristled at the questions", "is leaning toward the cheaper option"
    "bristle": words("at"),
    "balk": words("at"),
    "scoff": words("at"),
    "chafe": words("at"),
    "sneer": words("at"),
    "marvel": words("at"),
    "rejoice": words("in"),
    "revel": words("in"),
    "delight": words("in"),
    "lean": words("toward towards"),
    "approve": words("of"),
    "caution": words("against"),
    "disapprove": words("of"),
}
#: "the New Jersey-based drugmaker": words that tie a body to a place without naming it.
PLACE_PARTICIPLES = words("based headquartered")
#: Verbs that only count when they report an intention/belief (never a bare cue for quotes).
WEAK_VERBS = (
    THOUGHT_VERBS
    | words("""ask call describe cite attack criticize criticise blast slam praise
    condemn question reject endorse support back oppose mention discuss defend unveil release outline
    dismiss blame label brand dub characterize applaud hail denounce decry mock ridicule challenge
    dispute tout highlight express welcome refuse seek aim offer decline talk speak rail push press
    apologize apologise point hint brag joke worry object advocate campaign lash vouch side""")
    | JUDGEMENT_VERBS
    | ATTITUDE_VERBS
)

CUE_LEMMAS = SPEECH_VERBS | THOUGHT_VERBS | XCOMP_VERBS | OBJECT_VERBS | frozenset(PREP_VERBS)

SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
PRONOUNS = words("he she they it i we you him her them")
QUOTE_CHARS = '"“”«»„'
STATEMENT_NOUNS = words("""statement report letter tweet release post message note email interview
    paper""")
#: Documents and media that show or claim things by themselves ("a video showing", "a poll finding").
DOCUMENT_NOUNS = STATEMENT_NOUNS | words("""poll survey study analysis memo filing ad video
    editorial column article book documentary film data datum figures estimates""")


@dataclass
class Found:
    """A statement found in a Doc, before speaker resolution."""

    kind: str  # direct | indirect | mixed
    content: tuple[int, int]  # char offsets into the text
    cue: Token | None = None
    speaker: Span | None = None
    how: str = "verb"  # quote-cue | quote-floating | verb | participle | according
    confidence: float = 0.85
    paragraph: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def cue_span(self) -> tuple[int, int] | None:
        if self.cue is None:
            return None
        return self.cue.idx, self.cue.idx + len(self.cue.text)


#: The small model's lemmatizer slips on a few cue verbs ("hopes" -> "hop").
LEMMA_FIXES = {("hop", "hope"): "hope", ("hop", "hopi"): "hope"}


_SLIPPED = frozenset(k[0] for k in LEMMA_FIXES)
#: Phrasal verbs of saying, read as the plain verb they mean ("X, they point out" = "they note").
PHRASAL_SAYING = {
    ("point", "out"): "note",
    # "she shot back", "fired back the minister": a retort
    ("shoot", "back"): "retort",
    ("fire", "back"): "retort",
    ("hit", "back"): "retort",
    ("chime", "in"): "add",
    ("rule", "out"): "reject",
    ("brush", "off"): "dismiss",
    ("brush", "aside"): "dismiss",
    ("shrug", "off"): "dismiss",
    ("wave", "off"): "dismiss",
    ("play", "down"): "downplay",
    ("talk", "up"): "tout",
    ("call", "out"): "criticize",
}
_PHRASAL = frozenset(k[0] for k in PHRASAL_SAYING)


def lemma(tok: Token) -> str:
    """The token's lemma, lower-cased, with known lemmatizer slips corrected."""
    low = tok.lemma_.lower()
    if low in _SLIPPED:  # called for nearly every token: the fix-up only where one can apply
        return LEMMA_FIXES.get((low, tok.lower_[:4]), low)
    if low in _PHRASAL and tok.pos_ == "VERB":
        # with an object it shows a thing ("pointed out the castle"): see _phrasal_cue
        kids = [(c.dep_, c.lower_) for c in tok.children]
        # the tagger reads "back" as an adverb ("she shot back")
        prt = next((w for d, w in kids if d == "prt" or d == "advmod" and w == "back"), None)
        if prt and not (low == "point" and any(d == "dobj" for d, _ in kids)):
            return PHRASAL_SAYING.get((low, prt), low)
    return low


#: Where a predicate sits in a clause (never where a noun phrase does: subject, object, ...).
PREDICATE_DEPS = ("ROOT", "ccomp", "relcl", "advcl", "conj", "parataxis")


def retag_cue_verbs(doc: Doc) -> None:
    """ "The campaign plans to ...", "..., the doctor maintains.": the small tagger reads a cue
    verb in -s as a plural noun, yet the parser gives it a subject of its own, to its left, and
    puts it where a predicate goes; it is the clause's verb, so tag it as one for every rule."""
    # Only plural nouns qualify: picked from the tag column, not by building every token's tag.
    nns = doc.vocab.strings["NNS"]
    for i in np.flatnonzero(doc.to_array(TAG) == nns).tolist():
        tok = doc[i]
        if (
            tok.tag_ == "NNS"
            and tok.lower_.endswith("s")
            and tok.dep_ in PREDICATE_DEPS
            and tok.lemma_.lower() in CUE_LEMMAS
            and any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children)
        ):
            tok.tag_, tok.pos_ = "VBZ", "VERB"
        elif _noun_compound_cue(tok):
            _as_clause_verb(tok)
        elif _closing_noun_cue(tok):
            # "..., its filing shows.": the document before it is its subject
            tok.tag_, tok.pos_ = "VBZ", "VERB"
            subj = next(c for c in reversed(list(tok.lefts)))
            subj.dep_ = "nsubj"
            for c in list(tok.lefts):
                if c.dep_ in ("poss", "det"):
                    c.head = subj
    # "Most of the state's members of Congress back her candidacy": the tagger reads the verb
    # "back" as an adverb, yet the parser gives it a subject and an object
    back = doc.vocab.strings["back"]
    for i in np.flatnonzero(doc.to_array(LOWER) == back).tolist():
        tok = doc[i]
        if (
            tok.pos_ in ("ADV", "ADP")
            and tok.dep_ in PREDICATE_DEPS
            and any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children)
            and any(c.dep_ == "dobj" and c.i > tok.i for c in tok.children)
        ):
            tok.tag_, tok.pos_, tok.lemma_ = "VBP", "VERB", "back"


#: Auxiliaries of the present: "is seeking", "has said".
PRESENT_AUX = words("is are am has have")


def _present(verb: Token) -> bool:
    return verb.tag_ in ("VBZ", "VBP") or (
        verb.tag_ in ("VBG", "VBN")
        and any(c.dep_ == "aux" and c.lower_ in PRESENT_AUX for c in verb.children)
    )


def reattach_tense_mismatched_conjuncts(doc: Doc) -> None:
    """ "X called the comments “beneath the office” Vance is seeking and said ...", "praised him
    as “the kind of steady hand” the department needs and urged Y to ...": the parser joins a
    past cue to the present verb of a clause about someone else, and the cue seems to be that
    someone's. Verbs joined by "and" share their tense; a past cue with words of its own (a
    clause or an infinitive) and no subject goes with the nearest past cue above instead."""
    conj = doc.vocab.strings["conj"]
    vbd = doc.vocab.strings["VBD"]
    deps, tags = doc.to_array(DEP), doc.to_array(TAG)
    for i in np.flatnonzero((deps == conj) & (tags == vbd)).tolist():
        c = doc[i]
        head = c.head
        if (
            not is_cue(c)
            or not _present(head)
            or not any(x.dep_ in SUBJ_DEPS for x in head.children)
            or any(x.dep_ in SUBJ_DEPS for x in c.children)
            or not any(x.dep_ in ("ccomp", "xcomp") and x.i > c.i for x in c.children)
        ):
            continue
        # the nearest past cue a few steps up, before the clause
        above = next(
            (a for a in list(head.ancestors)[:4] if a.tag_ == "VBD" and a.i < head.i and is_cue(a)),
            None,
        )
        if above is None:
            continue
        for x in list(head.rights):
            if x.dep_ == "cc" and x.i < c.i:
                x.head = above
        c.head = above


def reattach_closing_speaker(doc: Doc) -> None:
    """ "Haskell plans to begin ..., focused on Aldana's record as attorney general, a Haskell
    campaign aide said.": after a long lead the parser hangs the closing speaker on the last noun
    as its apposition, and the cue is left with no subject and with the speaker inside what it
    reports. A person's role set off by a comma right before a past cue with no subject, closing
    the sentence, is that cue's subject."""
    root = doc.vocab.strings["ROOT"]
    vbd = doc.vocab.strings["VBD"]
    deps, tags = doc.to_array(DEP), doc.to_array(TAG)
    for i in np.flatnonzero((deps == root) & (tags == vbd)).tolist():
        verb = doc[i]
        if i < 3 or not is_cue(verb) or any(c.dep_ in SUBJ_DEPS for c in verb.children):
            continue
        role = doc[i - 1]
        start = role.left_edge.i
        if (
            role.pos_ != "NOUN"
            or not (person_role(role) or people_noun(role))
            or role.dep_ not in ("appos", "conj", "npadvmod", "dobj", "pobj")
            or role.right_edge.i != i - 1
            or doc[start].lower_ not in ("a", "an", "the", "one", "two", "three", "several")
            or doc[start - 1].text != ","
            or not verb.is_ancestor(role)
        ):
            continue
        role.head = verb
        role.dep_ = "nsubj"
        doc[start - 1].head = verb


#: What a cue in -s read as a noun has after it when it is really a verb with its clause
#: ("Trump claims that ...", "the campaign plans to ...", "the panel votes to ...").
_CLAUSE_AFTER = ("ccomp", "xcomp", "acl", "relcl")


def _noun_compound_cue(tok: Token) -> bool:
    """ "Trump claims that he ...", "Campaign plans to ...": the tagger reads the verb in -s as a
    plural noun and the name before it as that noun's compound; a bare name or noun (no article,
    possessive or adjective) before it and a verb clause after it make it the sentence's verb."""
    if (
        tok.tag_ != "NNS"
        or not tok.lower_.endswith("s")
        or tok.dep_ not in PREDICATE_DEPS
        or tok.lemma_.lower() not in CUE_LEMMAS
    ):
        return False
    lefts = list(tok.lefts)
    if not lefts or lefts[-1].dep_ != "compound" or lefts[-1].pos_ not in ("PROPN", "NOUN"):
        return False
    if any(c.dep_ in ("det", "poss", "amod", "nummod", "nsubj") for c in lefts):
        return False
    return any(
        c.i > tok.i and c.dep_ in _CLAUSE_AFTER and c.pos_ in ("VERB", "AUX") for c in tok.children
    )


def _closing_noun_cue(tok: Token) -> bool:
    """ "A super PAC raised $2.1 million, its filing shows.": a cue in -s closing the sentence
    after a comma, right after a document or poll ("filing", "poll", "records"), is read as a
    plural noun; it is the verb of the closing cue clause."""
    doc = tok.doc
    if (
        tok.tag_ != "NNS"
        or not tok.lower_.endswith("s")
        or tok.lemma_.lower() not in CUE_LEMMAS
        or tok.i + 1 >= len(doc)
        or doc[tok.i + 1].text not in (".", "!", "?")
    ):
        return False
    lefts = list(tok.lefts)
    if not lefts or lefts[-1].dep_ != "compound" or lefts[-1].lemma_.lower() not in FINDER_NOUNS:
        return False
    start = tok.left_edge.i
    return start > 0 and doc[start - 1].text == ","


def _as_clause_verb(tok: Token) -> None:
    """Re-read a noun-compound cue as a verb: its nearest compound is its subject, a clause hung
    on it as a noun's modifier is its complement."""
    tok.tag_, tok.pos_ = "VBZ", "VERB"
    next(c for c in reversed(list(tok.lefts))).dep_ = "nsubj"
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX"):
            to = any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
            c.dep_ = "xcomp" if to else "ccomp"


def is_cue(tok: Token, lemmas: frozenset[str] = CUE_LEMMAS) -> bool:
    return tok.pos_ in ("VERB", "AUX") and lemma(tok) in lemmas and tok.tag_ != "MD"


def _labels(verb: Token) -> bool:
    """ "called the vaccine "a tool ..."": a verb that puts a label on its object (an object and
    a predicate of its own) is a judgement of the reporter's, like a speech verb."""
    return (
        lemma(verb) in ("call", "describe", "brand", "label", "dub")
        and any(c.dep_ in ("oprd", "prep") and c.i > verb.i for c in verb.children)
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def second_report(conj: Token) -> bool:
    """ "The minister said the reform would start in May and warned against delays": the parser
    hangs the second speech verb on the reported clause, but it is the reporter's own act (a speech
    verb in the reporter's tense with no subject of its own)."""
    clause = conj.head
    cue = clause.head
    if (
        conj.dep_ != "conj"
        or cue.i >= clause.i
        or clause.dep_ not in ("ccomp", "xcomp")
        or any(c.dep_ in SUBJ_DEPS for c in conj.children)
    ):
        return False
    if (
        any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
        and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBD", "VBP") for c in conj.children)
        and is_cue(conj)
        and is_cue(cue)
    ):
        # "wants Congress to fund beds and has promised to push for ...": a finite verb cannot
        # go on from an infinitive; it is the subject's next act
        return True
    if clause.dep_ != "ccomp" or lemma(cue) not in SPEECH_VERBS:
        return False
    if cue.tag_ == conj.tag_ == "VBG":
        # "..., writing that the ruling was a win and pledging to appoint ...": a participle
        # cannot go on from a finite clause; it is the speaker's next act
        return clause.tag_ != "VBG" and is_cue(conj)
    return (
        conj.tag_ == cue.tag_
        and conj.tag_ in ("VBD", "VBZ")
        and (
            lemma(conj) in SPEECH_VERBS
            or _labels(conj)
            # "said his side had been too polite and praised his forwards": a judgement in the
            # reporter's tense beside a clause in the past perfect (or with a modal) cannot share
            # its auxiliary
            or lemma(conj) in OBJECT_VERBS
            and conj.tag_ == "VBD"
            and any(c.dep_ == "aux" and c.tag_ in ("VBD", "MD") for c in clause.children)
        )
    )


def _reporting_cue(tok: Token) -> Token | None:
    """The cue verb whose reported clause (ccomp) holds ``tok``, a few steps up the parse."""
    for _ in range(4):
        if tok.dep_ == "ccomp" and tok.head.i < tok.i and is_cue(tok.head):
            return tok.head
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def reporter_participle(t: Token) -> Token | None:
    """ "X said he had doubts, arguing that ...": a cue participle set off by a comma after the
    clause a cue reports; the parser hangs it on that clause, but the reporter does the arguing.
    Returns the reporter's cue (None when the participle is not one; a participle inside a
    quotation is the quoted speaker's own)."""
    if (
        t.tag_ != "VBG"
        or t.dep_ not in ("advcl", "xcomp", "conj", "acl")
        or not is_cue(t)
        or t.left_edge.i < 1
        or t.doc[t.left_edge.i - 1].text != ","
        or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
    ):
        return None
    cue = _reporting_cue(t.head)
    if cue is None:
        return None
    between = t.doc[cue.i : t.i]
    marks = sum(1 for x in between if x.text in QUOTE_CHARS or x.text in ("''", "``"))
    return cue if marks % 2 == 0 else None


def _clause_agent(head: Token, depth: int) -> Token | None:
    """Who does what the verb ``head`` says, for a participle or gerund hung on it: its surface
    subject, passive or not ("After saying A, she was taken to hospital")."""
    surface = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
    if surface is not None and not any(c.dep_ == "nsubj" for c in head.children):
        return surface
    agent = subject_of(head, depth + 1)
    if (
        head.dep_ == "relcl"
        and agent is not None
        and agent.i == head.head.i
        and not animate(agent)
        and head.head.dep_ in ("dobj", "pobj")
    ):
        # "the judge blocked a law that would have banned X, ruling that ...": the parser hangs
        # the participle on the relative clause, but a law does not rule; the main clause's
        # subject does, when it can
        main = subject_of(head.head.head, depth + 1)
        if main is not None and animate(main):
            return main
    return agent


def _gerund_agent(head: Token, depth: int) -> Token | None:
    """ "criticised for saying that ...", "his theme of questioning trade deals", "stopped short of
    calling ...": the agent of a gerund after a preposition is the owner of the noun it
    completes, or the subject of the nearest verb above it."""
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            return _clause_agent(head, depth)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None:
            return owner
        if head.dep_ in ("ROOT",) or head.head.i == head.i:
            return None
        head = head.head
    return None


#: "The agency quoted/cited X as saying ...": X is who says it.
QUOTING = ("quote", "cite")


NOMINAL = ("NOUN", "PROPN")


def _in_phrase(tok: Token, relcl: Token) -> bool:
    """``tok`` belongs to the phrase the relative clause ``relcl`` hangs on (not to the clause)."""
    # by the tree, not by position: the parser may hang the clause across other words
    inside = relcl.left_edge.i <= tok.i <= relcl.right_edge.i
    return not inside and any(t.i == tok.i for t in relcl.head.subtree)


def _document_before_time(verb: Token, subj: Token) -> Token | None:
    """ "A poll released before the debate shows X ahead": the parser reads "before the debate
    shows" as a time clause of the participle, with the occasion as the cue's subject; the
    document the participle describes is what shows it."""
    head = verb.head
    if not (
        verb.dep_ == "advcl"
        and head.tag_ == "VBN"
        and head.dep_ == "acl"
        and head.head.lemma_.lower() in DOCUMENT_NOUNS
        and any(
            c.dep_ == "mark" and c.lower_ in ("before", "after", "since") and c.i < subj.i
            for c in verb.children
        )
        and verb.tag_ in ("VBZ", "VBD")
    ):
        return None
    return head.head


def _who_for(head: Token) -> Token:
    """ "Ann Lee, a planner in Columbus, Ohio, who says ...": "who" is a person; when the parser
    hangs it on a place, the person is the noun that place describes."""
    t = head
    for _ in range(4):
        if t.ent_type_ not in ("GPE", "LOC", "FAC") or t.head.i == t.i:
            break
        t = t.head.head if t.head.dep_ == "prep" else t.head
    return t if t.ent_type_ not in ("GPE", "LOC", "FAC") else head


def _name_before_apposition(subj: Token) -> Token | None:
    """ "Pike, a two-term senator who chairs a panel, has denied ...": a name that is also a word
    ("pike") may be tagged as one and left outside the clause; the indefinite role after it is
    its apposition, and the name, opening the sentence before a comma, is the subject."""
    doc = subj.doc
    i = subj.left_edge.i
    if (
        subj.pos_ != "NOUN"
        or i < 2
        or doc[i - 1].text != ","
        or not any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in subj.children)
    ):
        return None
    start = sentence_of(subj).start
    while start < i and doc[start].is_space:
        start += 1
    run = doc[start : i - 1]
    if not 1 <= len(run) <= 3 or not all(t.is_title and t.is_alpha for t in run):
        return None
    last = run[-1]
    if last.ent_type_ not in ("PERSON", "ORG"):
        return None  # "Still, a senior aide said": a sentence adverb, no name
    return last if last.head.i != subj.i and not subj.is_ancestor(last) else None


def subject_of(verb: Token, depth: int = 0, exclude: tuple[int, int] | None = None) -> Token | None:
    """The token that does the saying for ``verb`` (None when there is no agent).

    ``exclude``: a char range (the quote itself) where the subject cannot be."""
    if depth > 4:
        return None
    subjects = [
        c
        for c in verb.children
        if (c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and verb.lemma_ in QUOTING))
        and not (exclude and exclude[0] <= c.idx < exclude[1])
    ]
    if not subjects and verb.tag_ == "VBN":
        # "Boyd himself is convinced ...": the parser hangs the subject on the auxiliary
        subjects = [
            c
            for a in verb.children
            if a.dep_ in ("auxpass", "aux") and a.i < verb.i
            for c in a.children
            if c.dep_ == "nsubj"
        ]
    if subjects:
        c = min(subjects, key=lambda s: abs(s.i - verb.i))  # "“… Putin later,” Kuleba told"
        document = _document_before_time(verb, c)
        if document is not None:
            return document
        if c.tag_ in ("WP", "WDT") or c.lower_ == "that":
            before = verb.doc[c.i - 1] if c.i > 0 else None
            if (
                verb.dep_ == "relcl"
                and verb.head.pos_ != "VERB"
                and not (
                    before is not None and before.pos_ in NOMINAL and not _in_phrase(before, verb)
                )
            ):
                return _who_for(verb.head) if c.lower_ == "who" else verb.head
            if c.lower_ in ("who", "which") and before is not None and before.pos_ in NOMINAL:
                # "turned to the police department which reported ...": a relative clause the
                # parser hung elsewhere still speaks for the noun right before its pronoun
                return before
            return verb.head if verb.dep_ == "relcl" else None
        name = next(
            (a for a in c.rights if a.dep_ == "appos" and a.right_edge.i == verb.i - 1), None
        )
        if c.pos_ == "PROPN" and name is not None and name.pos_ == "PROPN":
            # "To judge the real Ann Lee, Judge Park said, ...": a name right before the verb,
            # not closed off by a comma, is no apposition but the subject
            return name
        return _name_before_apposition(c) or c
    kids = [c.dep_ for c in verb.children]  # only here: most verbs have a subject above
    if "auxpass" in kids and "nsubjpass" in kids:
        return None  # "it was reported that": no agent
    if verb.dep_ == "ROOT" and verb.tag_ in ("VBZ", "VBD"):
        # "Mayor urges calm after storm, says power will return": a headline's second verb has
        # no subject, and the parser makes the first clause its complement; that clause's
        # subject does both
        first = next(
            (
                c
                for c in verb.lefts
                if c.dep_ == "ccomp"
                and c.tag_ == verb.tag_
                and verb.doc[c.right_edge.i + 1].text == ","
                and c.right_edge.i + 2 == verb.i
            ),
            None,
        )
        if first is not None and any(
            c.i > verb.i and c.dep_ in ("ccomp", "xcomp") for c in verb.children
        ):
            return next((c for c in first.children if c.dep_ == "nsubj"), None)
    if verb.tag_ in ("VBN", "VBD") and verb.dep_ == "acl" and is_cue(verb):
        main = _misread_main_verb_subject(verb)
        if main is not None:
            return main
        if verb.tag_ == "VBD":
            closing = _closing_name_subject(verb)
            if closing is not None:
                return closing
    if verb.dep_ in ("ROOT", "ccomp") and verb.tag_ in ("VBD", "VBZ", "VBP"):
        stranded = stranded_subject(verb)
        if stranded is not None:
            return stranded
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        if verb.tag_ == "VBD" and is_cue(verb):
            # "X was detected after workers reported Y, chief officer Z told reporters": the
            # parser coordinates the closing cue with the lead and hangs the name on its end
            closing = _closing_name_subject(verb)
            if closing is not None:
                return closing
        if (
            verb.tag_ == "VB"
            and verb.head.tag_ in ("VBD", "VBZ")
            and not any(c.dep_ == "aux" for c in verb.children)
        ):
            # "said inscriptions name the ruler ... and link him to ...": a bare verb cannot go on
            # from "said"; the parser tore it from the reported clause, where its subject is
            return None
        if second_report(verb):
            return subject_of(verb.head.head, depth + 1)
        return subject_of(verb.head, depth + 1)
    if verb.tag_ == "VBG" and verb.dep_ == "xcomp":
        # "left many voters feeling that ...", "heard the crowd chanting ...": a participle that
        # completes a verb's object has that object as its subject
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and can_hold_view(obj):
            return obj
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "pcomp", "acl", "conj", "ccomp"):
        head = verb.head
        if head.dep_ == "prep":  # "quoted as saying"
            head = head.head
            if verb.dep_ == "pcomp" and head.lemma_ not in QUOTING:
                return _gerund_agent(head, depth)
        if head.lemma_ in QUOTING:
            if any(c.dep_ == "auxpass" for c in head.children):
                return next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            return obj if obj is not None else subject_of(head, depth + 1)
        if verb.dep_ == "acl" and head.lemma_.lower() in STATEMENT_NOUNS:
            # "issued a statement announcing": the issuer; "In a statement announcing": the
            # statement itself speaks
            owner = None
            held = head
            if held.dep_ == "pobj" and held.head.lower_ == "of" and held.head.head.pos_ == "NOUN":
                held = held.head.head  # "posted a run of tweets attacking"
            if held.head.pos_ in ("VERB", "AUX") and held.dep_ == "dobj":
                owner = subject_of(held.head, depth + 1)
            return owner if owner is not None else head
        if verb.dep_ == "acl" and (
            animate(head) or head.lemma_.lower() in DOCUMENT_NOUNS or people_noun(head)
        ):
            return head  # "a poll showing", "voters demanding", "with traders saying"
        reporter = reporter_participle(verb)
        if reporter is not None:
            return subject_of(reporter, depth + 1)
        absolute = _absolute_subject(verb)
        if absolute is not None:
            return absolute
        if head.pos_ in ("VERB", "AUX") and verb.dep_ != "acl":
            # "After saying A, she was taken to hospital": a participle adjunct's subject is the
            # main clause's surface subject, passive or not
            return _clause_agent(head, depth)
    if (
        verb.dep_ in ("xcomp", "advcl")
        and (verb.tag_ == "VB" or verb.tag_ == "VBN" and _perfect(verb))
        and verb.head.pos_ in ("VERB", "AUX", "ADJ")
    ):
        # "went on to discuss", "appeared to suggest", "forced the CEO to admit", "was able to
        # tout": the infinitive's subject is the controller, the object when there is one
        head = verb.head
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return None
        if head.pos_ == "ADJ":
            if head.dep_ != "acomp" or head.head.pos_ not in ("VERB", "AUX"):
                return None
            head = head.head
        if (
            verb.dep_ == "xcomp"
            and lemma(head) in HEARSAY_VERBS
            and any(c.dep_ == "auxpass" for c in head.children)
        ):
            # "Holt is said to have told aides that ...": the passive's subject is the one
            # who told, by hearsay
            return next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if lemma(head) in HABIT_VERBS and lemma(verb) in SPEECH_VERBS:
            return subject_of(head, depth + 1)  # "likes to say she learned politics at ..."
        if is_cue(head) and (verb.dep_ == "xcomp" or lemma(head) in XCOMP_VERBS):
            return None  # "wants to release", "declined to comment": the head's statement
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and verb.dep_ == "xcomp" and animate(obj):
            return obj  # "forced the chief executive to admit", not "used blunt language to"
        return subject_of(head, depth + 1)
    return None


#: Verbs of a habit of saying ("she likes to say", "he loves to tell the story"): the saying is
#: the subject's own.
HABIT_VERBS = words("like love")
#: "X is said / reported / believed to have ...": hearsay about what X did or said.
HEARSAY_VERBS = words("say report believe think know understand rumor rumour allege")


def _perfect(verb: Token) -> bool:
    """ "to have told": a perfect infinitive, which the tagger leaves as a participle."""
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return "to" in auxes and "have" in auxes


#: Verbs that give a name ("a group calling itself X", "which styles itself X").
SELF_NAMING = words("call dub style name term")
REFLEXIVES = words("itself themselves himself herself")


def self_name(noun: Token) -> Span | None:
    """ "A cybercrime group calling itself "BlackTide"": the name it gives itself."""
    for c in noun.rights:
        if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in SELF_NAMING:
            if not any(x.dep_ == "dobj" and x.lower_ in REFLEXIVES for x in c.children):
                continue
            name = next((x for x in c.children if x.dep_ in ("oprd", "attr", "xcomp")), None)
            if name is not None:
                span = noun.doc[name.left_edge.i : name.right_edge.i + 1]
                while len(span) > 1 and (span[0].is_punct or span[0].dep_ == "det"):
                    span = span[1:]
                while len(span) > 1 and span[-1].is_punct:
                    span = span[:-1]
                return span
    return None


def _absolute_subject(verb: Token) -> Token | None:
    """ "despite several of its backers, among them X, now arguing ...", "with pollster Z
    showing her ahead": in an absolute phrase the participle's subject is the noun of "with"
    or "despite" right before it, though the parser hangs the participle on the main verb."""
    if verb.dep_ != "advcl":
        return None
    doc = verb.doc
    i = verb.left_edge.i - 1
    while i > 0 and (doc[i].is_punct or doc[i].dep_ == "advmod" and doc[i].head.i == verb.i):
        i -= 1
    prep = next(
        (
            c
            for c in verb.head.children
            if c.dep_ == "prep"
            and c.right_edge.i == i
            # ", with X showing ...": set off ("filed a complaint with the board, claiming"
            # is the filer's)
            and (c.lower_ == "despite" or c.lower_ == "with" and doc[c.i - 1].text == ",")
        ),
        None,
    )
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    return obj if obj is not None and can_hold_view(obj) else None


def stranded_subject(verb: Token) -> Token | None:
    """ "When the plan failed, Lee and Park blamed ...", "In a talk with the board Lee said ...":
    a finite verb left without a subject, right after a name the parser hung on the phrase that
    opens the sentence (as its last noun's conjunct, apposition or object). That name is the
    subject; a conjunct's whole coordination ("Lee and Park") speaks."""
    doc = verb.doc
    i = verb.i - 1
    while i > 0 and doc[i].dep_ == "advmod" and doc[i].head.i == verb.i:
        i -= 1  # "Lee apparently disagrees"
    if i > 3 and doc[i].text == "," and doc[i - 1].like_num and doc[i - 2].text == ",":
        i -= 3  # "..., farmer Yohanes Mamahit, 54, said": the age set beside the name
    if (
        i > 1
        and doc[i].text == ","
        and doc[i - 1].pos_ == "PROPN"
        and doc[i - 1].dep_ == "appos"
        and doc[i - 1].head.pos_ == "NOUN"
        and doc[i - 1].head.dep_ in ("conj", "pobj", "appos")
        and doc[i - 1].head.i < doc[i - 1].i
    ):
        # "In a letter to the WTO, Brazil's trade secretary, Marcos Azevedo, wrote": the role
        # and its name, closed off by a comma, hung on the opening phrase
        return doc[i - 1].head
    name = doc[i]
    if name.pos_ != "PROPN" or name.head.i >= name.i or not animate(name):
        return None
    if name.dep_ == "conj":
        while name.dep_ == "conj" and name.head.pos_ == "PROPN" and animate(name.head):
            name = name.head  # "Obama and Clinton": the first of them heads the phrase
        return name
    if name.dep_ == "appos" or (
        name.dep_ == "pobj"
        and name.head.head.i != verb.i
        # "... voters in Florida shows": a place closing a long subject is not the subject
        and name.ent_type_ not in ("GPE", "LOC")
        and not any(c.dep_ == "csubj" for c in verb.children)
    ):
        return name
    return None


def _closing_name_subject(verb: Token) -> Token | None:
    """ "Archaeologists have found a tomb ..., Mexico's National Institute of Anthropology and
    History announced on Friday.": after a long lead the parser hangs the closing cue on the last
    noun as a modifier and the speaker's name on a noun before it. A name set off by a comma
    right before the past-tense cue is its subject."""
    doc = verb.doc
    if verb.i == 0:
        return None
    prev = doc[verb.i - 1]
    # "..., chief veterinary officer Tomasz Wielgosz told a news conference": who was told
    told = (
        ("nsubj", "nsubjpass", "ccomp")
        if lemma(verb) == "tell"
        else ("nsubj", "nsubjpass", "dobj", "ccomp")
    )
    if prev.ent_type_ not in ("ORG", "PERSON", "NORP") or any(
        c.dep_ in told for c in verb.children
    ):
        return None
    ent = next((e for e in doc.ents if e.start <= prev.i < e.end), None)
    if ent is None or ent.end != verb.i:
        return None
    root = ent.root
    start = root.left_edge.i
    if start < 2 or doc[start - 1].text != "," or root.right_edge.i != verb.i - 1:
        return None
    return root


def _misread_main_verb_subject(verb: Token) -> Token | None:
    """ "One of the doctors who signed the letter called him a quack", "Ann Lee, the mayor's
    rival, called Friday for ...": after a long subject the tagger reads the main verb in -ed as
    a participle modifying the last noun, and the sentence is left with a noun or a later
    participle as its root. A cue read so that still takes what it says (an object, a clause, its
    preposition) and has no "by" is the sentence's verb; the subject is the noun phrase the
    sentence opens with."""
    if any(c.dep_ == "agent" for c in verb.children):
        return None
    kids = [c for c in verb.children if c.i > verb.i]
    # "called Mayfield's claim “a lie”": the predicate may be read as the object's apposition
    oprd = sum(1 + any(x.dep_ == "appos" for x in c.children) for c in kids if c.dep_ == "oprd")
    preps = PREP_VERBS.get(lemma(verb), ())
    if not (
        oprd >= 2
        or any(c.dep_ in ("dobj", "ccomp") for c in kids)
        or any(c.dep_ == "prep" and c.lower_ in preps for c in kids)
    ):
        return None
    sent = sentence_of(verb)
    root = sent.root
    if root.i > verb.i and root.tag_ == "VBG":
        # "X, Y's rival, called for A, saying B": the parser made the participle the root
        subj = next((c for c in root.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        return subj if subj is not None and animate(subj) else None
    if root.i < verb.i and root.pos_ in ("NOUN", "PROPN", "NUM") and root.left_edge.i == sent.start:
        return root if can_hold_view(root) or root.pos_ == "NUM" else None
    return None


def _misread_main_verb(verb: Token, subj: Token) -> bool:
    """``verb`` is a main verb read as a participle (see :func:`_misread_main_verb_subject`)
    whose subject is ``subj``."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD") or not is_cue(verb):
        return False
    main = _misread_main_verb_subject(verb)
    return main is not None and main.i == subj.i


def _stranded_object(tok: Token) -> bool:
    """A name the parser made the object of a preposition though a finite verb without a subject
    follows it (see :func:`stranded_subject`)."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return (
        tok.dep_ == "pobj"
        and tok.pos_ == "PROPN"
        and nxt is not None
        and nxt.tag_ in ("VBD", "VBZ", "VBP")
        and not any(c.dep_ in SUBJ_DEPS + ("expl",) for c in nxt.children)
    )


#: Nouns for people and bodies that can speak or be made to (object control needs an agent).
AGENT_NOUNS = words("""person people man woman men women official officials leader leaders
    executive executives chief boss head member members voter voters resident residents worker
    workers employee employees lawmaker lawmakers senator senators minister ministers president
    judge judges court jury panel committee board council government agency company group
    union party campaign administration supporter supporters critic critics expert experts
    journalist journalists reporter reporters candidate candidates colleague colleagues
    staff aide aides adviser advisers advisor advisors spokesman spokeswoman spokesperson
    regulator regulators watchdog tribunal ministry department mother father wife husband
    daughter son sister brother""")


def animate(tok: Token) -> bool:
    """A person, organisation or group: a name, a personal pronoun, or an agent noun."""
    if tok.pos_ == "PRON":
        return tok.lower_ in ("him", "her", "them", "us", "me", "you")
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return tok.lemma_.lower() in AGENT_NOUNS or tok.lower_ in AGENT_NOUNS


#: Studies, surveys and reports, which state findings of their own ("the audit found ...").
FINDER_NOUNS = DOCUMENT_NOUNS | words("""investigation inquiry review audit census report research
    researchers study studies survey surveys poll polls analysis analyses probe""")

#: Subject pronouns that stand for a person or group.
PERSON_PRONOUNS = words("i we you he she they")
#: Nouns for people in the news beyond the agent nouns that speak for bodies.
PERSON_NOUNS = words("""lawyer lawyers attorney attorneys prosecutor prosecutors investigator
    investigators analyst analysts economist economists scientist scientists researcher researchers
    doctor doctors nurse nurses teacher teachers student students parent parents farmer farmers
    activist activists historian historians scholar scholars observer observers director directors
    manager managers owner owners founder founders professor professors diplomat diplomats officer
    officers soldier soldiers citizen citizens neighbor neighbors neighbour neighbours friend
    friends witness witnesses victim victims author authors writer writers host hosts""")


def people_noun(noun: Token) -> bool:
    """A plural noun for people ("traders", "economists", "physicians", "firemen")."""
    return (
        noun.tag_ == "NNS"
        and noun.pos_ == "NOUN"
        and (
            noun.lemma_.lower() in PERSON_NOUNS
            or noun.lower_.endswith(("ers", "ors", "ists", "ians", "men", "people"))
        )
    )


#: Roles only a person holds (not "company", "panel", "agency").
PERSON_AGENTS = words("""official leader executive chief boss head member resident worker employee
    lawmaker senator minister president judge supporter critic expert journalist reporter
    candidate colleague aide adviser advisor spokesman spokeswoman spokesperson mayor governor
    commissioner ambassador envoy coach captain chancellor sheriff nominee billionaire mogul
    tycoon incumbent challenger superintendent treasurer comptroller auditor clerk councilor
    councillor pastor bishop rabbi imam priest chaplain planner consultant pollster organizer
    volunteer banker broker""")
#: Endings of nouns for a person's occupation ("neurologist", "politician", "chairwoman").
PERSON_ENDINGS = ("ist", "ian", "man", "woman", "person")


def person_role(noun: Token, title: bool = False) -> bool:
    """A noun for a role only a person holds ("chief executive", "chairman", "neurologist");
    with ``title``, also written as a title before a name ("Mayor Priya Sandhu")."""
    if not (noun.pos_ == "NOUN" and noun.tag_ == "NN" or title and noun.tag_ == "NNP"):
        return False
    low = noun.lemma_.lower()
    return low in PERSON_NOUNS or low in PERSON_AGENTS or low.endswith(PERSON_ENDINGS)


def can_hold_view(subj: Token) -> bool:
    """Someone who can state or believe a clause: a person or body (an agent noun, or named in
    the phrase, as in "an attorney for Ann Lee"), or a document or survey. "The new evidence
    proves that ...", "the crisis fuelled (fears) that ...": with any other subject a verb's
    that-clause is a logical or causal link, not an attitude."""
    if subj.pos_ == "PRON":
        return subj.lower_ in PERSON_PRONOUNS
    low = subj.lemma_.lower()
    if animate(subj) or {low, subj.lower_} & (FINDER_NOUNS | PERSON_NOUNS):
        return True
    return any(
        t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        for c in subj.children
        if c.dep_ not in ("relcl", "acl")
        for t in c.subtree
    )


def appositive_name(appos: Token, any_label: bool = False) -> Span | None:
    """ "the company's chief executive, Ana Ruiz,": the name set beside a title or role, when the
    model did not tag it (``any_label``: whatever it tagged it): two to four capitalised proper
    nouns and nothing else."""
    if appos.dep_ != "appos" or appos.head.pos_ != "NOUN":
        return None
    if not any_label and appos.ent_type_ not in ("", "PERSON"):
        return None
    span = appos.doc[appos.left_edge.i : appos.right_edge.i + 1]
    if not 2 <= len(span) <= 4 or any(t.tag_ != "NNP" or not t.is_title for t in span):
        return None
    return span


#: Pronouns that name a group by what follows them ("those close to him", "someone like
#: Mr. Clarke", "not everyone"): the phrase is the speaker, not the bare word.
GROUP_PRONOUNS = words("those someone somebody everyone everybody anyone anybody few many some")


def noun_phrase(tok: Token) -> Span:
    """The speaker phrase headed by ``tok``, without relative clauses or trailing asides."""
    doc = tok.doc
    toks = tokens_of(doc)
    if tok.pos_ == "PRON" and tok.lower_ not in GROUP_PRONOUNS:
        return doc[tok.i : tok.i + 1]
    if _stranded_object(tok):
        # "with the board of the Daily Ledger Ortega said": the outlet before the name is the
        # phrase the parser hung it on, not part of who speaks
        start = tok.i
        while tok.ent_type_ == "PERSON" and toks[start].ent_iob_ == "I":
            start -= 1  # the rest of the person's name
        return doc[start : tok.i + 1]
    start = tok.i
    for c in tok.lefts:
        if c.dep_ in ("punct", "cc", "preconj"):
            continue
        start = min(start, c.left_edge.i)
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ in ("punct", "cc"):
            continue
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN"):
            # "Obama and Clinton say ...": both speak
            end = max(end, noun_phrase(c).end)
        elif c.dep_ == "prep" and c.lower_ == "including":
            end = max(end, c.right_edge.i + 1)  # "many experts, including Mr. Goldberg,"
        elif c.dep_ in ("compound", "flat", "nummod", "prep", "nmod", "case", "poss", "amod"):
            if any(t.text in ",;(" for t in toks[end : c.left_edge.i]):
                break
            main = next((t for t in c.subtree if _misread_main_verb(t, tok)), None)
            if main is not None:
                # "One of the nurses who signed the letter called ...": the phrase ends at its
                # verb, which the parser hung inside it
                end = max(end, main.i)
                break
            end = max(end, c.right_edge.i + 1)
        elif c.dep_ == "appos" and (
            any(t.ent_type_ == "PERSON" for t in c.subtree)
            or appositive_name(c) is not None
            # "The agency, NASA, said", "One of the creditors, Kestrel Bank, said": a role noun
            # and the organisation's name beside it
            or (tok.pos_ == "NOUN" or tok.lower_ == "one")
            # "the advocacy group Citizens for Limited Government": a capitalised common word
            # may start the name
            and (c.tag_ in ("NNP", "NNPS") or c.is_title and c.ent_iob_ == "B")
            and c.ent_type_ in ("ORG", "GPE", "NORP")
        ):
            end = max(end, c.right_edge.i + 1)
        elif (
            c.dep_ in ("acl", "relcl")
            and tok.pos_ == "NOUN"
            and not tok.ent_type_
            and c.tag_ != "VBG"
            and any(t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") for t in c.subtree)
            # not when the parser hung the sentence's own verb inside it ("a poll released
            # before the debate shows X ahead")
            and not (c.dep_ == "acl" and any(t.tag_ in FINITE_TAGS for t in c.subtree))
            and not _misread_main_verb(c, tok)
        ):
            # "a study released by the Veterans Affairs department", "a survey that appeared in
            # the Lancet": an unnamed source is identified by who made or carried it
            end = max(end, c.right_edge.i + 1)
        elif (
            c.dep_ == "acl"
            and c.tag_ == "VBN"
            and c.left_edge.i == end
            and (people_noun(tok) or person_role(tok))
            and not any(t.tag_ in FINITE_TAGS for t in c.subtree)
            and not _misread_main_verb(c, tok)
        ):
            # "two people briefed on the discussions": anonymous sources are known by how they
            # know, as "people familiar with the talks" are
            end = max(end, c.right_edge.i + 1)
        else:
            break
    while start < end and (toks[start].is_punct or toks[start].is_space):
        start += 1
    while end > start + 1 and (toks[end - 1].is_punct or toks[end - 1].is_space):
        end -= 1
    return doc[start:end]


def trim(doc: Doc, start: int, end: int, keep_that: bool = False) -> tuple[int, int] | None:
    """Token range [start, end) without edge punctuation, conjunctions and "that"."""
    toks = tokens_of(doc)
    while start < end:
        t = toks[start]
        if (
            t.is_space
            or (t.is_punct and t.text not in QUOTE_CHARS)
            or t.dep_ == "cc"
            or not keep_that
            and t.lower_ in ("that",)
            and t.dep_ == "mark"
        ):
            start += 1
        else:
            break
    while end > start:
        t = toks[end - 1]
        if (
            t.is_space
            or (t.is_punct and t.text not in QUOTE_CHARS and t.text not in ")]")
            or t.dep_ == "cc"
            or t.lower_ in ("and", "but")
        ):
            end -= 1
        else:
            break
    if end <= start:
        return None
    # an unbalanced quote mark at an edge belongs to the surrounding text
    last = toks[end - 1]
    text = doc_text(doc)[toks[start].idx : last.idx + len(last)]  # no Span.text: it joins tokens
    if sum(text.count(q) for q in QUOTE_CHARS) % 2 == 1:
        if toks[start].text in QUOTE_CHARS:
            start += 1
        elif toks[end - 1].text in QUOTE_CHARS:
            end -= 1
    return (start, end) if end > start else None


#: Finite verb tags: a clause of its own.
FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


def narration_between(doc: Doc, start: int, stop: int, cue: Token | None) -> bool:
    """ "“A,” she said. Officials closed the road. “B.”": a finite clause of the writer's own
    between a statement (ending at char ``start``) and a quotation without a cue (at ``stop``)
    breaks the thread; the quotation is not the speaker's to continue. A clause inside the
    statement's cue clause (", who runs the farm") is still about them."""
    gap = doc.char_span(start, stop, alignment_mode="contract") if start < stop else None
    if gap is None:
        return False
    # the cue clause, without a clause of its own joined to it ("and the council closed")
    own: set[int] = set()
    if cue is not None:
        others = {
            t.i
            for c in cue.children
            if c.dep_ == "conj" and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
            for t in c.subtree
        }
        own = {t.i for t in cue.subtree} - others
    return any(t.tag_ in FINITE_TAGS and t.i not in own and not _pronoun_subject(t) for t in gap)


def _pronoun_subject(verb: Token) -> bool:
    """ "“A,” Obama said. He did not elaborate. “B.”": the writer's clause about the speaker
    himself (a pronoun subject) does not break the thread."""
    head = verb if verb.dep_ not in ("aux", "auxpass") else verb.head
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she", "they")
        for c in head.children
    )


def paragraph_starts(text: str) -> list[int]:
    """Char offsets where paragraphs (lines) start."""
    return list(_paragraph_starts(text))


@lru_cache(maxsize=8)
def _paragraph_starts(text: str) -> tuple[int, ...]:
    # Asked four times per article with the same text; a char loop each time was 5% of attribution.
    return (0, *(m.end() for m in _NEWLINE.finditer(text)))


_NEWLINE = re.compile("\n")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
#: "GENEVA — ", "SAN JOSE, Costa Rica, Feb 2 - ", "TOKYO (Reuters) - ", "Washington (CNN) — ",
#: "(Reuters) - ": a capitalised place (in capitals unless an agency's name follows), an optional
#: region, date and agency, then a dash; or the agency alone.
DATELINE = re.compile(
    rf"""[ \t]*(?:
        (?=[A-Z '.\-]*[A-Z]{{3}})[A-Z][A-Z'.\-]+(?:[ ][A-Z][A-Z'.\-]+){{0,3}}
        (?:,[ ][A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){{0,2}})?
        (?:,?[ ]{_MONTH}[ ]\d{{1,2}})?
        (?:[ ]?\([A-Z][\w .&]{{0,20}}\))?
      | [A-Z][a-z]+(?:[ ][A-Z][a-z]+){{0,2}}[ ]?\([A-Z][\w .&]{{0,20}}\)
      | \([A-Z][\w .&]{{0,20}}\)
    )[ ]*[-—–]{{1,2}}[ ]+""",
    re.VERBOSE,
)


def datelines(text: str) -> list[tuple[int, int]]:
    """Char ranges of the datelines opening paragraphs: where the story was filed, not anyone's
    words and not a speaker."""
    out = []
    for p in paragraph_starts(text):
        m = DATELINE.match(text, p)
        if m is not None and m.end() - p <= 80:
            out.append((p, m.end()))
    return out


_SENTS_KEY = "wirewatch.sents"
_TEXT_KEY = "wirewatch.text"
_TOKENS_KEY = "wirewatch.tokens"


def tokens_of(doc: Doc) -> list[Token]:
    """The doc's tokens as one list, built once per doc: ``doc[i]`` and a span's iteration build
    a new Token object on every access, and the rules' scans index the same words thousands of
    times per article. A Token reads its word's attributes from the doc when asked, so the list
    stays right when a pass re-tags a word or moves its head."""
    toks = doc.user_data.get(_TOKENS_KEY)
    if toks is None:
        toks = doc.user_data[_TOKENS_KEY] = list(doc)
    return toks


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc.

    spaCy rebuilds ``Doc.text`` from every token on each access; the attribution passes each need
    it, and rebuilding it six times was a quarter of attribution's time on a seed-size article.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Give :func:`doc_text` the string ``doc`` was made from (spaCy keeps every character, so
    it is ``doc.text``) instead of having it rebuilt from the tokens."""
    doc.user_data[_TEXT_KEY] = text
    return doc


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token``.

    spaCy's ``token.sent`` walks the doc's sentences from the start on every call, which made
    attribution quadratic in article length (a thousand-quote article took longer to attribute
    than to parse); this indexes the sentences once per doc and bisects.
    """
    doc = token.doc
    index = doc.user_data.get(_SENTS_KEY)
    if index is None:
        sents = list(doc.sents)
        index = (sents, [s.start for s in sents])
        doc.user_data[_SENTS_KEY] = index
    sents, starts = index
    return sents[bisect_right(starts, token.i) - 1]
