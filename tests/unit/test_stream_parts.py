"""The agents' small decisions, without a broker: failure isolation, duplicates, headers, metrics."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from wirewatch.config import Settings
from wirewatch.stream import metrics
from wirewatch.stream.common import ce_headers
from wirewatch.stream.enricher import enrich_isolating, is_duplicate


class Flaky:
    """Raises on the article whose body says so, like a pipeline bug triggered by one input."""

    def enrich_batch(self, articles):
        return [self.enrich(a) for a in articles]

    def enrich(self, article):
        if "BOOM" in article["body"]:
            raise ValueError("simulated pipeline failure")
        return {"id": article["id"], "statements": []}


def test_a_failing_article_is_isolated_and_the_rest_enriched():
    arts = [{"id": "a", "body": "fine"}, {"id": "b", "body": "BOOM"}, {"id": "c", "body": "fine"}]
    out = enrich_isolating(Flaky(), arts)
    assert [o["id"] for o in out if isinstance(o, dict)] == ["a", "c"]
    assert isinstance(out[1], ValueError) and "simulated" in str(out[1])


def test_same_version_is_a_duplicate_and_a_newer_version_is_not():
    done = {"a": 2}
    assert is_duplicate(done, {"id": "a", "version": 2})
    assert is_duplicate(done, {"id": "a", "version": 1})
    assert not is_duplicate(done, {"id": "a", "version": 3})
    assert not is_duplicate(done, {"id": "new", "version": 1})


def test_raw_articles_carry_cloudevents_headers_with_a_stable_id():
    from wirewatch.records import raw_headers

    h = dict(raw_headers({"id": "a1", "version": 2}))
    assert h["ce_type"] == b"dev.wirewatch.article.raw"
    assert h["ce_id"] == dict(raw_headers({"id": "a1", "version": 2}))["ce_id"]
    assert h["ce_id"] != dict(raw_headers({"id": "a1", "version": 3}))["ce_id"]


def test_cloudevents_binary_mode_headers():
    h = dict(ce_headers("statement", "abc123"))
    assert h["ce_specversion"] == b"1.0"
    assert h["ce_id"] == b"abc123"
    assert h["ce_type"] == b"dev.wirewatch.statement"
    assert h["ce_source"] and h["ce_time"].endswith(b"Z")
    assert h["content-type"] == b"application/json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metrics_endpoint_serves_counters(monkeypatch):
    monkeypatch.delenv("WIREWATCH_WORKER_INDEX", raising=False)
    assert metrics.serve(Settings(metrics_port=0)) is None  # off by default
    port = _free_port()
    assert metrics.serve(Settings(metrics_port=port, metrics_host="127.0.0.1")) == port
    metrics.DEADLETTERS.labels("invalid_json").inc()
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'wirewatch_deadletters_total{kind="invalid_json"}' in body
    assert "wirewatch_processing_seconds_bucket" in body
    # A taken port is reported, never fatal.
    assert metrics.serve(Settings(metrics_port=port, metrics_host="127.0.0.1")) is None


def test_recent_versions_forget_the_oldest_past_the_window():
    from wirewatch.stream.enricher import RecentVersions

    done = RecentVersions(maxsize=2)
    done.remember(0, "a", 1)
    done.remember(1, "b", 1)
    done.remember(0, "a", 2)  # refreshed: now the most recent
    done.remember(2, "c", 1)
    assert dict(done.data) == {"a": 2, "c": 1}
    assert done.get("b") == 0 and done.get("a") == 2


class _Store(dict):
    """Faust's memory store: a dict plus the partition of every key restored from the changelog."""

    def __init__(self, restored: dict[str, tuple[int, int]]) -> None:
        super().__init__({k: v for k, (v, _) in restored.items()})
        self._key_partition = {k: p for k, (_, p) in restored.items()}


class _Table:
    def __init__(self, store: _Store) -> None:
        self.data, self.sent = store, []

    def send_changelog(self, partition, key, value):
        self.sent.append((partition, key, value))


