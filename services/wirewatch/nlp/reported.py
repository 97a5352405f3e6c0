"""Reported (indirect) speech: "X said (that) ...", "..., X said", ", saying ...", "according to X".

Works on the dependency parse: a cue verb's clausal complement is the content, its subject the
speaker. A content that contains quotation marks is a *mixed* statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from spacy.attrs import DEP, IDX, LEMMA, LOWER, POS
from spacy.parts_of_speech import AUX, VERB
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from wirewatch.nlp.common import (
    CUE_LEMMAS,
    FINDER_NOUNS,
    FINITE_TAGS,
    LEMMA_FIXES,
    OBJECT_VERBS,
    PERSON_PRONOUNS,
    PREP_VERBS,
    QUOTE_CHARS,
    REFLEXIVES,
    SELF_NAMING,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    SUBORDINATORS,
    THOUGHT_VERBS,
    XCOMP_VERBS,
    Found,
    animate,
    can_hold_view,
    doc_text,
    is_cue,
    noun_phrase,
    person_role,
    reporter_participle,
    second_report,
    sentence_of,
    stranded_subject,
    subject_of,
    tokens_of,
    trim,
    words,
)
from wirewatch.nlp.common import lemma as cue_lemma

CLAUSE_DEPS = ("ccomp",)
# Unions and differences of the vocabularies are built once here: built inside a rule they cost
# several microseconds on every call, and some rules run for every cue verb.
SPEECH_OR_THOUGHT = SPEECH_VERBS | THOUGHT_VERBS
SPEECH_OR_OBJECT = SPEECH_VERBS | OBJECT_VERBS
#: Verbs whose direct object is the person spoken to, not what is said.
ADDRESSEE_VERBS = words("tell ask quote inform notify assure advise urge remind warn thank")


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


#: Verb + noun phrases that state an opinion ("made the case that", "has doubts about",
#: "voiced concern over"), and verbs of seeing as ("sees the plan as a tax grab").
LIGHT_VERBS = words("make have express voice raise share")
OPINION_NOUNS = words("""case point argument secret clear concern concerns doubt doubts question
    questions reservation reservations misgiving misgivings illusion illusions objection
    objections complaint complaints criticism worry worries fear fears hope hopes view views
    opinion opinions position stance condemnation""")
SEE_AS = words("see view regard")
#: "threw its support behind X", "lent its weight to the campaign": backing someone or something.
SUPPORT_VERBS = words("throw put lend")
SUPPORT_NOUNS = words("support backing weight")


def _light_verb(verb: Token) -> tuple[int, int] | None:
    """What "made the case", "has doubts", "made it clear", "sees X as" are about."""
    doc = verb.doc
    low = verb.lemma_.lower()
    if low in SEE_AS:
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        pred = next(
            (
                c
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ == "as" and obj and c.i > obj.i
            ),
            None,
        )
        return trim(doc, obj.left_edge.i, pred.right_edge.i + 1) if pred is not None else None
    if low in SUPPORT_VERBS:
        # "threw its support behind Quintero", "lent its weight to the bill": whom they back
        obj = next(
            (c for c in verb.children if c.dep_ == "dobj" and c.lower_ in SUPPORT_NOUNS), None
        )
        prep = obj and next(
            (
                x
                for x in [*obj.children, *verb.children]
                if x.dep_ == "prep" and x.lower_ in ("behind", "to", "for") and x.i > obj.i
            ),
            None,
        )
        pobj = prep and next((o for o in prep.children if o.dep_ == "pobj"), None)
        return trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1) if pobj is not None else None
    if low not in LIGHT_VERBS:
        return None
    for c in verb.children:
        if c.i < verb.i or c.lower_ not in OPINION_NOUNS or c.dep_ not in ("dobj", "ccomp", "oprd"):
            continue
        for x in [*c.children, *verb.children]:
            if x.i <= c.i:
                continue
            if x.dep_ in ("ccomp", "acl", "advcl") and x.pos_ in ("VERB", "AUX"):
                return trim(doc, x.left_edge.i, x.right_edge.i + 1)  # "the case that ..."
            if x.dep_ == "prep" and x.lower_ in ("about", "over", "for", "on", "of", "with"):
                pobj = next((o for o in x.children if o.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
        return None
    return None


#: Verbs that report with the particle "out" ("pointed out the risks", "laid out her plans"):
#: without it they are acts.
OUT_VERBS = words("point lay lie spell set")
#: What one lays out or points out in words, not in space ("laid out the tools" is an act).
SET_OUT_NOUNS = words("""plan plans proposal proposals policy policies idea ideas vision case
    argument arguments agenda strategy details terms conditions priorities steps framework
    program programme platform position positions views reasons facts risks dangers flaws
    errors problems differences failings failures credentials record shortcomings
    contradictions consequences costs benefits options goals""")


def _phrasal_cue(verb: Token) -> bool:
    """ "pointed out the flaws", "laid out her plans", "spelled out the terms": a verb of showing
    with "out" says what it shows when that is a thing of words or thought. ("lie" is the
    tagger's lemma for some forms of "lay".)"""
    if (
        verb.pos_ != "VERB"
        or verb.lemma_.lower() not in OUT_VERBS
        or verb.lemma_.lower() == "lie"
        and not verb.lower_.startswith("la")
        or not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
    ):
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lower_ in SET_OUT_OR_TOPIC


def _put_it(verb: Token) -> bool:
    """ "as X put it": an idiom of saying."""
    return (
        verb.lemma_ == "put"
        and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    )


def _zero_relative(verb: Token) -> bool:
    """ "a finding they described as a milestone", "the plan she called reckless": a relative
    clause without a pronoun, whose cue has a subject, no object or clause of its own, and says
    what the noun is after it."""
    return (
        verb.dep_ == "relcl"
        and verb.head.pos_ in ("NOUN", "PROPN")
        and verb.head.i < verb.i
        and any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children)
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "mark") for c in verb.children)
        and not any(c.tag_ in ("WDT", "WP", "WRB") for c in verb.lefts)
        and any(
            c.i > verb.i and (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as"))
            for c in verb.children
        )
    )


def _relative_object(verb: Token) -> tuple[int, int] | None:
    """ "an explosion that the mayor described as an intentional act", "what she called a rant":
    the cue's object is the relative pronoun, so what was said is the whole phrase."""
    # the relative pronoun comes before the cue (with an object after it, _zero_relative fails)
    obj = next((c for c in verb.lefts if c.dep_ == "dobj"), None)
    if obj is None and _zero_relative(verb):
        # "a finding they described as a milestone": no relative pronoun at all
        return trim(verb.doc, verb.head.left_edge.i, verb.right_edge.i + 1)
    if obj is None or obj.tag_ not in ("WDT", "WP"):
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return None
    if not any(c.i > verb.i and c.dep_ in ("oprd", "prep", "xcomp") for c in verb.children):
        return None  # "which the bank detailed": nothing said about it here
    doc = verb.doc
    if verb.dep_ == "relcl" and obj.lower_ != "what":
        return trim(doc, verb.head.left_edge.i, verb.right_edge.i + 1)
    return trim(doc, obj.i, verb.right_edge.i + 1)


def _as_clause(verb: Token) -> tuple[int, int] | None:
    """ "It does not say whether the driver was armed, as police have said" / "As one adviser pointed
    out, Hawaii rarely gets hurricanes" / "Hawaii, as one adviser noted, rarely ...": the clause
    the as-clause hangs on is what was said (around the as-clause when it sits inside)."""
    if verb.dep_ != "advcl":
        return None  # most cues: no need for the head
    head = verb.head
    if (
        head.pos_ not in ("VERB", "AUX")
        or not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children)
        or any(c.dep_ in ("ccomp", "dobj") and c.lower_ != "it" for c in verb.children)
        # "as she called for a recount": the cue has a content of its own
        or any(
            c.dep_ == "prep" and c.lower_ in PREP_VERBS.get(cue_lemma(verb), ())
            for c in verb.children
        )
    ):
        return None
    doc = verb.doc
    a, b = _subtree_range(head)
    lo, hi = verb.left_edge.i, verb.right_edge.i + 1
    if head.i < verb.i and hi >= b - 1:
        return trim(doc, a, lo)  # ", as police have said."
    if lo <= a:
        return trim(doc, hi, b)  # "As one adviser pointed out, ..."
    return trim(doc, a, b)


#: Auxiliaries of a reported clause shifted back into the past.
BACKSHIFT = words("had was were")


def _backshifted(verb: Token, conj: Token, b: int) -> bool:
    """ "said it was saddened and was cooperating with investigators", "... and had reported it
    to police": a past auxiliary after a past cue is the reported clause's tense shifted back,
    not the speaker's next act (but not after ", saying ...": the conjunct then goes on with the
    participle's words)."""
    doc = verb.doc
    return (
        verb.tag_ == "VBD"
        and any(x.dep_ in ("aux", "auxpass") and x.lower_ in BACKSHIFT for x in conj.children)
        and not any(
            t.tag_ == "VBG" and is_cue(t) and doc[t.i - 1].text == "," for t in doc[verb.i + 1 : b]
        )
    )


def _shared_conjuncts(verb: Token, b: int, form: str, clause_tag: str = "") -> int:
    """ "wants to cut taxes, grow the army and end the war" / "says it would cut revenue, but
    would add jobs": the parser hangs the later conjuncts of the content on the cue; a conjunct
    without a subject of its own, in the content's form (bare infinitive; or with a modal, and
    then not a cue of its own), continues the content. ``clause_tag``: the reported clause's verb
    tag, for conjuncts with a subject of their own."""
    doc = verb.doc
    for c in verb.rights:
        if c.i < b or c.dep_ != "conj":
            continue
        if any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children):
            # "said it was too early, and there was no evidence": a clause of its own in the
            # reported clause's tense, joined by a conjunction, is still what was said
            gap = doc[b : c.left_edge.i]
            if (
                form == "MODAL"
                and c.tag_ == clause_tag
                and not is_cue(c)
                and any(t.dep_ == "cc" for t in gap)
                and all(t.is_punct or t.dep_ == "cc" for t in gap)
            ):
                b = c.right_edge.i + 1
                continue
            break
        if form == "MODAL":
            # "says it would cut revenue, but would add jobs" (a cue verb too: "would add
            # billions"); without the modal ("said A and warned B") it is a statement of its own
            ok = any(x.dep_ == "aux" and x.tag_ == "MD" for x in c.children) or _backshifted(
                verb, c, b
            )
        else:
            # "promised to keep and in some districts exceed the quotas": the tagger reads a bare
            # infinitive after a past-tense cue as a present tense; that cue cannot agree with it
            ok = c.tag_ == form or (
                form == "VB" and c.tag_ == "VBP" and verb.tag_ in ("VBD", "VBN", "VBG")
            )
        gap = doc[b : c.left_edge.i]
        if not ok or any(not (t.is_punct or t.dep_ == "cc") for t in gap):
            break
        b = c.right_edge.i + 1
    return b


#: Verbs that set their object beside another ("compared him to Nixon"): both are the content.
LIKEN = words("compare liken equate link")
#: Verbs that judge only through a predicate, like "call" ("painted him as a rich guy",
#: "identified exhaustion as one of the reasons", "linked the breach to Moscow"): without one
#: they are acts ("painted the fence", "identified the victim", "linked the two systems").
PREDICATE_ONLY = words("call paint identify link bill cast frame")

#: Prepositions after an object that say when or why rather than what ("as"/"for" are the
#: predicate, taken already).
NOT_OBJECT_PREPS = words("as for during after before since until amid while despite")
TIME_PREPS = NOT_OBJECT_PREPS - {"as", "for", "since", "until"}


def _predicate_end(pred: Token) -> int:
    """Where a predicate ("as a “crazy system”") ends: before a time or occasion the parser hung
    on it ("... during a campaign stop in Flint", "... Wednesday on a radio show"): when the
    judgement was made, not part of it."""
    doc = pred.doc
    for t in doc[pred.i + 2 : pred.right_edge.i + 1]:
        if (
            t.head.i < t.i
            and t.head.pos_ in ("NOUN", "PROPN")
            and (
                t.dep_ == "prep"
                and t.lower_ in TIME_PREPS
                or t.dep_ in ("npadvmod", "appos")
                and t.ent_type_ in ("DATE", "TIME")
            )
        ):
            return t.left_edge.i
    return pred.right_edge.i + 1


#: Where a poll puts a candidate ("found Lee up five", "showed her ahead by four").
STANDING = words("ahead behind up down even level")


def _object_tail(verb: Token, b: int) -> int:
    """ "released a list of backers from 40 mayors": the parser hangs the object's
    modifiers on the verb; a prepositional phrase right after the object still describes it."""
    doc = verb.doc
    for c in verb.rights:
        if c.i < b or c.dep_ in ("cc", "punct"):
            continue
        if c.dep_ == "conj" and (
            c.pos_ in ("NOUN", "PROPN", "ADJ")
            # "mentioned cutting fees and forcing banks to ...": a gerund cannot go on from a
            # finite or perfect cue ("has mentioned ... and forcing"), so it joins the object
            or c.tag_ == "VBG"
            and verb.tag_ != "VBG"
            and not any(x.dep_ in ("nsubj", "nsubjpass", "aux") for x in c.children)
            # "spoke of the port's history, and how the town grew around it": an
            # indirect question joined to the object
            or c.pos_ in ("VERB", "AUX")
            and c.left_edge.lower_ in ("how", "why", "what", "whether")
        ):
            # "condemned the test as reckless and a grave threat": a further predicate or object
            # hung on the verb
            gap = doc[b : c.left_edge.i]
            if gap and all(t.is_punct or t.dep_ == "cc" for t in gap):
                b = c.right_edge.i + 1
                continue
            break
        if (
            c.dep_ in ("advmod", "prt")
            and c.left_edge.i == b
            and c.right_edge.i + 1 < len(doc)
            and (
                doc[c.right_edge.i + 1].lower_ == "by"
                and doc[c.right_edge.i + 1].head.i in (verb.i, c.i)
                or c.lower_ in STANDING
            )
        ):
            # "shows Smith ahead by four points", "found Lee up five": the object's standing,
            # with its margin
            b = c.right_edge.i + 1
            nxt = doc[b]
            if nxt.lower_ == "by" and nxt.head.i in (verb.i, c.i):
                b = nxt.right_edge.i + 1
            continue
        if c.i != b or c.dep_ != "prep" or c.lower_ in NOT_OBJECT_PREPS:
            break
        if any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
            break  # "endorsed Okafor on Monday": when, not what
        pobj = next((o for o in c.children if o.dep_ == "pobj"), None)
        if (
            c.lower_ in ("in", "at", "on")
            and pobj is not None
            and (cue_lemma(pobj) in OCCASION_NOUNS or pobj.lemma_.lower() in MEDIA_NOUNS)
        ):
            # "endorsed Calloway in a 1,400-word editorial", "praised the court on Twitter":
            # where or how it was said
            break
        b = c.right_edge.i + 1
    return b


