"""ninjs 1.x/2.x mapping and HTML stripping: what reaches validate_article."""

from __future__ import annotations

import io
import json

import pytest

from wirewatch.ingest.files import read_path
from wirewatch.ingest.html import html_to_text
from wirewatch.ingest.ninjs import is_ninjs, to_article
from wirewatch.records import BadArticle, validate_article

NINJS2 = {
    "uri": "urn:newsml:wire.example:20250304:abc123",
    "standard": {
        "name": "ninjs",
        "version": "2.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    },
    "type": "text",
    "version": "3",
    "language": "en",
    "versioncreated": "2025-03-04T10:15:00Z",
    "firstcreated": "2025-03-04T09:00:00Z",
    "headlines": [
        {"role": "sub", "value": "Subhead"},
        {"role": "main", "value": "Minister resigns"},
    ],
    "bodies": [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": "<p>The minister <b>resigned</b>.</p><p>Next.</p>",
        },
        {"role": "main", "contenttype": "text/plain", "value": "The minister resigned.\n\nNext."},
    ],
    "infosources": [{"name": "Example Wire", "role": "originfo"}],
}


def test_ninjs2_maps_onto_raw_article_fields():
    art = validate_article(to_article(NINJS2))
    assert art["id"] == NINJS2["uri"]
    assert art["headline"] == "Minister resigns"
    assert art["body"] == "The minister resigned.\n\nNext."  # plain text preferred over HTML
    assert art["version"] == 3 and art["published_at"] == "2025-03-04T10:15:00Z"
    assert art["source"] == "Example Wire" and art["language"] == "en"
    assert "bodies" not in art and "headlines" not in art


def test_ninjs2_html_only_body_is_stripped_and_explicit_fields_win():
    doc = {
        **NINJS2,
        "bodies": [{"contenttype": "text/html", "value": "<p>A &amp; B said &quot;hi&quot;.</p>"}],
        "id": "my-id",
        "version": "draft",
    }
    art = validate_article(to_article(doc))
    assert art["id"] == "my-id"
    assert art["body"] == 'A & B said "hi".'
    assert art["version"] == 1  # a non-numeric ninjs version is dropped, not an error


def test_ninjs1_names_still_work_and_plain_articles_pass_through():
    art = validate_article(
        to_article({"guid": "g-1", "body_html": "<p>Hello there.</p>", "headline": "H"})
    )
    assert (art["id"], art["body"], art["headline"]) == ("g-1", "Hello there.", "H")
    plain = {"id": "a", "body": "b"}
    assert not is_ninjs(plain) and to_article(plain) is plain


def test_ninjs_without_body_is_refused_naming_the_field():
    doc = {k: v for k, v in NINJS2.items() if k != "bodies"}
    with pytest.raises(BadArticle, match="field 'body' is missing"):
        validate_article(to_article(doc))


def test_ninjs_files_and_stdin_documents_are_read(tmp_path, monkeypatch):
    p = tmp_path / "item.json"
    p.write_text(json.dumps(NINJS2, indent=2))
    [rec] = list(read_path(str(p)))
    assert rec.error is None and rec.article["id"] == NINJS2["uri"]
    # A pretty-printed document on stdin is one article, not a line-by-line JSON error.
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(NINJS2, indent=2)))
    [rec] = list(read_path("-"))
    assert rec.error is None and rec.article["headline"] == "Minister resigns"


def test_html_to_text():
    html = (
        "<div><h1>Title</h1><p>First &amp; <i>second</i>\n   words.</p><script>var x=1;</script>"
        "<style>p{}</style><ul><li>one</li><li>two</li></ul>line<br>break&nbsp;here</div>"
    )
    assert html_to_text(html) == "Title\n\nFirst & second words.\n\none\n\ntwo\n\nline\nbreak here"
