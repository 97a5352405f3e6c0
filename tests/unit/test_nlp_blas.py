"""The model multiplies on numpy's OpenBLAS (one thread), not thinc's BLIS: same annotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from threadpoolctl import threadpool_info

from wirewatch.nlp.model import load_model
from wirewatch.nlp.pipeline import Enricher

SEED = Path(__file__).resolve().parents[2] / "seeds" / "kyiv-strikes.txt"


def _layer_ops(nlp: Language) -> set[tuple[str, bool]]:
    return {
        (type(layer.ops).__name__, bool(getattr(layer.ops, "use_blis", False)))
        for _, component in nlp.pipeline
        if hasattr(getattr(component, "model", None), "walk")
        for layer in component.model.walk()
    }


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_model(stock_blas=True)


@pytest.fixture(scope="module")
def fast() -> Language:
    return load_model(stock_blas=False)


def test_every_layer_multiplies_on_numpy_blas_with_one_thread(fast: Language) -> None:
    assert _layer_ops(fast) == {("NumpyOps", False)}
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_stock_blas_keeps_thinc_default(stock: Language) -> None:
    assert ("NumpyOps", True) in _layer_ops(stock)


def test_the_environment_chooses_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREWATCH_SPACY_STOCK_BLAS", "1")
    assert ("NumpyOps", True) in _layer_ops(load_model())
    monkeypatch.delenv("WIREWATCH_SPACY_STOCK_BLAS")
    assert _layer_ops(load_model()) == {("NumpyOps", False)}


def test_same_annotations_and_statements_on_either_blas(stock: Language, fast: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    a, b = stock(text), fast(text)
    columns = ["TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START", "LEMMA"]
    assert (a.to_array(columns) == b.to_array(columns)).all()
    slow_out = Enricher(nlp=stock).enrich_texts([text])[0]
    fast_out = Enricher(nlp=fast).enrich_texts([text])[0]
    assert fast_out["statements"] and fast_out["statements"] == slow_out["statements"]
    assert fast_out["entities"] == slow_out["entities"]