def _words_end(doc: Doc, b: int) -> int:
    """``b`` without the whitespace tokens ending the range (a paragraph break after the final
    stop), so that "closes the content" allows for them."""
    toks = tokens_of(doc)
    while b > 0 and toks[b - 1].is_space:
        b -= 1
    return b


def _before_relative(doc: Doc, a: int, b: int) -> int:
    """ "praised the bill, which passed on Monday": a relative clause set off by a comma after an
    object is the writer's aside about it, not part of what was said or judged."""
    toks = tokens_of(doc)
    for t in toks[a + 1 : b]:
        if (
            t.dep_ == "relcl"
            and a <= t.head.i < t.i
            and t.left_edge.i > a
            and toks[t.left_edge.i - 1].text == ","
            and t.left_edge.tag_ in ("WDT", "WP", "WP$", "WRB")
            # the aside closes the content; mid-content it belongs
            and t.right_edge.i >= _words_end(doc, b) - 2
        ):
            return t.left_edge.i - 1
    return b


def _before_past_aside(doc: Doc, a: int, b: int, clause: Token) -> int:
    """ "said he expects her to recover from pneumonia, which forced her to cancel a trip": a
    past-tense "which" clause closing a reported clause in the present is the writer's account
    of what happened, not part of what is said now."""
    if clause.tag_ not in ("VBZ", "VBP") and not any(
        x.dep_ == "aux" and x.tag_ in ("VBZ", "VBP") for x in clause.children
    ):
        return b
    # the parser reads some of these "which" clauses as adverbial clauses
    return _before_closing_clause(
        doc, a, b, "which", lambda t: t.dep_ in ("relcl", "advcl") and t.tag_ == "VBD"
    )


def _that_read_as_determiner(verb: Token) -> tuple[int, int] | None:
    """ "argued that low uptake in Nigeria, where ..., showed that ...": the parser read "that" as
    the object's determiner and hung the clause's verb on the cue as a second verb with no
    subject; the clause runs from the noun to that verb's end."""
    doc = verb.doc
    if verb.i + 2 >= len(doc):
        return None
    that = doc[verb.i + 1]
    if that.lower_ != "that" or cue_lemma(verb) not in SPEECH_OR_THOUGHT:
        return None
    obj = that.head
    if not (that.dep_ == "det" and obj.dep_ == "dobj"):
        return None
    if obj.head.i != verb.i or obj.tag_ not in ("NN", "NNP"):
        return None
    conj = next(
        (
            c
            for c in verb.children
            if c.dep_ == "conj"
            and c.pos_ == "VERB"
            and c.tag_ in ("VBD", "VBZ", "VBP")
            and c.i > obj.right_edge.i
            and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
            and not any(x.dep_ == "cc" for x in doc[obj.right_edge.i + 1 : c.i])
        ),
        None,
    )
    if conj is None:
        return None
    return trim(doc, that.i + 1, conj.right_edge.i + 1)


#: Pronouns that can only be subjects.
SUBJECT_CASE = words("i he she we they")


def _subjects_read_as_object(verb: Token) -> tuple[int, int] | None:
    """ "said flights to Bali and Jakarta were not affected": the parser made the first subject
    the cue's object and the clause's verb a second verb of the cue with the last subject; "say"
    takes no such object, so the clause runs from that noun to the verb's end."""
    if cue_lemma(verb) != "say":
        return None
    doc = verb.doc
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if obj is not None and obj.lower_ in SUBJECT_CASE and obj.i == verb.i + 1:
        # "said she and a dozen delegates planned to ...": a subject pronoun is nobody's object
        return trim(doc, obj.i, obj.right_edge.i + 1)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or obj.left_edge.i != verb.i + 1:
        return None
    conj = next(
        (
            c
            for c in verb.children
            if c.dep_ == "conj"
            and c.pos_ in ("VERB", "AUX")
            and c.i > obj.i
            and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
            and any(t.dep_ == "cc" and t.head.i == obj.i for t in doc[obj.i + 1 : c.i])
        ),
        None,
    )
    if conj is None:
        return None
    return trim(doc, obj.left_edge.i, conj.right_edge.i + 1)


def _before_contrast(doc: Doc, a: int, b: int) -> int:
    """ "said a rise could cost 5,000 jobs, while a study by X found no effect": a contrasting
    clause with a report of its own is the writer setting another source beside this one."""
    toks = tokens_of(doc)
    # most contents have neither word: one look at the text spares walking their tokens
    end = min(b, len(doc))
    low = _text(doc, a, end).lower() if end > a + 2 else ""
    if "while" not in low and "whereas" not in low:
        return b
    for t in toks[a + 2 : b]:
        head = t.head
        if (
            t.lower_ in ("while", "whereas")
            and t.dep_ == "mark"
            and toks[t.i - 1].text == ","
            and is_cue(head)
            and any(c.dep_ == "nsubj" and c.i > t.i for c in head.children)
        ):
            return t.i - 1
    return b


def _before_semicolon(doc: Doc, a: int, b: int) -> int:
    """ "said the timing was not intended; they only learned of it on Friday": after a semicolon
    a clause with a subject of its own is the writer's next sentence."""
    toks = tokens_of(doc)
    end = min(b, len(doc))
    if end <= a + 1 or ";" not in _text(doc, a + 1, end):
        return b  # no semicolon at all (most contents): no token walk
    for t in toks[a + 1 : b]:
        if t.text == ";" and any(
            c.dep_ in ("nsubj", "nsubjpass") for x in toks[t.i + 1 : b] for c in x.children
        ):
            return t.i
    return b


def _before_bio(doc: Doc, a: int, b: int) -> int:
    """ "said the board should fire Ann Lee, who has run the fund since 2010": a "who" clause set
    off by a comma after a name, closing a reported clause, is the writer's note on that person."""
    return _before_closing_clause(
        doc, a, b, "who", lambda t: t.dep_ == "relcl" and t.head.pos_ == "PROPN"
    )


def _before_closing_clause(
    doc: Doc, a: int, b: int, opener: str, kind: Callable[[Token], bool]
) -> int:
    """Where content ``a``..``b`` ends when a clause of ``kind``, opened by ``opener`` after a
    comma and hung on a word of the content, runs to its end: before the comma; else ``b``."""
    toks = tokens_of(doc)
    if b <= a or "," not in _text(doc, a, b):
        return b
    for t in toks[a + 1 : b]:
        if (
            kind(t)
            and a <= t.head.i < t.i
            and t.left_edge.i > a
            and t.left_edge.lower_ == opener
            and toks[t.left_edge.i - 1].text == ","
            and t.right_edge.i >= _words_end(doc, b) - 2
            # "..., who finished second, and that his results would stand": the parser hung
            # the next reported clause on the aside; the content goes on with it
            and not any(
                c.dep_ == "conj" and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark"
                for c in t.children
            )
        ):
            return t.left_edge.i - 1
    return b


def _before_apposition(doc: Doc, a: int, b: int) -> int:
    """ "said he would not back Mr. Smith, the party's nominee": an apposition set off by a comma
    that glosses a name and closes the content is the writer's note on who that is, not part of
    what was said. Only names, and only in a reported clause: after a common noun ("a liar, a
    fraud") or in an object ("criticized Ms. Doe, the former mayor") it is part of what was said."""
    toks = tokens_of(doc)
    if b <= a or "," not in _text(doc, a, b):
        return b
    if not any(t.pos_ in ("VERB", "AUX") and not a <= t.head.i < b for t in toks[a:b]):
        return b
    for t in toks[a + 1 : b]:
        if (
            t.dep_ == "appos"
            and a <= t.head.i < t.left_edge.i
            and t.head.pos_ == "PROPN"
            and t.left_edge.tag_ in ("DT", "PRP$")
            and toks[t.left_edge.i - 1].text == ","
            and t.right_edge.i >= _words_end(doc, b) - 2
        ):
            return t.left_edge.i - 1
        if (
            # "he was "the victim of a rogue team", an account the judge rejected": the
            # writer's word on what was said, closing it ("that he "should quit," a post that
            # drew replies": after a quotation the parser may take it for an object)
            t.dep_ in ("appos", "npadvmod", "dobj")
            and t.left_edge.lower_ in ("a", "an")
            and (
                toks[t.left_edge.i - 1].text == ","
                or toks[t.left_edge.i - 1].text in QUOTE_CHARS
                and toks[t.left_edge.i - 1].whitespace_  # a closing mark
                and toks[t.left_edge.i - 2].text == ","
            )
            and t.pos_ == "NOUN"
            and any(c.dep_ in ("relcl", "acl") for c in t.children)
            and t.right_edge.i >= _words_end(doc, b) - 2
        ):
            return t.left_edge.i - 1
    return b


DASH_MARKS = frozenset(("—", "–", "-", "--"))


def _before_dash_aside(doc: Doc, a: int, b: int) -> int:
    """ "likened the rules to 'burning the Constitution' - a charge that stung": an indefinite
    noun phrase set off by a dash that closes the content and names it as a kind of saying (a
    charge, a metaphor) is the writer's word on it; another ("for another woman - a witness") may
    be the speaker's own."""
    toks = tokens_of(doc)
    if b - a < 4:
        return b
    text = _text(doc, a, b)  # once, not once per dash
    if not any(d in text for d in "—–-"):
        return b
    for t in toks[a + 2 : b - 1]:
        if (
            t.text in DASH_MARKS
            and toks[t.i + 1].lower_ in ("a", "an")
            and _aside_noun(toks[t.i + 1].head)
            and toks[t.i + 1].head.right_edge.i >= _words_end(doc, b) - 2
        ):
            return t.i
    return b


def _aside_noun(noun: Token) -> bool:
    low = noun.lemma_.lower()
    return noun.pos_ == "NOUN" and (low in TOPIC_NOUNS or low in SAYING_NOUNS)


def _before_other_report(doc: Doc, a: int, b: int) -> int:
    """ "said the probe was mishandled, and critics accused the board of ...": a closing clause
    with a speech verb and a speaker of its own (a person or group, not "the data showed"),
    joined by a conjunction, is another report (the parser hangs it inside the reported
    clause), not part of this one."""
    toks = tokens_of(doc)
    for t in toks[a + 2 : b]:
        if (
            t.dep_ == "conj"
            and t.right_edge.i >= _words_end(doc, b) - 2
            and is_cue(t, SPEECH_OR_OBJECT)
            and any(c.dep_ == "nsubj" and c.i < t.i and animate(c) for c in t.children)
            and toks[t.left_edge.i - 1].dep_ == "cc"
            and t.left_edge.dep_ != "mark"  # "and that it would ...": still what was said
        ):
            cut = t.left_edge.i - 1
            while cut > a and (toks[cut - 1].dep_ == "cc" or toks[cut - 1].is_punct):
                cut -= 1
            return cut
    return b


#: "..., without giving details": how the speaker said it, not what was said.
WITHOUT_SAYING = words("""give provide offer elaborate specify detail name identify cite explain
    disclose reveal say comment mention present produce share answer address go""")


def _without_saying(t: Token) -> bool:
    return (
        t.lower_ == "without"
        and t.dep_ == "prep"
        and any(
            c.dep_ == "pcomp" and c.tag_ == "VBG" and c.lemma_.lower() in WITHOUT_SAYING
            for c in t.children
        )
    )


def _when_it_comes_to(verb: Token, b: int) -> int:
    """'said there is a "wide gulf," when it comes to the number of clerks': the idiom goes on
    with what was said, though the parser hangs it on the cue as a time clause."""
    doc = verb.doc
    for x in verb.rights:
        first = x.left_edge
        if (
            x.dep_ == "advcl"
            and b <= first.i <= b + 2
            and all(t.is_punct for t in doc[b : first.i])
            and [t.lower_ for t in doc[first.i : first.i + 4]] == ["when", "it", "comes", "to"]
        ):
            return x.right_edge.i + 1
    return b


def _clause_past_without(verb: Token) -> tuple[int, int] | None:
    """ "claimed without offering evidence that dead people were voting": the parser hangs the
    that-clause on the aside's noun ("evidence that ..."); it is what was claimed, with any
    further that-clause coordinated with the cue."""
    doc = verb.doc
    aside = next((c for c in verb.rights if _without_saying(c)), None)
    if aside is None:
        return None
    for t in aside.subtree:
        first = t.left_edge
        if (
            t.dep_ in ("acl", "relcl", "ccomp")
            and t.pos_ in ("VERB", "AUX")
            and first.lower_ == "that"
            and t.right_edge.i == aside.right_edge.i
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.i > first.i for c in t.children)
        ):
            return trim(doc, first.i + 1, _that_conjunct(verb, t.right_edge.i + 1))
    return None


