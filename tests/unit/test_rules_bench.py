"""`wirewatch bench rules`: generated rule sets are deterministic and valid; one JSON line."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema

from wirewatch.bench import rules as bench
from wirewatch.config import Settings
from wirewatch.ingest.files import read_path

RULES_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "rules.schema.json").read_text()
)


def test_generated_rules_are_deterministic_valid_and_mixed():
    doc = bench.generate_rules(2000)
    assert doc == bench.generate_rules(2000)
    jsonschema.Draft202012Validator(RULES_SCHEMA).validate(doc)
    keys = {k for r in doc["rules"] for k in r}
    assert {"keywords", "near", "actors", "speaker", "said", "quoted", "entities"} <= keys
    assert any(
        isinstance(r.get("keywords"), dict)
        and any(str(t).endswith("*") for t in r["keywords"].get("any", []))
        for r in doc["rules"]
    )


def test_run_prints_one_json_line_and_a_table(monkeypatch, capsys):
    raw = next(read_path(str(bench.SEED))).article
    monkeypatch.setattr(bench, "seed_article", lambda: bench.synthetic_article(raw))
    assert bench.run(SimpleNamespace(rules="100,300", articles=30), Settings()) == 0
    out = capsys.readouterr().out.splitlines()
    summary = json.loads(out[0])
    assert [r["rules"] for r in summary["results"]] == [100, 300]
    for r in summary["results"]:
        assert r["articles"] == 30 and r["articles_per_s"] > 0 and r["compile_s"] >= 0
    # one row per size and engine (native and python when the extension is built) + their ratio
    per_size = len(summary["engines"]) + (len(summary["engines"]) == 2)
    assert out[1].split()[:3] == ["rules", "engine", "articles/s"] and len(out) == 2 + 2 * per_size
    assert bench.run(SimpleNamespace(rules="x", articles=3), Settings()) == 2
