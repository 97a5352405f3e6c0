"""`wirewatch tail` line formatting: readable, colour only when asked, terminal-safe."""

from __future__ import annotations

import io

from wirewatch.records import dumps
from wirewatch.tail import Painter, format_alert, format_event, format_statement, use_color

STATEMENT = {
    "id": "s1",
    "kind": "direct",
    "speaker": {
        "text": "he",
        "start": 0,
        "end": 2,
        "name": "Jens Stoltenberg",
        "actor_id": "stoltenberg",
    },
    "content": {"text": "We will send more troops", "start": 5, "end": 29},
    "headline": "NATO chief visits Kyiv",
    "article_id": "a1",
}
ALERT = {
    "id": "al1",
    "rule_id": "stoltenberg-troops",
    "article_id": "a1",
    "headline": "NATO chief visits Kyiv",
    "matched": {"keywords": ["troops"], "actors": ["Jens Stoltenberg"], "statements": ["s1", "s2"]},
    "created_at": "2025-01-01T00:00:00Z",
}


def test_statement_line():
    plain = Painter(False)
    assert (
        format_statement(STATEMENT, plain)
        == "Jens Stoltenberg — “We will send more troops” — NATO chief visits Kyiv"
    )
    reported = {**STATEMENT, "kind": "indirect", "speaker": None}
    assert (
        format_statement(reported, plain)
        == "(unattributed) — (reported) We will send more troops — NATO chief visits Kyiv"
    )


def test_alert_line():
    assert format_alert(ALERT, Painter(False)) == (
        "stoltenberg-troops — NATO chief visits Kyiv — keywords: troops · actors: Jens Stoltenberg · 2 statement(s)"
    )


def test_colour_only_when_asked_and_escapes_are_neutralised(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not use_color("auto", io.StringIO())  # not a terminal
    assert use_color("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", io.StringIO())
    coloured = format_statement(STATEMENT, Painter(True))
    assert "\x1b[" in coloured and "Jens Stoltenberg" in coloured
    hostile = {
        **STATEMENT,
        "content": {"text": "ok\x1b]0;pwned\x07\nnext line", "start": 0, "end": 1},
    }
    line = format_statement(hostile, Painter(False))
    assert "\x1b" not in line and "\x07" not in line and "\n" not in line
    assert "ok ]0;pwned next line" in line


def test_long_quotes_are_cut_and_bad_events_do_not_crash():
    long = {**STATEMENT, "content": {"text": "word " * 200, "start": 0, "end": 1}}
    assert "…”" in format_statement(long, Painter(False))
    assert format_event("statements", b"{not json", Painter(False)).startswith(
        "(unreadable statement event"
    )
    assert format_event("alerts", dumps([1, 2]), Painter(False)).startswith(
        "(unreadable alert event"
    )
    assert format_event("alerts", dumps(ALERT), Painter(False)).startswith("stoltenberg-troops — ")