def _before_participle(doc: Doc, a: int, b: int) -> int:
    """ "said he did not believe it, arguing that ...": a participle of a cue verb set off by a
    comma at the end of the content is the speaker's next statement (the parser hangs it on the
    reported clause); a closing ", although ..." is the writer's concession, and a closing
    ", without giving details" says how the speaker spoke."""
    toks = tokens_of(doc)
    if b <= a + 2:
        return b  # no token to look at
    closes = _words_end(doc, b) - 2  # where a closing clause must reach (once, not per token)
    for t in toks[a + 2 : b]:
        if t.right_edge.i >= closes:
            if reporter_participle(t) is not None:
                return t.left_edge.i - 1
            if toks[t.i - 1].text == "," and _without_saying(t):
                return t.i - 1
        if (
            t.dep_ == "mark"
            and t.lower_ in ("although", "though")
            and toks[t.i - 1].text == ","
            and t.head.right_edge.i >= closes
            and not _own_concession(t.head, toks[a])
        ):
            return t.i - 1
    return b


def _own_concession(clause: Token, first: Token) -> bool:
    """ "said she would vote yes, although she was worried about ...": a concession whose
    subject is the same pronoun as the reported clause's, in the reported tense, is the
    speaker's own."""
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        subj is not None
        and subj.lower_ in PERSON_PRONOUNS
        and subj.lower_ == first.lower_
        and (
            clause.tag_ in ("VBD", "MD")
            or any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "MD") for c in clause.children
            )
        )
    )


CONDITIONS = words("if unless once until")
NOT_CONDITIONS = SUBORDINATORS - CONDITIONS


def _before_adjunct(doc: Doc, a: int, b: int) -> int:
    """ "warned officials to boost security after hackers struck": a closing time or cause clause
    says when or why the cue was spoken, not what was urged (a condition is part of it: "pledged
    to cut emissions if China did too")."""
    toks = tokens_of(doc)
    for t in toks[a + 2 : b]:
        if (
            t.dep_ == "mark"
            and t.lower_ in NOT_CONDITIONS
            and t.head.dep_ == "advcl"
            and t.i == t.head.left_edge.i
            and t.head.right_edge.i >= _words_end(doc, b) - 2
        ):
            return t.i
    return b


PRESENT_TAGS = frozenset(("VBZ", "VBP"))


def _fronted_present(verb: Token, a: int) -> int:
    """ "When she hires staff, she said, she looks at ...": a present-tense clause opening the
    sentence before a past-tense cue is in the reported tense, not the time of saying; it is part
    of what was said (a past one, "When he arrived, she said ...", says when it was said)."""
    if verb.tag_ != "VBD":
        return a
    sent = sentence_of(verb)
    for c in verb.lefts:
        if (
            c.dep_ == "advcl"
            and c.left_edge.i == sent.start
            and (
                c.tag_ in PRESENT_TAGS
                or any(x.dep_ == "aux" and x.tag_ in PRESENT_TAGS for x in c.children)
            )
            and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
        ):
            return c.left_edge.i
    return a


def _object_as_subject(verb: Token, clause: Token, a: int) -> int:
    """ "Analysts said supply limits at the plant, which makes the chips, could slow deliveries":
    after a long subject the parser makes it the cue's object and leaves the clause without a
    subject; that object is the clause's subject, so the content starts with it. Not after verbs
    whose object is the listener ("told reporters the chip would ship"), unless the object
    could not listen ("warned the supports were corroding")."""
    if any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in clause.children):
        return a
    obj = next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.i), None)
    if obj is None or obj.left_edge.i >= a:
        return a
    if cue_lemma(verb) in ADDRESSEE_VERBS and (can_hold_view(obj) or obj.pos_ in ("PRON", "PROPN")):
        return a
    return obj.left_edge.i


def _fronted_subject(verb: Token, clause: Token, a: int) -> int:
    """ "The line, the minister told reporters, would change ...": the reported clause's subject
    comes before the cue, set off by a comma; the parser leaves it hanging on the cue and the
    clause after it without a subject. The content runs from that subject across the cue."""
    if any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in clause.children):
        return a
    doc = verb.doc
    subj = next((x for x in reversed(list(verb.lefts)) if x.dep_ in ("nsubj", "nsubjpass")), None)
    front = next((x for x in verb.lefts if x.dep_ in ("dep", "npadvmod", "nsubj")), None)
    if (
        subj is None
        or front is None
        or front.i >= subj.i
        or front.pos_ not in ("NOUN", "PROPN")
        or front.left_edge.i != sentence_of(verb).start
        or doc[front.right_edge.i + 1].text != ","
        or front.right_edge.i + 1 >= subj.left_edge.i
    ):
        return a
    return front.left_edge.i


def _infinitive_first(verb: Token, clause: Token) -> bool:
    """An infinitive of the cue comes before the clause the parser also hung on it: "urged
    voters to stay home as officials fear ... could be ...". The infinitive is what was urged;
    the later clause belongs to an adverbial the parser split."""
    return any(
        c.dep_ == "xcomp" and verb.i < c.i < clause.i and c.pos_ in ("VERB", "AUX")
        for c in verb.children
    )


def _unlabelled_rest(verb: Token, b: int) -> int:
    """ "says the campaign plans to send Marsh's running mate, Gov. Daniel Orcutt, to union
    halls ...": past a comma the parser lost the clause and hung the rest of the sentence on the
    cue with no relation ("dep"), or as the verb's conjunct though it has no verb; a cue's own
    additions carry a relation of their own (a time, a place, a participle), so the rest is more
    of what was said."""
    doc = verb.doc
    end = sentence_of(verb).end
    for x in verb.rights:
        if (
            (
                x.dep_ == "dep"
                # a noun cannot be the verb's conjunct: a name the parser cut loose
                or x.dep_ == "conj"
                and x.pos_ in ("PROPN", "NOUN")
                and not any(t.pos_ in ("VERB", "AUX") for t in x.subtree)
            )
            and x.left_edge.i == b + 1
            and doc[b].text == ","
            and all(t.is_punct or t.is_space for t in doc[x.right_edge.i + 1 : end])
        ):
            return x.right_edge.i + 1
    return b


def _coordinated_prep(verb: Token, a: int, b: int) -> int:
    """ "said the day stirred memories of her mother, and of all those who came before": a
    preposition of the content repeated after "and" right after it continues the content,
    though the parser hangs it on the cue."""
    doc = verb.doc
    for c in verb.rights:
        if c.i < b or c.dep_ != "prep":
            continue
        gap = doc[b : c.i]
        if not gap or any(not (t.is_punct or t.dep_ == "cc") for t in gap):
            return b
        if not any(t.dep_ == "cc" for t in gap):
            return b
        if any(t.dep_ == "prep" and t.lower_ == c.lower_ for t in doc[a:b]):
            return c.right_edge.i + 1
        return b
    return b


def _that_conjunct(verb: Token, b: int) -> int:
    """ "said it was not aware of any accidents, and that owners would be contacted": a second
    that-clause the parser coordinates with the cue itself continues the content."""
    for c in verb.rights:
        if (
            c.dep_ == "conj"
            and c.left_edge.i >= b
            and any(
                m.dep_ == "mark" and m.lower_ in ("that", "whether") and m.i == c.left_edge.i
                for m in c.children
            )
        ):
            return c.right_edge.i + 1
    return b


def _participle_subject_predicate(clause: Token, nxt: Token) -> bool:
    """ "confirmed that water samples taken near the town showed high levels": the parser reads
    the participle describing the subject as the clause's verb and hangs the real verb on the
    cue with no subject. A finite verb right after such a participle clause, with no subject of
    its own, goes on with it."""
    return (
        clause.tag_ == "VBN"
        and not any(c.dep_ in ("aux", "auxpass") for c in clause.children)
        and any(c.dep_ == "nsubj" and c.i < clause.i for c in clause.children)
        and nxt.left_edge.i == clause.right_edge.i + 1
        and nxt.tag_ in ("VBZ", "VBD", "VBP")
        and not _has_subject(nxt)
    )


def _has_object(verb: Token) -> bool:
    return any(x.dep_ == "dobj" for x in verb.children)


def _has_subject(verb: Token) -> bool:
    return any(x.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for x in verb.children)


def _subjectless_finite(c: Token) -> bool:
    """ "Everything the mayor says is a lie": a finite verb without a subject right after the cue
    is the predicate of a noun the cue's clause modifies (the parser made it the cue's
    complement), not a clause that was said."""
    return c.i == c.head.i + 1 and c.tag_ in ("VBZ", "VBD", "VBP") and not _has_subject(c)


#: Conjunctions of time and cause: a clause they open says when or why, never what was said.
TIME_CAUSE = words("before after when whenever since until once while because")


def _adverbial_clause(c: Token) -> bool:
    """ "said before he died": the parser may hang a time clause on the cue as its complement;
    opened by a conjunction of time or cause it is an adverbial, not what was said."""
    first = c.left_edge
    return first.dep_ == "mark" and first.head.i == c.i and first.lower_ in TIME_CAUSE


def _bare_clause(c: Token) -> bool:
    """ "Trump said after the rally he would not ...": the parser hangs a finite clause with its
    own subject and no conjunction ("when", "because") on the cue as an adverbial; after a
    speech verb it is the complement."""
    return (
        c.dep_ == "advcl"
        and c.i > c.head.i
        and c.tag_ not in ("VBG", "VBN")
        and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
        and not any(x.dep_ in ("mark", "advmod") and x.i < c.i for x in c.children)
        and not any(x.tag_ in ("WRB", "WDT", "WP") for x in c.subtree if x.i < c.i)
    )


def _indirect_question(c: Token) -> bool:
    """ "has not said when the bridge would reopen": the parser hangs a finite wh-clause right
    after a speech verb on it as an adverbial of time or manner; there it is what was (not)
    said. Set off by a comma ("said, when asked, ...") it is an adverbial."""
    if c.dep_ != "advcl":
        return False  # most children: no need for the head
    verb = c.head
    if c.left_edge.tag_ != "WRB" or c.left_edge.i <= verb.i:
        return False
    if any(x.dep_ == "dobj" for x in verb.children):
        return False  # "what she said when she resigned": the when-clause is the time
    gap = c.doc[verb.i + 1 : c.left_edge.i]
    return all(t.dep_ in ("advmod", "npadvmod") and t.head.i == verb.i for t in gap) and any(
        x.dep_ in ("nsubj", "nsubjpass") for x in c.children
    )


def _addressed_infinitive(verb: Token, c: Token) -> bool:
    """ "told his supporters at the rally to vote early": after an adjunct the parser hangs the
    infinitive on the cue as a purpose clause; with a person addressed before it, it is what
    they were told to do ("told jokes to lighten the mood" is a purpose)."""
    return (
        c.dep_ == "advcl"
        and cue_lemma(verb) in ADDRESSEE_VERBS
        and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
        and any(x.dep_ == "dobj" and x.i < c.i and animate(x) for x in verb.children)
    )


#: Thought verbs that may close a sentence about what is thought ("It will rain, she thinks",
#: "..., the paper has learned"); others ("wants", "plans") only look ahead.
BEFORE_THOUGHTS = words("think believe expect fear hope feel know suspect reckon guess learn find")
SPEECH_OR_BEFORE_THOUGHTS = SPEECH_VERBS | BEFORE_THOUGHTS


