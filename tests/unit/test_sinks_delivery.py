"""Webhook and Slack sinks against a local HTTP server; the durable outbox: retries with
backoff, a failing sink never blocks the others, pending deliveries survive a restart."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

from wirewatch.rules.sinks import (
    SIGNATURE_HEADER,
    Outbox,
    PermanentSinkError,
    SinkRouter,
    SlackSink,
    WebhookSink,
    backoff,
    build_router,
)

ALERT = {"id": "abc", "rule_id": "r1", "article_id": "a1", "headline": "NATO rules out troops",
         "matched": {"keywords": ["troops"], "actors": [], "statements": []}, "sinks": [],
         "created_at": "2022-03-01T17:30:00.000Z", "uri": "https://example.org/a1"}  # fmt: skip


class Server:
    """A local HTTP server answering with the scripted status codes, then 200."""

    def __init__(self, statuses=(), delay: float = 0.0):
        self.requests: list[tuple[dict, bytes]] = []
        self.statuses = list(statuses)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers), body))
                time.sleep(delay)
                self.send_response(outer.statuses.pop(0) if outer.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


def test_webhook_posts_signed_json(server):
    WebhookSink(server.url, secret="k").send(ALERT)
    [(headers, body)] = server.requests
    assert orjson.loads(body) == ALERT
    assert headers["Content-Type"] == "application/json"
    assert headers[SIGNATURE_HEADER] == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
    WebhookSink(server.url).send(ALERT)  # no secret, no signature
    assert SIGNATURE_HEADER not in server.requests[1][0]


def test_webhook_only_http_urls_and_status_classes():
    for bad in ("ftp://example.org/x", "file:///etc/passwd", "example.org/hook", "http://"):
        with pytest.raises(ValueError, match="http"):
            WebhookSink(bad)
    srv = Server(statuses=[404, 503])
    try:
        with pytest.raises(PermanentSinkError):
            WebhookSink(srv.url).send(ALERT)
        with pytest.raises(Exception, match="503"):
            WebhookSink(srv.url).send(ALERT)
    finally:
        srv.close()


def test_webhook_timeout():
    srv = Server(delay=1.0)
    try:
        t0 = time.monotonic()
        with pytest.raises(OSError):
            WebhookSink(srv.url, timeout=0.2).send(ALERT)
        assert time.monotonic() - t0 < 0.9
    finally:
        srv.close()


def test_slack_payload(server):
    SlackSink(server.url).send({**ALERT, "suppressed": 3})
    payload = json.loads(server.requests[0][1])
    assert "*r1*: NATO rules out troops" in payload["text"]
    assert "keywords: troops" in payload["text"] and "+3 similar suppressed" in payload["text"]
    assert payload["blocks"][0]["text"]["type"] == "mrkdwn"


def test_backoff_doubles_and_caps():
    assert [backoff(n, 1.0, 10.0) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_outbox_retries_with_backoff_until_delivered(tmp_path):
    srv = Server(statuses=[500, 503])
    router = build_router(webhook_url=srv.url, default=["webhook"], outbox_dir=tmp_path,
                          base_delay=0.05)  # fmt: skip
    try:
        assert router.send(ALERT) == ["webhook"]
        assert router.outbox.wait_idle(10)
        assert len(srv.requests) == 3  # two failures, then delivered
        lines = [orjson.loads(x) for x in (tmp_path / "journal.jsonl").read_bytes().splitlines()]
        assert lines[-1] == {"done": "abc:webhook"}
    finally:
        router.close()
        srv.close()


class Flaky:
    name = "flaky"

    def __init__(self):
        self.calls = 0

    def send(self, alert):
        self.calls += 1
        raise ConnectionError("down")

    def close(self):
        pass


class Recorder:
    name = "rec"

    def __init__(self):
        self.sent = []

    def send(self, alert):
        self.sent.append(alert["id"])

    def close(self):
        pass


def test_failing_sink_never_blocks_the_others_and_survives_restart(tmp_path):
    flaky, rec = Flaky(), Recorder()
    router = SinkRouter({"flaky": flaky, "rec": rec}, default=["flaky", "rec"],
                        outbox_dir=tmp_path, base_delay=0.05, max_delay=0.05)  # fmt: skip
    for i in range(5):
        router.send({**ALERT, "id": f"a{i}"})
    deadline = time.monotonic() + 5
    while len(rec.sent) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert rec.sent == [f"a{i}" for i in range(5)]  # not held up by the failing sink
    assert flaky.calls >= 5
    router.close()

    # Restart: the five undelivered entries are replayed from the journal, nothing else.
    fixed = Recorder()
    replay = Outbox(tmp_path, {"flaky": fixed}.get)
    try:
        assert replay.wait_idle(5)
        assert sorted(fixed.sent) == [f"a{i}" for i in range(5)]
    finally:
        replay.close()
    again = Outbox(tmp_path, {"flaky": Recorder()}.get)
    assert again.pending() == 0  # all done: the journal was compacted
    again.close()


def test_outbox_gives_up_into_failed_file_after_max_attempts(tmp_path):
    outbox = Outbox(tmp_path, {"flaky": Flaky()}.get, base_delay=0.01, max_attempts=3)
    outbox.submit(ALERT, ["flaky"])
    assert outbox.wait_idle(5)
    outbox.close()
    [failed] = [orjson.loads(x) for x in (tmp_path / "failed.jsonl").read_bytes().splitlines()]
    assert failed["attempts"] == 3 and failed["alert"]["id"] == "abc" and "down" in failed["error"]


def test_rule_own_webhook_url_and_synchronous_router(server):
    router = build_router()
    alert = {**ALERT, "sinks": [{"webhook": server.url}, "log"]}
    assert router.targets(alert) == [f"webhook {server.url}", "log"]
    assert router.send(alert) == [f"webhook {server.url}", "log"]
    assert len(server.requests) == 1
    router.close()
