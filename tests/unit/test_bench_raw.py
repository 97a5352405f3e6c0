"""`wirewatch bench pipeline --raw-only`: in process, no broker; the labels say what was timed."""

from __future__ import annotations

import json
from dataclasses import replace

from wirewatch.bench import pipeline as bench
from wirewatch.cli import build_parser
from wirewatch.config import Settings


def test_raw_only_times_stock_and_product_pipelines(monkeypatch, capsys):
    monkeypatch.delenv("WIREWATCH_SPACY_STOCK_ATTRS", raising=False)
    monkeypatch.delenv("WIREWATCH_SPACY_STOCK_BLAS", raising=False)
    args = build_parser().parse_args(
        ["bench", "pipeline", "--raw-only", "--articles", "3", "--rounds", "1"]
    )
    assert bench.run(args, replace(Settings(), batch_size=2)) == 0
    out = capsys.readouterr().out.splitlines()
    result = json.loads(out[0])
    raw = result["raw"]
    assert result["bench"] == "pipeline-raw" and result["articles"] == 3
    # "full" is the stock pipeline, "kept" the product's: fastattrs instead of the stock pair.
    assert {"attribute_ruler", "lemmatizer"} <= set(raw["full_components"])
    assert "wirewatch_fastattrs" in raw["kept_components"]
    assert {"attribute_ruler", "lemmatizer"}.isdisjoint(raw["kept_components"])
    assert raw["replaced"] == {
        "attribute_ruler": "wirewatch_fastattrs",
        "lemmatizer": "wirewatch_fastattrs",
    }
    assert raw["disabled"] == []
    for key in ("full_aps", "kept_aps", "kept_stock_attrs_aps", "kept_stock_blas_aps"):
        assert raw[key] > 0
    assert raw["library_aps"] > 0
    assert set(raw["cpu_ms_per_article"]) == {
        "full",
        "kept",
        "kept_stock_attrs",
        "kept_stock_blas",
        "library",
    }
    assert result["ratios"]["kept_vs_full"] > 0
    table = "\n".join(out[1:])
    assert "stock default pipeline" in table and "product pipeline (limit)" in table
    assert "product on thinc's BLIS" in table


def test_busiest_thread_is_split_from_the_rest() -> None:
    before = {1: 10.0, 2: 1.0, 3: 0.5}
    after = {1: 12.5, 2: 1.25, 3: 0.5, 4: 0.25}  # thread 4 started in between
    assert bench.busiest_split(before, after) == (2.5, 0.5)
    assert bench.busiest_split({}, {}) == (0.0, 0.0)


def test_thread_cpu_of_this_process_adds_up() -> None:
    import os
    import time

    end = time.process_time() + 0.05
    while time.process_time() < end:  # burn a little CPU in this thread
        pass
    threads = bench._thread_cpu_s(os.getpid())
    assert threads and all(v >= 0 for v in threads.values())
    assert sum(threads.values()) <= bench._cpu_s(os.getpid()) + 0.02 * len(threads)
    assert bench._thread_cpu_s(-1) == {}