def _content_of(verb: Token) -> tuple[int, int] | None:
    """Token range of what ``verb`` reports."""
    doc = verb.doc
    lemma = cue_lemma(verb)
    colon = _after_colon(doc, verb) if lemma in SPEECH_VERBS else None
    if colon is not None:
        return colon
    as_clause = _as_clause(verb)
    if as_clause is not None:
        return as_clause
    misread = _that_read_as_determiner(verb) or _subjects_read_as_object(verb)
    if misread is not None:
        return misread
    relative = _relative_object(verb)
    if relative is not None:
        return relative
    comps = [
        c
        for c in verb.children
        if c.dep_ in CLAUSE_DEPS
        and not _subjectless_finite(c)
        and not _adverbial_clause(c)
        # "…, scientists said on Wednesday, the worst result since …": an aside read as a clause
        and not (c.pos_ == "NOUN" and _set_off(verb.doc, verb, c))
    ]
    if not comps and lemma in SPEECH_VERBS:
        past = _clause_past_without(verb)
        if past is not None:
            return past
        bare = [c for c in verb.children if _bare_clause(c)]
        if bare:
            c = bare[0]
            subj = next(x for x in c.children if x.dep_ in ("nsubj", "nsubjpass"))
            return trim(doc, subj.left_edge.i, c.right_edge.i + 1)  # not "after the rally"
        question = next((c for c in verb.children if _indirect_question(c)), None)
        if question is not None:
            return trim(doc, question.left_edge.i, question.right_edge.i + 1)
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if lemma in PREDICATE_ONLY and obj is not None and comps and obj.i < comps[0].left_edge.i:
        # "called the comments “beneath the office” Vance is seeking": "call" takes no clause;
        # the parser made the predicate's relative clause one
        return trim(doc, obj.left_edge.i, max(c.right_edge.i for c in comps) + 1)
    after = [c for c in comps if c.i > verb.i]
    other = None
    if len(after) == 2 and _participle_subject_predicate(*after):
        pass  # one clause the parser split in two
    elif len(after) > 1:
        # "said they were sure the audit was botched and Labour accused the Tories of ...":
        # a later clause the parser hung on the cue, with a name of its own before it, is
        # another report, not more of this one
        own = [(c, stranded_subject(c)) for c in after[1:]]
        other = next((name for _, name in own if name is not None), None)
        after = [after[0]] + [c for c, name in own if name is None]
    before = [c for c in comps if c.i < verb.i]
    if after and lemma in XCOMP_VERBS and _infinitive_first(verb, after[0]):
        after = []  # "urging older people to get vaccinated as ...": what was urged comes first
    if after:
        a, _ = _subtree_range(after[0])
        _, b = _subtree_range(after[-1])
        b = _that_conjunct(verb, b)
        own = next(
            (
                x
                for x in verb.rights
                if x.dep_ == "advcl"
                and x.left_edge.i == b + 1
                and doc[b].text == ","
                and x.left_edge.lower_ in ("although", "though")
                and _own_concession(x, doc[a])
            ),
            None,
        )
        if own is not None:
            b = own.right_edge.i + 1  # the parser hung the speaker's concession on the cue
        b = _when_it_comes_to(verb, b)
        b = _coordinated_prep(verb, a, b)
        b = _unlabelled_rest(verb, b)
        if other is not None and a < other.left_edge.i < b:
            b = other.left_edge.i  # the other report's speaker, hung on this clause's end
        a = _after_leading_time(doc, a, after[0])
        a = _fronted_present(verb, a)
        a = _object_as_subject(verb, after[0], a)
        a = _fronted_subject(verb, after[0], a)
        second = next((c for c in after[-1].rights if second_report(c)), None)
        if second is not None:
            b = second.left_edge.i  # "said A and warned B": B is a statement of its own
        b = _before_contrast(doc, a, _before_semicolon(doc, a, b))
        return trim(
            doc,
            a,
            _before_other_report(
                doc,
                a,
                _before_bio(
                    doc,
                    a,
                    _before_past_aside(
                        doc,
                        a,
                        _before_participle(
                            doc, a, _shared_conjuncts(verb, b, "MODAL", after[-1].tag_)
                        ),
                        after[-1],
                    ),
                ),
            ),
        )
    if (
        before
        and lemma in SPEECH_OR_BEFORE_THOUGHTS
        # "Leaders denounce the test; others vow consequences": a cue with an object of its own
        # says that, not the clause the parser hangs before it (the object of "told" is who
        # was told)
        and (lemma in ADDRESSEE_VERBS or not any(c.dep_ == "dobj" for c in verb.rights))
    ):
        c = before[-1]  # the clause nearest the cue: "The plan will fail, he said."
        a, b = _subtree_range(c)
        tail = next(
            (x for x in verb.lefts if x.dep_ == "advcl" and x.left_edge.i == b and x.i > c.i),
            None,
        )
        if tail is not None and tail.left_edge.lower_ in SUBORDINATORS:
            # "A after divers reported B, the inspector said": the parser hangs A's time
            # clause on the cue; it still belongs to what was said
            b = tail.right_edge.i + 1
        if not _separated(doc, c.right_edge.i, verb):
            return None
        sent = sentence_of(verb)
        lead = doc[sent.start : a]
        if lead.text.strip() and not any(t.text in QUOTE_CHARS for t in lead):
            # "A, but B, a source said": the whole sentence up to the cue, also when A reports
            # someone else ("X had told them that A, but B, the aide added": the aide says both)
            a = sent.start
        if _continues(doc, verb):
            # "A, he said, B": the sentence around the cue
            return trim(doc, a, _before_participle(doc, a, sent.end))
        return trim(doc, a, min(b, verb.i))
    if lemma in XCOMP_VERBS:
        for c in verb.rights:
            if c.pos_ in ("VERB", "AUX") and (c.dep_ == "xcomp" or _addressed_infinitive(verb, c)):
                a, b = _subtree_range(c)
                # only what sits between the cue and the infinitive ("urged voters to"), not a
                # fronted adjunct ("In his speech, Graham urged ...")
                obj = next(
                    (o for o in verb.children if o.dep_ in ("dobj", "prep") and verb.i < o.i < c.i),
                    None,
                )
                if obj is not None:
                    a = obj.left_edge.i if obj.dep_ == "dobj" else obj.i + 1
                b = _shared_conjuncts(verb, b, c.tag_)
                if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.pos_ == "VERB":
                    # "embraced the plan, promising to meet and exceed its goals": the parser
                    # hangs the second infinitive on the clause the participle hangs on
                    b = _shared_conjuncts(verb.head, b, c.tag_)
                return trim(doc, a, _before_adjunct(doc, a, b))
    gerund = next(
        (c for c in verb.rights if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VBG"),
        None,
    )
    if gerund is not None and not any(c.dep_ == "dobj" for c in verb.children):
        return trim(doc, *_subtree_range(gerund))  # "proposed dropping the tax", "admitted lying"
    preps = PREP_VERBS.get(lemma)
    if preps:
        for c in verb.rights:
            if c.dep_ in ("prep", "prt") and c.lower_ in preps:
                if lemma == "call" and any(
                    o.dep_ == "dobj" and verb.i < o.i < c.i for o in verb.children
                ):
                    continue  # "called the release “a disaster on top of ...”": not "call on"
                pobj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp")), None)
                if pobj is None or pobj.ent_type_ in ("DATE", "TIME"):
                    continue  # "spoke on Monday": when, not what about
                if c.lower_ in ("on", "from", "at", "in", "aboard") and (
                    pobj.ent_type_ in ("GPE", "LOC", "FAC") or cue_lemma(pobj) in WHERE_NOUNS
                ):
                    continue  # "speaking on the Senate floor", "on his campaign plane": where
                if c.lower_ == "on" and pobj.lemma_.lower() in MEDIA_NOUNS:
                    continue  # "commented on Twitter": how it was said
                answer = lemma in ANSWER_VERBS and c.lower_ == "with"
                if answer and cue_lemma(pobj) not in WORDS_NOUNS:
                    continue  # "responded with tear gas": an act; "with a statement": words
                a, b = _subtree_range(pobj)
                for x in verb.children:  # "called on leaders to resign"
                    if x.dep_ == "xcomp" and x.i > c.i:
                        b = max(b, x.right_edge.i + 1)
                return trim(doc, a, _before_relative(doc, a, _object_tail(verb, b)))
    if lemma in OBJECT_VERBS:
        for c in verb.rights:
            if c.dep_ == "dobj" and not _set_off(doc, verb, c):
                topic = _opinion_topic(c) if lemma not in REBUTTING else None
                if topic is not None:
                    return topic
                a, b = _subtree_range(c)
                pred = [
                    x
                    for x in verb.children
                    if x.i > c.i
                    and (
                        x.dep_ in ("oprd", "xcomp")
                        # "labeled the plan a disaster": the predicate read as a second object
                        # (after a comma it is another thing: "..., more support from women")
                        or (
                            x.dep_ == "dobj"
                            and not any(t.text == "," for t in doc[c.right_edge.i : x.left_edge.i])
                        )
                        or (x.dep_ == "prep" and x.lower_ in ("as", "for"))
                        or (x.dep_ == "prep" and x.lower_ in ("to", "with") and lemma in LIKEN)
                        or _as_predicate(x, b)
                    )
                ]
                if lemma in PREDICATE_ONLY and not pred:
                    return None  # "a man called Smith", "painted the fence"
                for x in pred:
                    b = max(b, _predicate_end(x))
                return trim(doc, a, _before_relative(doc, a, _object_tail(verb, b)))
        oprd = [c for c in verb.rights if c.dep_ == "oprd"]
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if len(oprd) >= 2 and not passive:
            # "Cruz called Trump a liar": the parser makes both the object and the predicate oprd
            return trim(doc, oprd[0].left_edge.i, oprd[-1].right_edge.i + 1)
        if len(oprd) == 1 and not passive and any(x.dep_ == "appos" for x in oprd[0].children):
            # "called Mayfield's claim “a lie”": the predicate read as the object's apposition
            return trim(doc, oprd[0].left_edge.i, oprd[0].right_edge.i + 1)
    if lemma in ADDRESSEE_VERBS:
        clause = _clause_in_addressee(verb)
        if clause is not None:
            return clause
    if lemma in SPEECH_VERBS and not (lemma in ADDRESSEE_VERBS and _has_object(verb)):
        clause = _clause_on_occasion(verb)
        if clause is not None:
            return clause
    if lemma in SPEECH_VERBS:
        clause = _inverted_complement(verb)
        if clause is not None:
            return clause
    # "The plan will fail, he said." parsed with the cue as parataxis / ccomp of the main verb
    head = verb.head
    if (
        # "Only 9 percent, the survey found, said ...": a poll that finds states it
        (lemma in SPEECH_VERBS or lemma == "find" and _document_subject(verb))
        and verb.dep_ in ("parataxis", "ccomp")
        and head.pos_ in ("VERB", "AUX")
        and head.i != verb.i
    ):
        subj = subject_of(verb)
        a, b = _subtree_range(head)
        cue_a = min(verb.left_edge.i, subj.left_edge.i if subj is not None else verb.i)
        if (
            subj is not None
            and cue_a < subj.left_edge.i
            and doc[subj.left_edge.i - 1].text in ",;—–"
        ):
            # "A caused the collision ..., the commission said": the parser gave the cue the
            # head clause's object as a second subject; the speaker starts after the comma
            cue_a = subj.left_edge.i
        cue_b = verb.right_edge.i + 1
        if head.i < verb.i and _separated(doc, head.i, verb):
            if cue_b >= b - 1 and _continues(doc, verb):
                # "Though A was smooth, he said, B would be bitter": the cue sits between the
                # clauses of one sentence (the parser hangs it on the first): the sentence
                sent = sentence_of(verb)
                a = min(a, sent.start)
                return trim(doc, a, _before_participle(doc, a, sent.end))
            if cue_b >= b - 1 or _verbless(doc[cue_b:b]):
                # "The plan will fail, he said." / "Revenue rose 14%, the carrier said, ahead of
                # forecasts": only the writer's verbless comment follows the cue clause
                return trim(doc, a, cue_a)
            return trim(
                doc, a, _before_participle(doc, a, b)
            )  # "The plan, he said, will fail": the whole clause
        if (
            head.i > verb.i
            and any(t.text in ",;—–" for t in doc[verb.i + 1 : head.i])
            # "Mayor urges calm after storm, says ...": a cue with an object of its own says
            # that, not the clause the parser hangs it on (the object of "told" is who heard it)
            and not any(c.dep_ in ("dobj", "oprd") and not _listener(verb, c) for c in verb.rights)
        ):
            sent = sentence_of(verb)
            if (
                a < cue_a
                and b < sent.end - 1
                and head.dep_ == "ccomp"
                and sent.start <= head.head.i < sent.end
                and _continues(doc, verb)
            ):
                # "The inquiry, she said, was “not about politics, it's about the law,” and would
                # go on": the parser made a word of the quotation the sentence's root and the
                # clause around the cue its complement; the cue is the sentence's
                return trim(doc, sent.start, _before_participle(doc, sent.start, sent.end))
            return trim(
                doc, a, _before_participle(doc, a, b)
            )  # "He said, the plan will fail" / "The plan, he said, will fail"
    pro = _pro_form(verb) if lemma in SPEECH_OR_THOUGHT else None
    if pro is not None:
        return pro
    if lemma in SPEECH_VERBS:
        return _parenthetical(doc, verb) or _cue_final(doc, verb)
    return None


def _pro_form(verb: Token) -> tuple[int, int] | None:
    """ "said as much", "does not think so": a pro-form right after the cue stands for what was
    said or thought (the statement it points back to is the writer's)."""
    for c in verb.children:
        if c.i <= verb.i or c.dep_ not in ("advmod", "dobj", "npadvmod"):
            continue
        gap = verb.doc[verb.i + 1 : c.left_edge.i]
        if any(t.dep_ != "prt" for t in gap):
            return None
        if c.lower_ == "so" and c.right_edge.i == c.i:
            return c.i, c.i + 1
        if c.lower_ == "much" and any(x.lower_ == "as" and x.i == c.i - 1 for x in c.children):
            return c.i - 1, c.i + 1
        return None
    return None


#: Prepositions that name what an opinion noun is about ("concern about", "doubts over").
TOPIC_PREPS = words("about over regarding concerning")


#: Verbs that answer someone else's opinion: "dismissed concerns about the vaccine" speaks of
#: those concerns, not of the vaccine.
REBUTTING = words("""dismiss reject deny downplay question challenge dispute rebut refute ignore
    disregard""")


def _opinion_topic(obj: Token) -> tuple[int, int] | None:
    """ "voiced grave concern about the merger": the opinion is the cue's, what it is about is
    the content (the noun only says which attitude). Someone else's opinion ("echoed the nurses'
    concerns about staffing") is itself what is reported."""
    if cue_lemma(obj) not in OPINION_NOUNS and obj.lower_ not in OPINION_NOUNS:
        return None
    if any(c.dep_ == "poss" for c in obj.children):
        return None
    prep = next((c for c in obj.rights if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS), None)
    pobj = prep and next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return None
    return trim(obj.doc, pobj.left_edge.i, pobj.right_edge.i + 1)


def _inverted_complement(verb: Token) -> tuple[int, int] | None:
    """ "The senator keeps arguing, lately in a radio talk, that she will run":
    after an adjunct set off by commas the parser may make the that-clause the sentence's root
    and hang the cue's clause on it as a complement; the that-clause is what the cue says."""
    clause = verb
    while clause.dep_ == "xcomp" and clause.head.i < clause.i:
        clause = clause.head  # "keeps trying to argue"
    head = clause.head
    if clause.dep_ != "ccomp" or head.i < verb.i:
        return None
    mark = next(
        (
            c
            for c in head.children
            if c.dep_ == "mark" and c.lower_ == "that" and c.i > clause.right_edge.i
        ),
        None,
    )
    if mark is None or mark.i != head.left_edge.i and verb.doc[mark.i - 1].text != ",":
        return None
    return trim(verb.doc, mark.i + 1, head.right_edge.i + 1)


def _listener(verb: Token, obj: Token) -> bool:
    """ "told reporters": the object of a verb of telling is who heard it, not what was said."""
    return (
        cue_lemma(verb) == "tell" and obj.dep_ == "dobj" and obj.lemma_.lower() not in TOLD_THINGS
    )


#: What one tells rather than whom ("told the story that ...").
TOLD_THINGS = words("story stories truth lie lies joke jokes tale tales secret anecdote")


def _clause_in_addressee(verb: Token) -> tuple[int, int] | None:
    """ "He told a meeting of farmers that prices would rise": the that-clause is hung on the
    addressee (or on an adjunct: "told them on a regular basis that ...") as a relative clause;
    with "that" as its conjunction (not its subject) it is what was told."""
    for obj in verb.rights:
        if obj.dep_ in ("dobj", "prep", "npadvmod"):
            clause = _that_clause_under(obj)
            if clause is not None:
                return clause
    for obj in verb.rights:
        if _listener(verb, obj):
            # "told a radio station that members had learned of it from the news": one told
            # is no thing heard of; the "that" the parser made the relative's object opens
            # what was told
            for t in obj.children:
                mark = t.left_edge
                if (
                    t.dep_ == "relcl"
                    and mark.lower_ == "that"
                    and mark.dep_ == "dobj"
                    and mark.head.i == t.i
                    and any(x.dep_ == "nsubj" for x in t.children)
                ):
                    return trim(verb.doc, mark.i + 1, t.right_edge.i + 1)
    return None


def _that_clause_under(
    node: Token, fits: Callable[[Token], bool] = lambda verb: True, adverb: bool = False
) -> tuple[int, int] | None:
    """The first clause in ``node``'s subtree that opens with "that" as its conjunction (a
    relative "that", subject or object, is not one; with ``adverb``, one the parser read as
    the clause's adverb, as in "the time that ...", is) and whose verb ``fits``."""
    deps = ("mark", "advmod") if adverb else ("mark",)
    for t in node.subtree:
        if t.dep_ in ("relcl", "acl", "ccomp") and t.pos_ in ("VERB", "AUX"):
            mark = t.left_edge
            if mark.lower_ == "that" and mark.dep_ in deps and mark.head.i == t.i and fits(t):
                return trim(node.doc, mark.i + 1, t.right_edge.i + 1)
    return None


#: Where something is said: "said in a statement", "wrote in a letter", "said at a briefing".
OCCASION_NOUNS = STATEMENT_NOUNS | words("""speech briefing conference hearing session address
    remarks testimony appearance interview op-ed editorial column""")
#: Verbs that make an occasion ("the statement it issued", "a speech she gave"): with no object
#: of their own, a "that" before them is that object, even where the parser calls it a conjunction.
OCCASION_VERBS = words("""issue release give deliver hold write publish send post make sign file
    air broadcast record draft read""")


def _clause_on_occasion(verb: Token) -> tuple[int, int] | None:
    """ "said in a statement released Monday that she would resign": the parser hangs the
    that-clause on the occasion (on the participle that describes it, or on the noun as a
    relative clause). With "that" as its conjunction, not its subject or object ("the statement
    that was released", "the letter that she wrote"), it is what was said."""
    for prep in verb.rights:
        if prep.dep_ != "prep":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        if cue_lemma(pobj) not in OCCASION_NOUNS:
            # "tweeted after the debate that ...", "had warned at the time that ...": the
            # parser hangs the clause on the time's noun; "that" opens it, is no part of it
            clause = _that_clause_under(
                pobj, lambda t, noun=pobj: t.head.i == noun.i and _said_on_occasion(t, noun), True
            )
        else:
            clause = _that_clause_under(pobj, lambda t, noun=pobj: _said_on_occasion(t, noun))
        if clause is not None:
            # "... that help was welcome but that “Washington does not run elections”"
            return clause[0], _that_conjunct(verb, clause[1])
    return None


def _said_on_occasion(verb: Token, occasion: Token) -> bool:
    """A finite clause after the occasion noun, and not one that makes it: a "that" before an
    occasion verb with no object of its own is that object, whatever the parser calls it."""
    return (
        verb.left_edge.i > occasion.i
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
        and not (
            cue_lemma(verb) in OCCASION_VERBS
            and not any(c.dep_ == "dobj" for c in verb.children)
            # a passive with a subject of its own needs no object ("that 1.2 million bags had
            # been delivered")
            and not any(
                c.dep_ == "nsubjpass" and c.lower_ not in ("that", "which") for c in verb.children
            )
        )
    )


#: Verbs of winning someone over: in the passive, with no clause, their subject is the person.
PERSUADE_VERBS = words("convince persuade")

#: Cue verbs whose plain object is not something said or believed ("assumed the post", "found a
#: way", "added a clause", "maintains a program", "wrote a memoir"): only their clauses count.
NO_OBJECT = words("assume find learn hear consider decide add maintain post disclose write concede")


#: Verbs of finding: with a study, survey or report as subject their object is its finding ("the
#: audit found 31 errors"); a person's "found a way" stays an act.
FINDING_VERBS = words("find")
#: Verbs of saying that also mean taking ("the storm claimed 12 lives"): with a subject that
#: cannot say anything their object was taken, not said.
TAKING_VERBS = words("claim")


def _document_subject(verb: Token) -> bool:
    subj = subject_of(verb)
    return subj is not None and (subj.lemma_.lower() in FINDER_NOUNS or subj.lower_ in FINDER_NOUNS)


#: Pronouns that stand for what a judgement verb is about ("defended it", "criticized them",
#: "endorsed one"): the whole content when nothing else is said of it.
OBJECT_PRONOUNS = words("it them him her this one")
PRO_FORMS = OBJECT_PRONOUNS | {"so"}

#: Addressee verbs whose object may instead be what is called for ("urged restraint").
URGE_VERBS = words("urge advise")
#: Judgement verbs taken through their predicate only, and addressee verbs taking no plain object.
PREDICATE_ONLY_BUT_CALL = PREDICATE_ONLY - {"call"}
ADDRESSEE_BUT_URGE = ADDRESSEE_VERBS - URGE_VERBS


def _object_is_place(verb: Token) -> bool:
    """ "a base that overlooks Kaneohe Bay": a view over a place, not a judgement."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.ent_type_ in ("GPE", "LOC", "FAC")


#: What a poll's respondents do with a candidate or a plan ("46 percent would choose Clinton").
POLL_VERBS = words("choose pick prefer back support favor favour oppose trust")


def _poll_pick(verb: Token) -> tuple[int, int] | None:
    """ "46 percent would choose Clinton", "another 5 percent prefer Johnson": a share of those
    polled says whom or what they choose; the share speaks (its object is the content)."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if subj is None or obj is None or subj.lemma_.lower() not in ("percent", "%"):
        return None
    if not any(c.like_num for c in subj.children) and not (subj.i > 0 and subj.nbor(-1).like_num):
        return None  # a share needs its number (and "Percent ..." may open the text)
    return trim(verb.doc, *_subtree_range(obj))


def _weighing_options(verb: Token) -> bool:
    """ "Ministers weigh plans for a tax": someone considers something; "the rover weighs 900
    kilograms" is a measure."""
    subj = subject_of(verb)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return (
        subj is not None
        and can_hold_view(subj)
        and obj is not None
        and not any(t.like_num for t in obj.subtree)
    )


def _as_predicate(x: Token, b: int) -> bool:
    """ "criticizes the ads as too focused on his temperament": right after the object, "as"
    with an adjective or participle and no subject is the judgement of it (the parser reads an
    adverbial clause; "as she left" has a subject and says when)."""
    return (
        x.dep_ == "advcl"
        and x.left_edge.i == b
        and x.left_edge.lower_ == "as"
        and x.tag_ in ("JJ", "JJR", "VBN")
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in x.children)
    )


