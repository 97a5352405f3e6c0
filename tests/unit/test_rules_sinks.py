"""Alert sinks: the log line and the JSONL file, routed by the rule's ``sinks``."""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
import pytest

from wirewatch.rules.sinks import FileSink, LogSink, SinkRouter, build_router

ALERT = {
    "id": "abc",
    "rule_id": "r1",
    "article_id": "a1",
    "headline": "NATO rules out troops",
    "matched": {"keywords": ["troops"], "actors": ["Stoltenberg"], "statements": ["s1"]},
    "sinks": [],
    "created_at": "2022-03-01T17:30:00.000Z",
}


class Recorder:
    def __init__(self, name):
        self.name, self.sent, self.closed = name, [], False

    def send(self, alert):
        self.sent.append(alert["id"])

    def close(self):
        self.closed = True


def test_file_sink_appends_json_lines(tmp_path: Path):
    path = tmp_path / "out" / "alerts.jsonl"
    sink = FileSink(path)
    sink.send(ALERT)
    sink.send({**ALERT, "id": "def"})
    sink.close()
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(line)["id"] for line in lines] == ["abc", "def"]
    FileSink(path).send({**ALERT, "id": "ghi"})  # appends, never truncates
    assert len(path.read_bytes().splitlines()) == 3


def test_log_sink_names_rule_article_and_matches(caplog):
    with caplog.at_level(logging.INFO, logger="wirewatch.alerts"):
        LogSink().send(ALERT)
    (record,) = caplog.records
    line = orjson.loads(record.getMessage())  # structured: one JSON object per alert
    assert line["event"] == "alert" and line["rule_id"] == "r1" and line["article_id"] == "a1"
    assert line["keywords"] == ["troops"] and line["statements"] == ["s1"]


def test_router_uses_rule_sinks_else_defaults():
    log, file = Recorder("log"), Recorder("file")
    router = SinkRouter({"log": log, "file": file}, default=["log"])
    assert router.send(ALERT) == ["log"]
    assert router.send({**ALERT, "id": "x", "sinks": ["file"]}) == ["file"]
    assert router.send({**ALERT, "id": "y", "sinks": ["log", "file"]}) == ["log", "file"]
    assert (log.sent, file.sent) == (["abc", "y"], ["x", "y"])
    router.close()
    assert log.closed and file.closed


def test_router_falls_back_when_a_rule_sink_is_not_configured():
    log = Recorder("log")
    router = SinkRouter({"log": log})
    assert router.send({**ALERT, "sinks": ["file"]}) == ["log"]
    assert log.sent == ["abc"]


def test_build_router(tmp_path: Path):
    assert sorted(build_router().sinks) == ["log"]
    router = build_router(tmp_path / "a.jsonl", default=["file"])
    assert sorted(router.sinks) == ["file", "log"] and router.default == ("file",)
    router.close()
    with pytest.raises(ValueError, match="unknown sink"):
        build_router(default=["pager"])
