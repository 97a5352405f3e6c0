"""wirewatch_fastattrs against the reference: the model's own attribute_ruler + lemmatizer.

Every test runs the same text through the stock components and through the replacement and
asks for the same TAG, DEP, POS, MORPH and LEMMA on every token.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.nlp.fastattrs import NAME, STOCK, FastAttributes, replace_stock
from wirewatch.nlp.model import load_model

SEED = Path(__file__).resolve().parents[2] / "seeds" / "kyiv-strikes.txt"

# Varied on purpose: contractions and colloquial forms the ruler has word patterns for (ain't,
# gonna, gotta, let's, c'mon, y'all, 'em, doin'), expletive "there", auxiliaries used as main
# verbs, pronouns as subjects and objects, modal spellings (ca/wo/sha), whitespace tokens,
# comparatives, plurals, numbers, URLs, non-ASCII and shouting.
SENTENCES = [
    "The minister said on Tuesday that the talks had failed.",
    "There is no evidence, and there were never any plans, she insisted.",
    '"We ain\'t gonna stop," he said. "You gotta believe it. Let\'s go, y\'all!"',
    "C'mon, it's nothin' - I'm just doin' my job, goin' home, ol' friend. Give 'em enough.",
    "I'd say they'll win; she'd had enough. Did he do it? He did, and he has done it before.",
    "Nobody knows anything; everyone said something to somebody about everything.",
    "I can't, you won't, we shan't, they couldn't and it wouldn't.",
    "Been there, being here: the project has been being delayed by those who were told.",
    "The bigger cities grew fastest, while the smallest villages lost 35 per cent of residents.",
    "Prices rose 4.5% to $1,200 in 2024, according to https://example.org/report and a@b.com.",
    "Zelensky told Scholz in Kyiv that Ukraine's allies gets what it got.",
    "ANKARA (Reuters) - TURKEY'S PRESIDENT SAID HE WOULD VETO THE BILL.",
    "Müller, Dvořák and Ñúñez met at the Café Noël — “a historic day”, they said.",
    "Them that has, gets. That is that. This one is better than that one; these are those.",
    "Line one\n\nLine two  with  double  spaces\tand a tab.\n   \nLast line.",
    "Me? I know her and him, but they don't know us; it was me who called you, not them.",
    "Hopes are rising as he hopes she quotes the report he was quoted as saying was leaked.",
    "The well-known, state-run broadcaster's anchors re-read the co-operative's statements.",
    "Once upon a time, well, then, here and there, it had been said.",
    "",
    "  ",
    "A",
]


def _annotations(doc: Doc) -> list[tuple]:
    return [
        (t.text, t.tag_, t.dep_, t.pos_, t.morph.key, str(t.morph), t.lemma_, t.lemma) for t in doc
    ]


def _up_to_attrs(nlp: Language, text: str) -> Doc:
    """The Doc as it arrives at the attribute stage (tokenizer ... parser)."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name in (NAME, *STOCK):
            return doc
        doc = proc(doc)
    raise AssertionError("no attribute stage in the pipeline")


def _attr_stage(nlp: Language, doc: Doc) -> Doc:
    for name, proc in nlp.pipeline:
        if name in (NAME, *STOCK):
            doc = proc(doc)
    return doc


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_model(stock_attrs=True)


@pytest.fixture(scope="module")
def fast() -> Language:
    return load_model(stock_attrs=False)


def test_production_pipeline_uses_the_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIREWATCH_SPACY_STOCK_ATTRS", raising=False)
    names = load_model().pipe_names
    assert NAME in names and not set(STOCK) & set(names)
    assert names.index(NAME) > names.index("parser")
    monkeypatch.setenv("WIREWATCH_SPACY_STOCK_ATTRS", "1")
    names = load_model().pipe_names
    assert NAME not in names and set(STOCK) <= set(names)


def test_stock_pipeline_keeps_the_model_components(stock: Language, fast: Language) -> None:
    assert set(STOCK) <= set(stock.pipe_names) and NAME not in stock.pipe_names
    # Same components otherwise, in the same order.
    assert [n for n in stock.pipe_names if n not in STOCK] == [
        n for n in fast.pipe_names if n != NAME
    ]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_annotations_as_stock(stock: Language, fast: Language, text: str) -> None:
    want = _annotations(stock(text))
    assert _annotations(fast(text)) == want
    assert _annotations(fast(text)) == want  # second time from the memo


