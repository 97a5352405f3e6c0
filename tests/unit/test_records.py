import base64
import json
from pathlib import Path

import jsonschema
import pytest

from wirewatch.records import (
    BadArticle,
    deadletter,
    decode_article,
    stable_id,
    statement_events,
    validate_article,
)

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (b'{"id": "a", "body": ', "invalid_json"),
        (b"\xff\xfe", "invalid_utf8"),
        (b"[1, 2]", "not_an_object"),
        (b'{"body": "text"}', "missing_field"),
        (b'{"id": "a"}', "missing_field"),
        (b'{"id": "a", "body": 42}', "wrong_type"),
        (b'{"id": "a", "body": "   "}', "empty_body"),
        (b'{"id": "a", "body": "x", "headline": 3}', "wrong_type"),
        (b'{"id": "a", "body": "x", "version": 0}', "wrong_type"),
    ],
)
def test_decode_rejects_bad_records_with_a_kind(value, kind):
    with pytest.raises(BadArticle) as exc:
        decode_article(value)
    assert exc.value.kind == kind
    assert str(exc.value)


def test_body_size_limit_names_the_setting():
    with pytest.raises(BadArticle) as exc:
        decode_article(b'{"id": "big", "body": "' + b"x" * 101 + b'"}', max_body_bytes=100)
    assert exc.value.kind == "too_large"
    assert "WIREWATCH_MAX_BODY_BYTES" in str(exc.value)
    assert exc.value.article_id == "big"


def test_defaults_and_ninjs_names():
    art = validate_article(
        {"guid": "n1", "body_text": "Hello.", "versioncreated": "2022-03-01T17:24:00Z"}
    )
    assert art["id"] == "n1"
    assert art["body"] == "Hello."
    assert art["published_at"] == "2022-03-01T17:24:00Z"
    assert art["version"] == 1
    assert art["language"] == "en"
    assert art["headline"] is None
    jsonschema.validate(art, json.loads((SCHEMAS / "raw-article.schema.json").read_text()))


def test_stable_id_is_deterministic_and_span_sensitive():
    assert stable_id("a", 1, 0, 10) == stable_id("a", 1, 0, 10)
    assert stable_id("a", 1, 0, 10) != stable_id("a", 1, 0, 11)
    assert stable_id("a", 1, 0, 10) != stable_id("a", 2, 0, 10)


def test_deadletter_keeps_original_bytes_and_validates():
    dl = deadletter(
        b"\xff{", "invalid_utf8", "bad", topic="t", stage="enricher", partition=0, offset=7
    )
    assert base64.b64decode(dl["original_b64"]) == b"\xff{"
    assert dl["original"] is None
    jsonschema.validate(dl, json.loads((SCHEMAS / "deadletter.schema.json").read_text()))


def test_statement_events_carry_the_article():
    enriched = {
        "id": "a1",
        "version": 2,
        "headline": "H",
        "uri": None,
        "source": "wire",
        "published_at": None,
        "statements": [{"id": "s1", "kind": "direct"}, {"id": "s2", "kind": "indirect"}],
    }
    evs = statement_events(enriched)
    assert [e["id"] for e in evs] == ["s1", "s2"]
    assert all(
        e["article_id"] == "a1" and e["article_version"] == 2 and e["headline"] == "H" for e in evs
    )
