"""The offline commands, run as a user runs them (in-process through ``main``)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from wirewatch.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())


def lines(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_enrich_prints_one_valid_enriched_article_per_input(tmp_path, capsys):
    feed = tmp_path / "wire.jsonl"
    feed.write_text(
        json.dumps(
            {
                "id": "w1",
                "headline": "Rates",
                "body": "The bank will hold rates, its governor Maria Lopez said on Friday.",
            }
        )
        + "\n"
    )
    assert (
        main(
            [
                "enrich",
                "--actors",
                str(SEEDS / "actors.example.yaml"),
                str(SEEDS / "kyiv-strikes.txt"),
                str(feed),
            ]
        )
        == 0
    )
    docs = lines(capsys.readouterr().out)
    assert [d["id"] for d in docs] == ["kyiv-strikes", "w1"]
    for d in docs:
        jsonschema.validate(d, schema("enriched-article"))
    assert any(
        s["speaker"] and s["speaker"]["name"] == "Maria Lopez" for s in docs[1]["statements"]
    )


def test_enrich_reports_bad_records_and_exits_nonzero(tmp_path, capsys):
    feed = tmp_path / "wire.jsonl"
    feed.write_text('{"id": "ok", "body": "Nothing said here."}\n{"id": "broken"\n')
    assert main(["enrich", str(feed)]) == 1
    captured = capsys.readouterr()
    assert [d["id"] for d in lines(captured.out)] == ["ok"]
    assert f"{feed}:2: invalid_json" in captured.err


def test_alerts_test_fires_the_example_rules_on_the_seed(capsys):
    assert (
        main(
            [
                "alerts",
                "test",
                "--rules",
                str(SEEDS / "rules.example.yaml"),
                "--actors",
                str(SEEDS / "actors.example.yaml"),
                str(SEEDS / "kyiv-strikes.txt"),
            ]
        )
        == 0
    )
    alerts = lines(capsys.readouterr().out)
    for a in alerts:
        jsonschema.validate(a, schema("alert"))
    fired = {a["rule_id"] for a in alerts}
    assert {"stoltenberg-troops", "iaea-nuclear", "kuleba-nato"} <= fired
    assert (
        "stoltenberg-nuclear" not in fired
    )  # "nuclear" is in the article but not in his statements


def test_alerts_test_accepts_enriched_input(tmp_path, capsys):
    assert main(["enrich", str(SEEDS / "kyiv-strikes.txt")]) == 0
    enriched = tmp_path / "enriched.jsonl"
    enriched.write_text(capsys.readouterr().out)
    assert (
        main(["alerts", "test", "--rules", str(SEEDS / "rules.example.yaml"), str(enriched)]) == 0
    )
    assert "stoltenberg-troops" in {a["rule_id"] for a in lines(capsys.readouterr().out)}


def test_bad_rules_file_is_a_clear_error(tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: r1\n    keywords: {al: [x]}\n")
    assert main(["alerts", "test", "--rules", str(rules), str(SEEDS / "kyiv-strikes.txt")]) == 2
    err = capsys.readouterr().err
    assert "r1" in err and "keywords.al" in err


def test_bad_setting_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("WIREWATCH_BATCH_SIZE", "lots")
    assert main(["enrich", str(SEEDS / "kyiv-strikes.txt")]) == 2
    assert "WIREWATCH_BATCH_SIZE" in capsys.readouterr().err


def test_alerter_without_rules_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.delenv("WIREWATCH_RULES", raising=False)
    assert main(["alerter"]) == 2
    assert "--rules" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["consume"], ["eval"], ["alerts", "test", "x.txt"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