def test_same_annotations_on_a_batch_and_the_seed(stock: Language, fast: Language) -> None:
    texts = [*SENTENCES, SEED.read_text(encoding="utf-8")]
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert _annotations(b) == _annotations(a)
        assert [(e.start, e.end, e.label_) for e in b.ents] == [
            (e.start, e.end, e.label_) for e in a.ents
        ]


def test_multi_token_patterns_fire(fast: Language) -> None:
    """The ruler's word-sequence patterns are applied (not only its one-token map)."""
    doc = fast("We ain't gonna wait. There is a plan.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert next(t for t in doc if t.text == "is").pos_ == "VERB"  # expletive "there is"


def test_preset_annotations_are_respected(stock: Language, fast: Language) -> None:
    """A lemma or POS already set before the stage is treated as the stock components treat it."""
    text = "The ministers said they were leaving."
    docs = [_up_to_attrs(stock, text), _up_to_attrs(fast, text)]
    for doc in docs:
        doc[1].lemma_ = "envoy"
        doc[2].pos_ = "NOUN"
    a, b = (_attr_stage(nlp, doc) for nlp, doc in zip((stock, fast), docs, strict=True))
    assert _annotations(b) == _annotations(a)
    assert b[1].lemma_ == "envoy"


def test_bounded_memo_gives_the_same_output(stock: Language, fast: Language) -> None:
    component = fast.get_pipe(NAME)
    small = FastAttributes(component.ruler, component.lemmatizer, max_keys=8)
    for text in SENTENCES[:6]:
        want = _annotations(stock(text))
        assert _annotations(_attr_stage_with(fast, small, text)) == want
        assert len(small._hits) <= 8 + len(fast.make_doc(text))


def _attr_stage_with(nlp: Language, component: FastAttributes, text: str) -> Doc:
    doc = component(_up_to_attrs(nlp, text))
    seen = False
    for name, proc in nlp.pipeline:
        if seen:
            doc = proc(doc)
        seen = seen or name == NAME
    return doc


def test_patterns_outside_the_memo_are_exact() -> None:
    """Patterns with OP, reading NORM or POS, or longer than one token go to the Doc-level
    Matcher or the sequence path; the result still equals the ruler's."""
    extra = [
        {
            "patterns": [[{"LOWER": "new"}, {"LOWER": "york"}]],
            "attrs": {"LEMMA": "NYC"},
            "index": -1,
        },
        {
            "patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]],
            "attrs": {"MORPH": "Degree=Sup"},
            "index": -1,
        },
        # A later one-token pattern overrides an earlier sequence on the same token.
        {
            "patterns": [[{"LOWER": "big"}, {"LOWER": "apple"}]],
            "attrs": {"LEMMA": "NYC"},
            "index": 1,
        },
        {"patterns": [[{"LOWER": "apple"}]], "attrs": {"LEMMA": "fruit"}},
        {"patterns": [[{"NORM": "going"}]], "attrs": {"LEMMA": "proceed"}},
        {"patterns": [[{"POS": "PROPN"}]], "attrs": {"TAG": "NNP"}},
        {"patterns": [[{"TAG": "NNS"}]], "attrs": {"MORPH": "Number=Plur|Foo=Bar"}},
    ]
    texts = [
        "New York is very very big and going to grow.",
        "The very tall mayors of new york said goin' there was very, very odd.",
        "The Big Apple is a big apple, not an apple.",
    ]
    stock_nlp = load_model(stock_attrs=True)
    stock_nlp.get_pipe("attribute_ruler").add_patterns(extra)
    want = [_annotations(d) for d in stock_nlp.pipe(texts)]
    fast_nlp = load_model(stock_attrs=True)
    fast_nlp.get_pipe("attribute_ruler").add_patterns(extra)

    assert replace_stock(fast_nlp)
    component = fast_nlp.get_pipe(NAME)
    assert len(component.doc_level) >= 2 and component.sequences
    assert [_annotations(d) for d in fast_nlp.pipe(texts)] == want
    assert [t.lemma_ for t in fast_nlp("new york")] == ["new", "NYC"]
    assert [t.lemma_ for t in fast_nlp("big apple")] == ["big", "fruit"]


def test_unsupported_attribute_keeps_the_stock_components() -> None:
    nlp = load_model(stock_attrs=True)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "x"}]], {"NORM": "ex"})

    assert not replace_stock(nlp)
    assert set(STOCK) <= set(nlp.pipe_names) and NAME not in nlp.pipe_names