def _object_content(verb: Token) -> tuple[int, int] | None:
    """Last resort: the direct object ("said as much", "indicates a tightening race")."""
    lemma = cue_lemma(verb)
    if lemma in NO_OBJECT and not (lemma in FINDING_VERBS and _document_subject(verb)):
        return None
    if lemma in PREDICATE_ONLY_BUT_CALL:
        # with their predicate they were taken as judgements already ("call" alone keeps its
        # object: "called a hearing", "called the shootings a tragedy" misparsed)
        return None
    if lemma in ADDRESSEE_BUT_URGE:
        return None
    if lemma in TAKING_VERBS and (s := subject_of(verb)) is not None and not can_hold_view(s):
        return None  # "a shake-out that has claimed several chains": it took them
    if lemma in PREP_VERBS and lemma not in SPEECH_OR_OBJECT and not _phrasal_cue(verb):
        return None  # "pushed the cart", "spoke the words": these report only through "for"/"about"
    for c in verb.children:
        if (
            c.dep_ == "dobj"
            and c.i > verb.i
            and (c.pos_ != "PRON" or c.lower_ in OBJECT_PRONOUNS and is_cue(verb))
            and not _set_off(verb.doc, verb, c)
        ):
            if lemma in URGE_VERBS and animate(c):
                return None  # "urged residents": the addressee; "urged restraint": what was said
            a, b = _subtree_range(c)
            second = next(
                (x for x in verb.children if x.dep_ == "dobj" and x.left_edge.i == b), None
            )
            if second is not None and animate(c):
                # "offered veterans new treatments": to whom, then what
                a, b = _subtree_range(second)
            for x in verb.children:
                if x.i > c.i and (
                    x.dep_ == "oprd"
                    or (x.dep_ == "prep" and x.lower_ in ("as", "with"))
                    or (second is not None and x.i == second.i)  # "judged the plan a failure"
                ):
                    b = max(b, x.right_edge.i + 1)
            return trim(verb.doc, a, _before_relative(verb.doc, a, _object_tail(verb, b)))
    return None


#: Verbs whose that-clause is a result or a purpose, not something said or believed.
NOT_REPORTING = words("make ensure mean see")