def test_recent_versions_write_the_changelog_to_the_raw_partition_and_tombstone_what_they_forget():
    from wirewatch.stream.enricher import RecentVersions

    # Two ids restored after a restart, then new ones, with room for three in all.
    table = _Table(_Store({"old-1": (1, 3), "old-2": (4, 1)}))
    done = RecentVersions(maxsize=3, table=table)
    assert done.get("old-2") == 4  # a repeat after the restart is still known
    done.remember(2, "n1", 1)
    done.remember(0, "n2", 1)
    assert table.sent == [
        (2, "n1", 1),
        (0, "n2", 1),
        (3, "old-1", None),
    ]  # the oldest restored id goes first
    table.data.pop("old-2")  # Faust dropped it with a revoked partition
    done.remember(2, "n3", 1)
    assert table.sent[-1] == (2, "n3", 1)  # no tombstone for an entry this worker no longer owns
    assert set(table.data) == {"n1", "n2", "n3"}


def test_healthz_reports_a_stalled_event_loop(monkeypatch):
    port = _free_port()
    assert metrics.serve(Settings(metrics_port=port, metrics_host="127.0.0.1")) == port
    metrics.beat()
    ok = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
    assert ok.status == 200 and b'"ok": true' in ok.read()
    monkeypatch.setitem(metrics._last_beat, "t", metrics._last_beat["t"] - 2 * metrics.STALE_AFTER)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        raise AssertionError("a stale beat must fail the health check")
    except urllib.error.HTTPError as exc:
        assert exc.code == 503


def test_json_log_lines_carry_the_article_id():
    import json
    import logging

    from wirewatch.logs import JsonFormatter

    rec = logging.LogRecord("wirewatch", logging.INFO, __file__, 1, "enriched %s", ("a1",), None)
    rec.article_id = "a1"
    line = json.loads(JsonFormatter().format(rec))
    assert line["msg"] == "enriched a1" and line["article_id"] == "a1" and line["level"] == "info"


def test_agents_produce_idempotently():
    from wirewatch.stream.common import make_app
    from wirewatch.stream.transport import IdempotentProducer

    app = make_app(Settings(topic_prefix="idem-check"), "enricher")
    producer = app.producer
    assert isinstance(producer, IdempotentProducer)
    extra = producer._settings_extra()
    assert extra["enable_idempotence"] is True and extra["acks"] == "all"


def test_the_loaded_heap_is_frozen_before_the_worker_consumes(monkeypatch):
    """The model and the libraries go out of the collector's reach after they are loaded and
    before the worker starts: frozen later, the first full collections would still walk them."""
    import gc
    import sys

    from wirewatch import cli
    from wirewatch.stream import common, enricher, topics

    calls: list[str] = []
    monkeypatch.setattr(cli, "_load_enricher", lambda s, a: calls.append("load") or object())

    async def no_topics(settings):
        calls.append("topics")

    monkeypatch.setattr(topics, "ensure_topics", no_topics)
    monkeypatch.setattr(metrics, "serve", lambda s: calls.append("serve"))
    monkeypatch.setattr(enricher, "build_enricher", lambda s, e: calls.append("app") or "app")
    monkeypatch.setattr(common, "run_worker", lambda app, *a: calls.append(f"run {app}"))
    real_freeze = common.freeze_loaded_heap
    monkeypatch.setattr(common, "freeze_loaded_heap", lambda: calls.append("freeze"))
    monkeypatch.setattr(sys, "setswitchinterval", lambda s: None)
    args = cli.build_parser().parse_args(["enricher", "--workers", "1"])
    assert cli.cmd_enricher(args, Settings()) == 0
    assert calls == ["load", "topics", "serve", "app", "freeze", "run app"]

    held = [[i] for i in range(1000)]  # containers the collector tracks
    try:
        real_freeze()
        assert gc.get_freeze_count() >= len(held)
    finally:
        gc.unfreeze()
