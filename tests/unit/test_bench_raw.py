"""`wirewatch bench pipeline --raw-only`: in process, no broker; the labels say what was timed."""

from __future__ import annotations

import json
from dataclasses import replace

from wirewatch.bench import pipeline as bench
from wirewatch.cli import build_parser
from wirewatch.config import Settings


def test_raw_only_times_stock_and_product_pipelines(monkeypatch, capsys):
    monkeypatch.delenv("WIREWATCH_SPACY_STOCK_ATTRS", raising=False)
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
    for key in ("full_aps", "kept_aps", "kept_stock_attrs_aps", "library_aps"):
        assert raw[key] > 0
    assert set(raw["cpu_ms_per_article"]) == {"full", "kept", "kept_stock_attrs", "library"}
    assert result["ratios"]["kept_vs_full"] > 0
    table = "\n".join(out[1:])
    assert "stock default pipeline" in table and "product pipeline (limit)" in table