def _that_clause(verb: Token) -> tuple[int, int] | None:
    """ "The court ruled that ...", "she suspects that ...": any verb with a finite clause
    introduced by "that"/"whether" after it reports a statement or an attitude."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() in NOT_REPORTING:
        return None
    for c in verb.rights:
        if c.dep_ == "ccomp":
            mark = next((m for m in c.children if m.dep_ == "mark"), None)
            if (
                mark is not None
                and mark.lower_ in ("that", "whether", "if")
                and mark.i == c.left_edge.i
            ):
                # "stressed that he was ready to testify, but would not ...": the content's later
                # conjuncts hung on the verb, as for a cue
                b = _shared_conjuncts(verb, c.right_edge.i + 1, "MODAL", c.tag_)
                return trim(verb.doc, c.left_edge.i, b)
    return None


#: Adjectives of belief, intent and judgement after a copula ("X is confident that ...").
ATTITUDE_ADJS = words("""afraid sure confident convinced certain worried concerned determined
    willing eager hopeful optimistic pessimistic skeptical sceptical critical aware adamant unsure
    uncertain reluctant unwilling keen opposed wary fearful doubtful""")
#: Nouns for someone's stance after a copula ("X has been a staunch opponent of Y").
STANCE_NOUNS = words("""opponent supporter critic advocate proponent defender champion fan
    backer skeptic sceptic""")
COPULAS = words("be remain seem appear become stay sound feel")  # not "make sure that"
ATTITUDE_PREPS = words("of about to against on over with")


def _that_led(clause: Token) -> bool:
    """A clausal complement opened by "that" whose head the tagger misread ("fear that the edge
    may be *undercut*" tagged as an adjective): still a clause."""
    first = clause.left_edge
    return clause.dep_ == "ccomp" and first.lower_ == "that" and first.dep_ == "mark"


def _attitude(adj: Token) -> tuple[int, int] | None:
    """What "confident", "critical", "opposed" are about: the clause, infinitive or prepositional
    object after the adjective (the parser hangs a clause on the adjective or on the copula)."""
    for c in [*adj.children, *adj.head.children]:
        if c.i <= adj.i:
            continue
        if c.dep_ in ("ccomp", "xcomp") and (c.pos_ in ("VERB", "AUX") or _that_led(c)):
            return trim(adj.doc, c.left_edge.i, c.right_edge.i + 1)
        if c.dep_ == "prep" and c.head.i == adj.i and c.lower_ in ATTITUDE_PREPS:
            obj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return trim(adj.doc, obj.left_edge.i, obj.right_edge.i + 1)
    return None


#: Nouns for something said, meant or decided, whose owner is the speaker ("Trump's claim that
#: ...", "her decision to ...").
CONTENT_NOUNS = words("""claim plan decision comment message promise pledge vow demand proposal
    warning assertion argument belief view hope fear insistence suggestion charge accusation
    acknowledgment acknowledgement admission announcement conclusion determination threat
    statement contention intention desire wish refusal call bet goal position message""")


#: Documents and surveys that state findings ("In the poll, Clinton led by 3 points").
SOURCE_NOUNS = words("""poll polls survey surveys study report analysis statement interview
    letter memo complaint filing ruling opinion review audit census""")


def _is_source(tok: Token) -> bool:
    return tok.lemma_.lower() in SOURCE_NOUNS or tok.lower_ in SOURCE_NOUNS


def _source_noun(prep: Token) -> Token | None:
    """The survey or document a preposition names: its object, or what that object is one of
    ("in one of the first polls", "in a pair of new surveys")."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or _is_source(obj):
        return obj
    of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    inner = of and next((c for c in of.children if c.dep_ == "pobj"), None)
    return obj if inner is not None and _is_source(inner) else None


def _in_source(doc: Doc, prep: Token) -> Found | None:
    """ "In the latest poll, Clinton leads by 3 points": a sentence-initial "in" + survey or
    document, and a main clause with no reporting verb of its own, reports the document."""
    src = _source_noun(prep)
    if src is None:
        return None
    head = prep.head
    if head.pos_ not in ("VERB", "AUX") or is_cue(head):
        return None
    end = prep.right_edge.i + 1
    if end >= len(doc) or doc[end].text != ",":
        return None
    sent = sentence_of(prep)
    if any(is_cue(t) for t in doc[end : sent.end]):
        return None
    rng = trim(doc, end + 1, sent.end)
    return _weak_source_statement(doc, rng, prep, src, end)


#: "In her view, ...", "In the opinion of the court, ...": whose view the sentence gives.
VIEW_NOUNS = words("view opinion estimation judgment judgement assessment mind eyes words")


def _in_view(doc: Doc, prep: Token) -> Found | None:
    """ "In Holt's view, the deal is a mistake" / "In the view of the board, ...": a sentence
    that opens with someone's view gives it; the holder is the possessor or the of-phrase."""
    noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lower_ not in VIEW_NOUNS:
        return None
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        holder = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if holder is None or noun.i > 0 and doc[noun.i - 1].lower_ != "the":
            return None
    end = prep.right_edge.i + 1
    if end >= len(doc) or doc[end].text != ",":
        return None
    sent = sentence_of(prep)
    rest = doc[end + 1 : sent.end]
    if any(is_cue(t) and t.dep_ in ("ROOT", "parataxis") for t in rest) or not any(
        t.tag_ in FINITE_TAGS for t in rest
    ):
        return None  # "In her view, Lee said, ..." is Lee's report; a fragment is not a view
    rng = trim(doc, end + 1, sent.end)
    if rng is None or rng[1] - rng[0] < 3:
        return None
    poss = holder.dep_ == "poss"
    who = doc[holder.left_edge.i : holder.i + 1] if poss else noun_phrase(holder)
    return Found("indirect", _chars(doc, rng), noun, who, "according", 0.7)


#: Documents their issuer speaks through ("In a statement, the ministry was more cautious"),
#: unlike surveys and studies, whose subjects are what was measured ("In the poll, Lee leads").
AUTHORED_NOUNS = words("statement interview letter memo complaint filing ruling opinion")


def _issuer(src: Token, head: Token) -> Token | None:
    """The subject of the clause a statement or interview frames, when it is someone who can
    speak: "In an interview with the paper, the general made it clear ..." is the general's."""
    if src.lemma_.lower() not in AUTHORED_NOUNS and src.lower_ not in AUTHORED_NOUNS:
        return None
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and can_hold_view(subj) else None


def _weak_source_statement(
    doc: Doc, rng: tuple[int, int] | None, prep: Token, src: Token, end: int
) -> Found | None:
    """A document or survey as the source of ``rng`` (at least three tokens): a weak statement,
    since no reporting verb says so."""
    if rng is None or rng[1] - rng[0] < 3:
        return None
    issuer = _issuer(src, prep.head)
    if issuer is not None:
        # what the issuer says is the predicate about them, not their name
        after = issuer.right_edge.i + 1
        if rng[0] <= after < rng[1]:
            rng = trim(doc, after, rng[1]) or rng
        f = Found("indirect", _chars(doc, rng), prep, noun_phrase(issuer), "according", 0.6)
        f.extra["weak"] = True
        return f
    who = doc[src.left_edge.i : end]
    f = Found("indirect", _chars(doc, rng), prep, who, "according", 0.6)
    f.extra["weak"] = True
    return f


def _in_source_after(doc: Doc, prep: Token) -> Found | None:
    """ "Clinton leads by 3 points in the latest poll.": a survey or document named at the end of
    a main clause with no reporting verb of its own is what states that clause."""
    src = _source_noun(prep)
    if src is None:
        return None
    head = prep.head
    sent = sentence_of(prep)
    end = prep.right_edge.i + 1
    if head.pos_ not in ("VERB", "AUX") or head.dep_ != "ROOT" or is_cue(head):
        return None
    if any(not (t.is_punct or t.is_space) for t in doc[end : sent.end]):
        return None  # the phrase closes the sentence
    if any(is_cue(t) for t in doc[sent.start : prep.i]):
        return None
    rng = trim(doc, sent.start, prep.i)
    return _weak_source_statement(doc, rng, prep, src, end)


def _by_owner(noun: Token) -> Token | None:
    """ "the claim by the mayor that ...", "a warning from the agency that ...": a person or
    body named by "by"/"from" right after the noun owns it, as a possessor would."""
    prep = next((c for c in noun.rights if c.dep_ == "prep"), None)
    if prep is None or prep.lower_ not in ("by", "from") or prep.i != noun.i + 1:
        return None
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return pobj if pobj is not None and animate(pobj) else None


def _nominal(doc: Doc, noun: Token) -> Found | None:
    """ "Trump's claim that the vote was rigged": the possessor said, meant or decided the
    that-clause or infinitive that completes the noun."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None) or _by_owner(noun)
    if owner is None:
        return None
    clauses = list(noun.children)
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        clauses += list(noun.head.children)  # "the mayor's view is that ..."
    for c in clauses:
        if c.i <= noun.i or c.dep_ not in ("acl", "ccomp"):
            continue
        if c.pos_ not in ("VERB", "AUX") and not _that_led(c):
            continue
        first = c.left_edge
        if not (
            (first.lower_ == "that" and first.dep_ == "mark")
            or (first.lower_ == "to" and first.dep_ == "aux")
        ):
            continue
        rng = trim(doc, first.i, c.right_edge.i + 1, keep_that=first.lower_ == "to")
        if rng is None or rng[1] - rng[0] < 2:
            return None
        who = noun_phrase(owner)
        if len(who) > 1 and who[-1].dep_ == "case":  # "the mayor's" -> "the mayor"
            who = who[:-1]
        f = Found("indirect", _chars(doc, rng), noun, who, "noun", 0.6)
        f.extra["weak"] = True
        return f
    return None


#: Nouns for what someone said or thinks about a topic ("Clinton's comments on the shooting").
TOPIC_NOUNS = (
    CONTENT_NOUNS
    | OPINION_NOUNS
    | words("""comment remark rhetoric criticism opposition support attack complaint statement
    assessment""")
)
SET_OUT_OR_TOPIC = SET_OUT_NOUNS | TOPIC_NOUNS
NOMINAL_TOPIC_PREPS = TOPIC_PREPS | words("on against")
#: Where someone speaks from: "on the floor", "on his plane" name no topic.
WHERE_NOUNS = words("""floor plane flight bus train stage podium platform steps sidelines trail
    tarmac""")
#: Channels something is said on: "on Twitter" is how, not what about.
MEDIA_NOUNS = words("""twitter facebook instagram television tv radio air phone telephone""")
#: Verbs of answering: "with" names the answer.
ANSWER_VERBS = words("respond reply")
#: Things said ("responded with a statement", "replied with attacks on his rival").
WORDS_NOUNS = (
    TOPIC_NOUNS
    | STATEMENT_NOUNS
    | words("""attack insult joke question denial apology
    threat jab barb tirade rebuke retort counterattack broadside""")
)
#: Nouns for a way of putting something ("a metaphor for ...", "a reference to ...").
SAYING_NOUNS = words("""metaphor reference allusion term phrase word label description jab swipe
    account version explanation characterization characterisation post tweet line quip""")


def _nominal_topic(doc: Doc, noun: Token) -> Found | None:
    """ "North Korea's claims about its test", "his remarks on trade": the possessor said or
    thinks something about the prepositional object."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None or owner.lower_ in ("its",):
        return None
    prep = next(
        (c for c in noun.rights if c.dep_ == "prep" and c.lower_ in NOMINAL_TOPIC_PREPS), None
    )
    pobj = prep and next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    if pobj is None or pobj.ent_type_ in ("DATE", "TIME"):
        return None  # "his remarks on Saturday": when, not what about
    rng = trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
    if rng is None or not _long_enough(doc, rng):
        return None
    who = noun_phrase(owner)
    if len(who) > 1 and who[-1].dep_ == "case":
        who = who[:-1]
    f = Found("indirect", _chars(doc, rng), noun, who, "noun", 0.6)
    f.extra["weak"] = True
    return f


OPEN_MARKS = frozenset("“«„")
CLOSE_MARKS = frozenset("”»")
_MARKS = "".join(OPEN_MARKS | CLOSE_MARKS) + '"'
_MARK = re.compile("[" + re.escape(_MARKS) + "]")
_OPENERS = OPEN_MARKS | {'"'}


def _through_colon(doc: Doc, rng: tuple[int, int], cue: Token) -> tuple[int, int]:
    """ "notes that several things are happening together: prices are rising, ...": what follows
    a colon right after the content spells it out, to the end of the sentence."""
    toks = tokens_of(doc)
    a, b = rng
    if b >= len(doc) or toks[b].text != ":" or cue.i >= b:
        return rng
    end = trim(doc, b + 1, sentence_of(toks[b]).end)
    return (a, end[1]) if end is not None else rng


def _after_leading_time(doc: Doc, a: int, clause: Token) -> int:
    """ "told them this weekend he would ...", "said on Tuesday it had raised ...": a time phrase
    hung on the reported clause before its subject says when it was said, not what."""
    first = doc[a]
    if first.dep_ == "prep" and first.head.i == clause.i and first.i < clause.i:
        end = first.right_edge.i + 1
        pobj = next((c for c in first.children if c.dep_ == "pobj"), None)
        if (
            pobj is not None
            and pobj.ent_type_ in ("DATE", "TIME")
            and end < clause.i
            and doc[end].dep_ in ("nsubj", "nsubjpass")
            and doc[end].head.i == clause.i
        ):
            return end
    b = a
    while b < clause.i and doc[b].ent_type_ in ("DATE", "TIME"):
        b += 1
    if b == a:
        return a
    roots = [t for t in doc[a:b] if not a <= t.head.i < b]
    if len(roots) == 1 and roots[0].dep_ == "npadvmod" and roots[0].head.i == clause.i:
        return b
    return a


def _paragraph_end(doc: Doc, i: int) -> int:
    """The token index where the paragraph holding token ``i`` ends."""
    toks = tokens_of(doc)
    while i < len(doc) and "\n" not in toks[i].text and "\n" not in toks[i].whitespace_:
        i += 1
    return min(len(doc), i + 1)


def _to_closing_mark(doc: Doc, rng: tuple[int, int], cue: Token) -> tuple[int, int]:
    """'called the reform "a good story in an era when ..."': the parser often hangs the end of
    a quotation on the cue instead of the quoted phrase; a content that opens a quotation runs on
    to its closing mark (in the same paragraph, and not past the cue). A quotation someone else
    introduces inside the content ('..., the mother replied, "It is ...') is theirs."""
    toks = tokens_of(doc)
    a, b = rng
    if a > 0 and toks[a - 1].text in _OPENERS:
        a -= 1  # trimmed as unbalanced: 'said that "we lost. We will win."'
    if b <= a:
        return rng
    last = toks[b - 1]
    if _MARK.search(doc_text(doc), toks[a].idx, last.idx + len(last)) is None:
        return rng  # most contents hold no quotation mark: skip the token walk
    depth, opened = 0, a
    for t in toks[a:b]:
        if t.text in OPEN_MARKS or t.text == '"' and depth == 0:
            depth, opened = depth + 1, t.i
        elif t.text in CLOSE_MARKS or t.text == '"':
            depth = max(0, depth - 1)
    if depth == 0 or any(t.i != cue.i and is_cue(t, SPEECH_VERBS) for t in toks[a:opened]):
        return rng
    stop = _paragraph_end(doc, b)  # a quotation may run over several sentences
    if cue.i >= b:
        stop = min(stop, cue.i)  # "A "B," he said": never across the cue
    for t in toks[b:stop]:
        if t.text in CLOSE_MARKS or t.text == '"':
            return a, t.i + 1
    return rng


def _into_quotation(doc: Doc, rng: tuple[int, int], cue: Token) -> tuple[int, int]:
    """'vowed to protect Medicare "like my life depends on it."': a quotation opened right
    after the content, in lower case, goes on with it (the parser often hangs it elsewhere);
    one that starts a sentence of its own ('... Medicare. "We will win."') does not."""
    toks = tokens_of(doc)
    a, b = rng
    if b + 1 >= len(doc) or cue.i >= b:
        return rng
    mark = toks[b]
    if not (mark.text in OPEN_MARKS or mark.text == '"' and not mark.whitespace_):
        return rng
    if not toks[b + 1].is_lower or toks[b - 1].is_punct:
        return rng
    # the parser may leave a quotation's closing mark to open the next sentence
    for t in toks[b + 1 : sentence_of(cue).end + 1]:
        if t.text in CLOSE_MARKS or t.text == '"':
            return a, t.i + 1
        if t.i != cue.i and is_cue(t, SPEECH_VERBS) and t.dep_ in ("ROOT", "parataxis"):
            break  # '... "the best deal," he said': the quotation is someone's own
    return rng


def _long_enough(doc: Doc, rng: tuple[int, int]) -> bool:
    """Two words at least, or a single name ("the union endorsed Clinton"): a lone pronoun,
    adverb or common noun says nothing on its own."""
    toks = tokens_of(doc)
    a, b = rng
    if b - a >= 2:
        return True
    # "said so": the pro-form stands for a whole statement
    return b - a == 1 and (toks[a].pos_ == "PROPN" or toks[a].lower_ in PRO_FORMS)


def _agent(verb: Token) -> Token | None:
    """The "by" agent of a passive cue ("was called a fraud by his rivals")."""
    if not any(c.dep_ == "auxpass" for c in verb.children) and not _reduced_passive(verb):
        return None
    for c in verb.children:
        if c.dep_ == "agent":
            by = next((o for o in c.children if o.dep_ == "pobj"), None)
            if by is not None and _reduced_passive(verb) and not animate(by):
                return None  # "supported by the funds": only people and groups say or judge
            if by is not None and _margin(by):
                return None  # "was declared the winner by 212 votes": a margin, not who
            return by
    return None


#: Units of a margin ("won by 212 votes", "trailed by four points").
MARGIN_NOUNS = words("vote point seat percent percentage goal run stroke length margin")


def _margin(by: Token) -> bool:
    """ "by 212 votes", "by 3 percent": how much, not who; "by a third of the members asked"
    names people."""
    return (by.like_num or by.lemma_.lower() in MARGIN_NOUNS) and not any(
        c.dep_ == "prep" and c.lower_ == "of" for c in by.children
    )


def _reduced_passive(verb: Token) -> bool:
    """ "a view echoed by every economist", "The school, praised by parents, ...": a past
    participle modifying a noun, or set off after a clause, is a passive without its auxiliary.
    Not "pushed through by" (a particle makes it an act), "as shown by" (an aside), nor "viewed
    by millions" (seen, not judged: that needs "as")."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("acl", "advcl"):
        return False  # most cues: no need to build the children
    kids = list(verb.children)
    return not any(c.dep_ in ("prt", "mark") for c in kids) and (
        verb.lemma_.lower() not in SEE_AS or any(c.lower_ == "as" for c in kids)
    )


def _passive_content(verb: Token) -> tuple[int, int] | None:
    """What a passive cue is about: its subject ("the plan was criticised by"), through the
    predicate when there is one ("the mayor has been called a coward"); for a participle without
    its auxiliary, the noun phrase it modifies or the clause's subject ("the levels desired by
    NATO", "Charter schools remain popular, promoted by both parties")."""
    if _reduced_passive(verb):
        doc, head = verb.doc, verb.head
        if verb.dep_ == "acl" and head.i < verb.i and head.pos_ in ("NOUN", "PROPN"):
            return trim(doc, head.left_edge.i, verb.left_edge.i)
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if verb.dep_ == "advcl" and subj is not None and subj.i < verb.i:
            return trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.i > verb.i:
        return None
    preds = [c for c in verb.rights if c.dep_ in ("oprd", "xcomp")]
    if not preds:
        return trim(verb.doc, subj.left_edge.i, subj.right_edge.i + 1)  # "the plan"
    return trim(verb.doc, subj.left_edge.i, max(c.right_edge.i for c in preds) + 1)


def _after_colon(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """ "The host added: And from a so-called favourite ...": the rest of the paragraph."""
    i = verb.i + 1
    while i < len(doc) and doc[i].dep_ in ("advmod", "npadvmod") and doc[i].head.i == verb.i:
        i += 1
    if i >= len(doc) or doc[i].text != ":":
        return None
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    k = j
    while (
        k < len(doc)
        and not (doc[k].is_space and "\n" in doc[k].text)
        and "\n" not in doc[k].whitespace_
    ):
        k += 1
    k = min(len(doc), k + 1)
    if k - j < 3 or any(t.text in QUOTE_CHARS for t in doc[j : j + 1]):
        return None  # a quote after the colon is a direct statement
    return trim(doc, j, k)


def _cue_final(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """ "Language unclear on single mothers, experts say.": the cue clause closes the sentence after a
    comma, whatever the parser made of the part before it."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") and not any(
        c.dep_ == "aux" and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children
    ):
        # "..., the questions will take longer to answer": an infinitive is no cue clause
        return None
    subj = subject_of(verb)
    if subj is None or subj.i > verb.i:
        return None
    sent = sentence_of(verb)
    a = subj.left_edge.i
    b = verb.i + 1
    told = (
        ("npadvmod", "advmod", "prep", "dobj")
        if cue_lemma(verb) in ADDRESSEE_VERBS
        else ("npadvmod", "advmod", "prep")
    )
    while b < sent.end and (
        doc[b].is_punct or doc[b].is_space or doc[b].head.i == verb.i and doc[b].dep_ in told
    ):
        if doc[b].dep_ in ("prep", "dobj"):
            b = doc[b].right_edge.i + 1
        else:
            b += 1
    if (
        b < sent.end
        and doc[b - 1].text == ","
        and doc[b].head.i == verb.i
        and doc[b].tag_ == "VBG"
        and doc[b].dep_ in ("advcl", "xcomp", "conj")
        and cue_lemma(doc[b]) in SPEECH_VERBS
    ):
        b = sent.end  # "…, Z told reporters, adding that …": the participle is a report of its own
    if b < sent.end or a - sent.start < 3 or doc[a - 1].text not in (",", "—", "–"):
        return None
    if any(
        c.dep_ == "advcl"
        and c.i < a
        and any(m.dep_ in ("mark", "advmod") and m.lower_ in SUBORDINATORS for m in c.children)
        for c in verb.lefts
    ):
        return None  # "When Congress cut the funds, Mexico said enough": a time or condition
    return trim(doc, sent.start, a)


SHARE_WORDS = words("half third quarter fifth tenth percent majority most many some all")


def _share_of_things(subj: Token) -> bool:
    """ "Nearly two-thirds of the reefs", "half of the stores": a share of things, which can show
    a state but holds no view (unlike "the poll", "the figures", "voters")."""
    if subj.pos_ != "NUM" and subj.lemma_.lower() not in SHARE_WORDS:
        return False
    of = next(
        (
            c
            for t in (subj, *subj.children)  # "two-thirds": "of" may hang on "thirds"
            for c in t.children
            if c.dep_ == "prep" and c.lower_ == "of"
        ),
        None,
    )
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return pobj is not None and not can_hold_view(pobj)


def _set_off(doc: Doc, verb: Token, obj: Token) -> bool:
    """ "..., the company announced on Tuesday, its largest investment abroad": a noun phrase
    after a comma that follows a cue set off inside the sentence is the writer's aside on it."""
    a = obj.left_edge.i
    return (
        a - 1 > verb.i
        and doc[a - 1].text == ","
        and any(t.text == "," for t in doc[sentence_of(verb).start : verb.i])
    )


def _compound_participle(t: Token) -> bool:
    """ "company-compiled", "state-owned": a participle joined to a word before it is part of an
    adjective, not a clause's verb (a bare one may be the main verb the tagger misread)."""
    return t.tag_ == "VBN" and t.dep_ == "amod" and t.i > 0 and t.doc[t.i - 1].text == "-"


def _verbless(rest: Span) -> bool:
    """No verb of a clause of its own (a participle is the cue's: ", citing weak demand", or part
    of an adjective: "in a company-compiled poll"), or only a noun phrase with its own relative
    clause (", a detour that adds ten days")."""
    if not any(
        t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" and not _compound_participle(t) for t in rest
    ):
        return True
    roots = [
        t for t in rest if not t.is_punct and not (rest.start <= t.head.i < rest.end) or t.head == t
    ]
    return (
        rest[0].tag_ in ("DT", "PRP$", "CD")
        and bool(roots)
        and all(t.pos_ in ("NOUN", "PROPN", "NUM") for t in roots)
    )


def _parenthetical(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """ "The vaccine, Dr. Keller said, cut admissions by half": the cue clause is set off by commas
    inside a sentence it does not govern, whatever the parser made of it: the sentence is the content."""
    subj = subject_of(verb)
    if subj is None or verb.dep_ == "relcl":
        return None  # "Ann Lee, who wrote the editorial, described ...": a note on the speaker
    sent = sentence_of(verb)
    a = min(subj.left_edge.i, verb.i)
    b = verb.i + 1
    while (
        b < sent.end
        and doc[b].dep_ in ("prep", "pobj", "npadvmod", "advmod", "det", "compound", "dobj")
        and doc[b].head.i in range(a, b + 8)
    ):
        b += 1
    before = a > sent.start and doc[a - 1].text in (",", "—", "–")
    after = b < sent.end and doc[b].text in (",", "—", "–")
    if before and after and a - sent.start >= 2 and sent.end - b >= 3:
        nxt = doc[b + 1]
        if _verbless(doc[b + 1 : sent.end]) or (nxt.tag_ == "VBG" and nxt.head.i == verb.i):
            # "Revenue rose 14%, the carrier said, ahead of forecasts": after the cue clause
            # only the writer's verbless comment, or the cue's own participle (", saying ...",
            # a statement of its own); the words said are those before it
            return trim(doc, sent.start, a - 1)
        return trim(doc, sent.start, _before_participle(doc, sent.start, sent.end))
    return None


CUE_ADJUNCTS = ("npadvmod", "advmod", "prep")
SUBORDINATORS_AS = SUBORDINATORS | {"as"}


def _continues(doc: Doc, verb: Token) -> bool:
    """ "Though A, he said, B would ..." : the sentence goes on after the cue clause with a clause
    of its own (not a participle of the cue such as ", adding that ...")."""
    sent = sentence_of(verb)
    # "A, the office said in a March study, and B": past the cue's own adjuncts
    end = _past_adjuncts(verb, sent.end)
    if end >= sent.end or doc[end].text != ",":
        return False
    rest = doc[end + 1 : sent.end]
    content_words = [t for t in rest if not t.is_punct]
    first = content_words[0] if content_words else None
    if len(content_words) < 3 or first.tag_ == "VBG" and first.dep_ not in ("prep", "csubj"):
        # ", adding that ...": the cue's participle ("including ..." goes on, and so does a
        # gerund subject: "..., she said, replacing him would be bitter")
        return False
    if first.dep_ == "mark" and first.lower_ in SUBORDINATORS_AS and first.head.head == verb:
        # "A, the bank said on Monday, as central banks kept buying": the cue's own adverbial,
        # the writer's setting of the statement
        return False
    return any(
        t.pos_ in ("VERB", "AUX")
        and t.tag_ != "VBG"
        and not _compound_participle(t)  # "a company-compiled poll"
        and not is_cue(t)
        for t in rest
    )


def _separated(doc: Doc, content_end: int, verb: Token) -> bool:
    """A comma, colon, dash or quote mark between the content and the cue clause ("..., X said");
    not a semicolon: "A; the poll shows B" are two clauses, each with its own report."""
    subj = subject_of(verb)
    stop = min(verb.i, subj.left_edge.i if subj is not None else verb.i)
    return any(t.text in ",:—–-" or t.text in QUOTE_CHARS for t in doc[content_end:stop])


def _misparsed_as_aside(doc: Doc, verb: Token) -> Found | None:
    """ "Hawaii, as one of the governor's advisers pointed out, rarely gets ...": an aside of
    "as", a speaker and a cue set off by commas inside a sentence says that sentence. The parser
    sometimes makes the cue the sentence's root, with the sentence's subject as its own; the
    words of the aside still show who speaks (a well-parsed aside is an adverbial clause, taken
    by :func:`_as_clause`)."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or (
        verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX")
    ):
        return None
    if verb.i > 0 and "as" not in _text(doc, max(0, verb.i - 11), verb.i).lower():
        return None  # no "as" within the walk's reach (most cues): no token walk
    sent = sentence_of(verb)
    k = verb.i - 1
    while k > sent.start and verb.i - k <= 10 and doc[k].lower_ != "as":
        k -= 1
    if doc[k].lower_ != "as" or k - 1 <= sent.start or doc[k - 1].text != ",":
        return None
    between = doc[k + 1 : verb.i]
    if any(t.pos_ in ("VERB", "AUX", "PUNCT") and t.tag_ != "POS" for t in between):
        return None
    heads = [t for t in between if t.pos_ != "ADV" and not k < t.head.i < verb.i]
    if len(heads) != 1 or not any(can_hold_view(t) for t in between):
        return None
    # "as the mayor said in her speech,": past the cue's own adjuncts
    end = _past_adjuncts(verb, sent.end, CUE_ADJUNCTS + ("prt",))
    if end >= sent.end or doc[end].text != "," or sent.end - end < 4:
        return None
    return _sentence_said(doc, trim(doc, sent.start, sent.end), verb, heads[0])


def _misparsed_as_apposition(doc: Doc, verb: Token) -> Found | None:
    """ "Voters, the Bayview poll found, remain deeply unhappy": a cue clause set off by commas
    right after the sentence's subject, which the parser read as that subject's apposition
    ("the poll") with the cue as its modifier. A cue with nothing of its own to say, between
    commas, says the sentence around it."""
    if verb.dep_ != "acl":
        return None  # most cues: no need for the head
    head = verb.head
    if (
        verb.tag_ not in ("VBD", "VBZ", "VBP")
        or head.dep_ != "appos"
        or head.i > verb.i
        or not (cue_lemma(verb) in SPEECH_VERBS or head.lemma_.lower() in FINDER_NOUNS)
        or any(c.dep_ in ("dobj", "ccomp", "xcomp", "nsubj", "oprd") for c in verb.children)
    ):
        return None
    sent = sentence_of(verb)
    a = head.left_edge.i
    end = _past_adjuncts(verb, sent.end)
    if (
        a - 1 <= sent.start
        or doc[a - 1].text != ","
        or end >= sent.end
        or doc[end].text != ","
        or sent.end - end < 4
        or head.head.dep_ not in ("nsubj", "nsubjpass")
    ):
        return None
    rng = trim(doc, sent.start, _before_participle(doc, sent.start, sent.end))
    return _sentence_said(doc, rng, verb, head)


def _past_adjuncts(verb: Token, limit: int, deps: tuple[str, ...] = CUE_ADJUNCTS) -> int:
    """The token after ``verb`` and its own adjuncts ("said in a March study"), before ``limit``."""
    doc = verb.doc
    end = verb.i + 1
    while end < limit and doc[end].head.i == verb.i and doc[end].dep_ in deps:
        end = doc[end].right_edge.i + 1 if doc[end].dep_ == "prep" else end + 1
    return end


def _sentence_said(
    doc: Doc, rng: tuple[int, int] | None, verb: Token, speaker: Token
) -> Found | None:
    """The statement a set-in cue clause makes of the sentence around it (token range ``rng``)."""
    if rng is None:
        return None
    start, stop = _chars(doc, rng)
    kind = "mixed" if any(q in doc_text(doc)[start:stop] for q in QUOTE_CHARS) else "indirect"
    return Found(kind, (start, stop), verb, noun_phrase(speaker), "verb", 0.85)


def _according(doc: Doc, tok: Token) -> Found | None:
    """ "..., according to X" / "According to X, ..."."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        to = doc[tok.i + 1]
    if to is None:
        return None
    src = next((c for c in to.children if c.dep_ in ("pobj", "pcomp")), None)
    if src is None:
        return None
    sent = sentence_of(tok)
    # The phrase ends with its source, at the latest at a comma: a misparse can make "According"
    # the root of the sentence or hang the reported clause on the source as an apposition.
    b0 = src.right_edge.i + 1
    comma = next((t.i for t in doc[src.i + 1 : b0] if t.text in ",;"), None)
    named = None
    if comma is None and b0 < sent.end and doc[b0].text == ",":
        comma = b0
    if comma is not None:
        b0 = comma
        # "According to Jambo's finance chief, Otieno Wafula, the company ...": the name beside
        # the role is part of the source
        k = comma + 1
        while k < sent.end and k - comma <= 5 and doc[k].tag_ == "NNP" and doc[k].is_title:
            k += 1
        closes = k < sent.end and (doc[k].text == "," or doc[k].is_sent_end or doc[k].text == ".")
        if person_role(src) and 3 <= k - comma <= 5 and closes:
            named, b0 = doc[comma + 1 : k], k
    a0 = tok.i
    if src.dep_ == "pcomp":  # "according to show insiders" with "show" read as a verb
        who = doc[to.i + 1 : b0]
    else:
        who = noun_phrase(src)
        if named is not None:
            who = doc[who.start : named.end]
        elif who.end > b0:
            who = doc[who.start : b0]
    # "A, according to X" / "According to X, A" / "A, according to X, B": the sentence around it
    before, after = a0 - sent.start, sent.end - b0
    # "A, according to X, B" spans the sentence only when B has a finite verb of its own; an
    # apposition ("..., according to X, a professor at Y") or an aside about A does not
    rest_finite = any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD")
        and not src.left_edge.i <= t.i <= src.right_edge.i
        # "..., according to X, three times what it forecast in May": a verb inside a
        # clause on a noun of the aside is not the sentence going on
        and not (t.dep_ in ("relcl", "acl", "pcomp", "ccomp") and b0 <= t.head.i < t.i)
        and not any(c.tag_ in ("WP", "WDT") and c.i >= b0 for c in t.lefts)
        for t in doc[b0 : sent.end]
    )
    if before >= 2 and after >= 3 and rest_finite:
        rng = trim(doc, sent.start, sent.end)
    elif before >= after or before >= 2 and not rest_finite:
        rng = trim(doc, sent.start, a0)
    else:
        rng = trim(doc, b0, sent.end)
    if rng is None or not _long_enough(doc, rng):
        return None  # "According to the union, essentially:" (a list follows)
    return Found("indirect", _chars(doc, rng), tok, who, "according", 0.8)


#: Verbs of trying: what they govern was attempted, not done.
ATTEMPT_VERBS = words("try attempt")


def _attempted(verb: Token) -> bool:
    """ "Opponents will try to convince the court to ...", "have tried for months to question
    the aides": an infinitive under a verb of trying is an attempt to win someone over or to get
    answers, not something said; trying to argue or to make a case still says it."""
    return (
        verb.dep_ == "xcomp"
        and verb.tag_ == "VB"
        and cue_lemma(verb) not in SPEECH_VERBS
        and verb.lemma_.lower() not in LIGHT_VERBS
        and verb.head.lemma_.lower() in ATTEMPT_VERBS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _dummy_controller(verb: Token, subj: Token) -> bool:
    """ "It is hard to picture a fairer system ...", "It goes without saying that ...": a participle or
    infinitive has no subject of its own; when the one found above it is a bare "it" of "be" or
    "go", that is the dummy subject of an extraposed clause, not anyone who speaks."""
    return (
        subj.lower_ == "it"
        and subj.head.i != verb.i
        and verb.tag_ in ("VBG", "VB", "VBN")
        # the subject of "be"/"go" with an extraposed clause, not "it is steering clear of
        # criticizing him" (the White House) nor "it attacked him, saying ..." (the paper)
        and subj.head.lemma_.lower() in ("be", "go")
    )


def _text(doc: Doc, a: int, b: int) -> str:
    """The text of tokens ``a``..``b`` (b > a), sliced from the doc's: the content passes ask
    whether a comma or a dash is there at all before walking the tokens for one."""
    toks = tokens_of(doc)
    last = toks[b - 1]
    return doc_text(doc)[toks[a].idx : last.idx + len(last)]


def _chars(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    toks = tokens_of(doc)
    a, b = rng
    last = toks[b - 1]
    return toks[a].idx, last.idx + len(last)


#: The wire's formulas for unnamed sources: "asked not to be named", "spoke on condition of
#: anonymity", "declined to be identified".
_ANONYMITY = re.compile(
    # "asked not to be identified discussing internal deliberations": still how they were quoted
    r"(?:not )?to be (?:named|identified|quoted)(?: (?:discussing|describing|because|while)\b.*)?"
    r"|(?:the )?conditions? of anonymity"
    r"|(?:to remain )?anonymity|to remain anonymous",
    re.IGNORECASE,
)

#: Makers and sellers: when one of them "recalls" something, it takes a product back.
_SELLERS = words("""company firm maker carmaker automaker manufacturer retailer brand supplier
    producer airline chain""")


def _product_recall(verb: Token, subj: Token) -> bool:
    """ "Volvo recalls 300,000 cars", "the company recalled the batteries": a recall of goods by a
    company, not a memory ("she recalled the day the dam broke")."""
    if cue_lemma(verb) != "recall":
        return False
    return subj.ent_type_ in ("ORG", "PRODUCT") or subj.lemma_.lower() in _SELLERS


#: Lemmas (lower-cased) that let a token other than a verb, "according", "in" or an acomp/attr
#: reach a rule of :func:`find_reported`; with the lemmatizer's slips, which :func:`cue_lemma`
#: may turn into one of them.
_NOUN_LEMMAS = CONTENT_NOUNS | TOPIC_NOUNS | {"put"} | {slip for slip, _ in LEMMA_FIXES}
#: Lemma hash -> _NOUN when its lower case is in :data:`_NOUN_LEMMAS`, else _AUX for a plain
#: auxiliary, else _OTHER (hashes do not depend on the vocab, so one table serves every doc; it
#: grows with the lemmas seen, as the StringStore does).
_NOUN_LEMMA_HASHES: dict[int, int] = {}
_OTHER, _NOUN, _AUX = 0, 1, 2
#: Plain auxiliaries ("is", "has", "will"; a fifth of the tokens with a rule otherwise). As an
#: AUX no rule takes them: they are no cue, noun, "put" nor slip (asserted), and an acomp or attr
#: is kept by its label.
_PLAIN_AUX = words("be have do will would shall should can could may might must")
assert not _PLAIN_AUX & (
    CUE_LEMMAS | _NOUN_LEMMAS | SELF_NAMING | PERSUADE_VERBS | {"cite", "show"}
), "a plain auxiliary that a rule of find_reported takes"
_PLAIN_AUX_HASHES = frozenset(hash_string(w) for w in _PLAIN_AUX)


def _rule_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens :func:`find_reported` has a rule for; every other token reaches no
    rule at all (it is not a verb, "according", "in", an acomp or attr, nor a content or topic
    noun; or it is a plain auxiliary) and is skipped by its loop without being built.

    Building a Token and reading five string attributes for each of an article's words was a
    sixth of find_reported's time, though only about one word in five has a rule; the columns
    are read here in one call, as hashes and ids.
    """
    strings = doc.vocab.strings
    cols = doc.to_array([LOWER, DEP, POS, LEMMA])
    low, dep, pos, lem = cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3]
    # whole-column comparisons (np.isin costs more than these on an article's few hundred words)
    aux = pos == AUX
    mask = low == strings["according"]
    mask |= low == strings["in"]
    for label in ("acomp", "attr"):
        mask |= dep == strings[label]
    # each distinct lemma classified once, spread back over the words by the inverse index
    known = _NOUN_LEMMA_HASHES
    distinct, where = np.unique(lem, return_inverse=True)
    kinds = []
    for h in distinct.tolist():
        kind = known.get(h)
        if kind is None:
            noun = h not in strings or strings[h].lower() in _NOUN_LEMMAS
            kind = known[h] = _NOUN if noun else _AUX if h in _PLAIN_AUX_HASHES else _OTHER
        kinds.append(kind)
    kind_of = np.array(kinds, dtype=np.int8)[where]
    mask |= kind_of == _NOUN
    aux &= kind_of != _AUX
    mask |= (pos == VERB) | aux
    return np.flatnonzero(mask).tolist()


def find_reported(doc: Doc, used: set[int], quoted: list[tuple[int, int]]) -> list[Found]:
    """Indirect and mixed statements. ``used`` are cue tokens already taken by direct quotes;
    ``quoted`` are the content spans of direct quotes (cues inside them are the quote's words)."""
    out: list[Found] = []
    # Mark tokens inside quotes once: testing each token against every quote was quadratic.
    in_quote = bytearray(len(doc))
    if quoted:
        starts = doc.to_array(IDX)  # token offsets in one call, not one Token object per word
        # every quote's bounds in one search: a call per offset cost more than the marking
        bounds = starts.searchsorted(np.array(quoted, dtype=starts.dtype)).tolist()
        for a, b in bounds:
            in_quote[a:b] = b"\x01" * (b - a)
    full = doc_text(doc)
    for i in _rule_tokens(doc):
        if i in used or in_quote[i]:
            continue
        tok = doc[i]
        # Each attribute read builds a string: read once per token, the loop runs on every word.
        low, dep, pos, tag, lem = tok.lower_, tok.dep_, tok.pos_, tok.tag_, cue_lemma(tok)
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            f = _according(doc, tok)
            if f is not None:
                out.append(f)
            continue
        # singular only: "his claim that" is one statement, "threats that" sums up many
        if low == "in" and dep == "prep":
            f = (
                _in_view(doc, tok) or _in_source(doc, tok)
                if tok.i == sentence_of(tok).start
                else _in_source_after(doc, tok)
            )
            if f is not None:
                out.append(f)
            continue
        if tag == "NN" and lem in CONTENT_NOUNS:
            f = _nominal(doc, tok)
            if f is not None:
                out.append(f)
                continue
        if pos == "NOUN" and lem in TOPIC_NOUNS:
            f = _nominal_topic(doc, tok)
            if f is not None:
                out.append(f)
            continue
        weak = False
        bare_clause = False
        agent = tok
        if (
            # "we are convinced this is ...": a participle after a copula is an attitude,
            # even when its verb ("convince") is a cue of its own
            dep == "acomp"
            and (tok.lemma_.lower() in ATTITUDE_ADJS or low in ATTITUDE_ADJS)
            and tok.head.lemma_.lower() in COPULAS
        ):
            rng, weak, agent = _attitude(tok), True, tok.head
        elif lem in SELF_NAMING and any(
            c.dep_ == "dobj" and c.lower_ in REFLEXIVES for c in tok.children
        ):
            continue  # "a group calling itself X": its name, not a statement
        elif lem == "cite" and any(
            c.dep_ == "prep"
            and c.lower_ == "as"
            and any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children)
            for c in tok.children
        ):
            continue  # "cited X as saying ...": the participle is X's statement
        elif lem == "show" and (s := subject_of(tok)) is not None and _share_of_things(s):
            continue  # "two-thirds of the reefs showed bleaching": a state, no one's words
        elif (
            lem in PERSUADE_VERBS
            and any(c.dep_ == "auxpass" for c in tok.children)
            and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
        ):
            continue  # "Not all experts are convinced by the dating": who is won over, no words
        elif (
            cue := pos in ("VERB", "AUX") and lem in CUE_LEMMAS and tag != "MD"  # is_cue(tok)
        ) and (
            aside := _misparsed_as_aside(doc, tok) or _misparsed_as_apposition(doc, tok)
        ) is not None:
            out.append(aside)
            continue
        elif cue and (
            lem == "weigh"
            and not _weighing_options(tok)
            or lem == "overlook"
            and _object_is_place(tok)
            or tok.dep_ == "pcomp"
            and tok.head.lower_ == "without"
        ):
            # "the rover weighs 900 kilograms", "a base that overlooks the bay", "claimed
            # without offering evidence": nothing offered
            continue
        elif cue or (lem == "put" and _put_it(tok)) or (pos == "VERB" and _phrasal_cue(tok)):
            rng = _content_of(tok)
        elif pos == "VERB" and (light := _light_verb(tok)) is not None:
            rng, weak = light, True
        elif pos == "VERB" and lem in POLL_VERBS and (pick := _poll_pick(tok)) is not None:
            rng, weak = pick, True
        elif (
            dep == "attr"
            and tok.lemma_.lower() in STANCE_NOUNS
            and tok.head.lemma_.lower() in COPULAS
        ):
            rng, weak, agent = _attitude(tok), True, tok.head  # "is a staunch opponent of"
        else:
            rng = _that_clause(tok) if pos == "VERB" else None
            if rng is None:
                continue
            weak = bare_clause = True
        by = _agent(tok) if agent is tok else None
        if by is not None:
            # "The plan was criticised by economists": the agent speaks about the subject
            rng = rng or _passive_content(tok)
        nominal = rng is None
        if rng is None:
            rng, weak = _object_content(tok), True
        if rng is None or not _long_enough(doc, rng):
            continue
        subj = by or (subject_of(agent) if agent.pos_ in ("VERB", "AUX") else None)
        if subj is None or _dummy_controller(agent, subj) or _attempted(tok):
            continue
        if nominal and _product_recall(tok, subj):
            continue
        if bare_clause and not can_hold_view(subj):
            continue
        if rng[0] <= subj.i < rng[1] and not rng[0] <= tok.i < rng[1]:
            continue  # the "speaker" is part of the content (and the cue is not): a misparse
        if rng[0] > tok.i:
            rng = (rng[0], _before_dash_aside(doc, rng[0], _before_apposition(doc, rng[0], rng[1])))
        start, end = _chars(
            doc,
            _through_colon(doc, _into_quotation(doc, _to_closing_mark(doc, rng, tok), tok), tok),
        )
        text = full[start:end]
        if _ANONYMITY.fullmatch(text):
            continue  # "asked not to be named": how the source was quoted, not what was said
        kind = "mixed" if any(q in text for q in QUOTE_CHARS) else "indirect"
        speech = lem in SPEECH_VERBS
        how = (
            "participle"
            if tag == "VBG" and not any(c.dep_ == "nsubj" for c in tok.children)
            else "verb"
        )
        f = Found(
            kind, (start, end), tok, noun_phrase(subj), how, 0.85 if speech and not weak else 0.7
        )
        f.extra["weak"] = weak
        out.append(f)
    return out
