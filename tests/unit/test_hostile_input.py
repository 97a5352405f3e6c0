"""Hostile but valid articles: the enricher returns a well-formed result, never raises or hangs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from wirewatch.nlp.pipeline import Enricher

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "enriched-article.schema.json").read_text()
)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def check(doc: dict) -> None:
    jsonschema.validate(doc, SCHEMA)
    for st in doc["statements"]:
        c = st["content"]
        assert doc["body"][c["start"] : c["end"]] == c["text"]
        assert c["text"].strip()


def test_unbalanced_quotation_marks(enricher):
    body = (
        '"The plant will reopen in May, the manager Carla Diaz said on Monday. '
        'Workers said they had not been told. "We are waiting," one added.'
    )
    doc = enricher.enrich({"id": "unbalanced", "body": body})
    check(doc)


def test_control_characters_keep_offsets_valid(enricher):
    body = (
        "Prices rose\x00 sharply\x07 in March, the statistics office said.\x1b[31m "
        '"Inflation is\x0c easing," central bank governor Ana Ruiz told\x0b reporters.'
    )
    doc = enricher.enrich({"id": "ctrl", "body": body})
    check(doc)
    assert any(st["speaker"] and st["speaker"]["name"] == "Ana Ruiz" for st in doc["statements"])


def test_thousands_of_quotes(enricher):
    para = '"Output is up {n} percent," the engineer Priya Shah said. '
    body = "".join(para.format(n=i) for i in range(2000))
    doc = enricher.enrich({"id": "many-quotes", "body": body})
    check(doc)
    assert len(doc["statements"]) >= 1000
    assert len({st["id"] for st in doc["statements"]}) == len(doc["statements"])


def test_only_quotation_marks(enricher):
    doc = enricher.enrich({"id": "marks", "body": '"' * 500 + "\u201c\u201d" * 200})
    check(doc)


@pytest.mark.parametrize("body", ["Percent choose Clinton.", "Announced Friday, the plan."])
def test_a_text_opening_where_a_rule_looks_one_word_back(enricher, body):
    check(enricher.enrich({"id": "edge", "body": body}))
