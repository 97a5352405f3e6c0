"""The ingest commands as a user runs them, against the real broker: RSS, watched directory,
HTTP endpoint, and the progress bar of `wirewatch produce`. Feeds come from a local HTTP server."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wirewatch.config import Settings
from wirewatch.records import loads, stable_id
from wirewatch.stream.client import open_consumer, read

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "wirewatch.cli"]


@pytest.fixture
def env_settings(kafka_bootstrap, unique_prefix, tmp_path):
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": unique_prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path / "state"),
        "WIREWATCH_PARTITIONS": "1",
    }
    env.pop("NO_COLOR", None)
    return env, Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=unique_prefix, partitions=1
    )


def cli(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def raw_events(settings: Settings, idle: float = 1.5) -> list[tuple[bytes, dict]]:
    async def run():
        consumer = await open_consumer(
            settings, settings.topic("articles.raw"), from_beginning=True
        )
        try:
            return [(k, loads(v)) async for k, v, _h in read(consumer, idle_timeout=idle)]
        finally:
            await consumer.stop()

    return asyncio.run(run())


class Feed(BaseHTTPRequestHandler):
    doc = b""
    hits: list[int] = []

    def do_GET(self):  # noqa: N802
        etag = f'"{stable_id(Feed.doc.decode())}"'
        if self.headers.get("If-None-Match") == etag:
            Feed.hits.append(304)
            self.send_response(304)
            self.end_headers()
            return
        Feed.hits.append(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(Feed.doc)

    def log_message(self, *args):
        pass


def test_rss_once_publishes_new_entries_and_not_again(env_settings):
    env, settings = env_settings
    Feed.doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>'
        b"<item><guid>story-1</guid><title>Ministry statement</title><link>https://w.example/1</link>"
        b"<description>&lt;p&gt;The ministry said the bridge would reopen.&lt;/p&gt;</description></item>"
        b"<item><guid>story-2</guid><title>Second</title><link>https://w.example/2</link>"
        b"<description>Officials said the river would peak on Thursday.</description></item>"
        b"</channel></rss>"
    )
    Feed.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    try:
        first = cli(env, "ingest", "rss", url, "--once")
        assert first.returncode == 0, first.stderr
        assert "published 2 new article(s)" in first.stderr
        second = cli(env, "ingest", "rss", url, "--once")  # a restart: state file remembers
        assert second.returncode == 0 and "not modified" in second.stderr, second.stderr
        assert Feed.hits == [200, 304]
    finally:
        server.shutdown()
        server.server_close()
    events = raw_events(settings)
    assert [k for k, _ in events] == [
        f"rss-{stable_id('story-1')}".encode(),
        f"rss-{stable_id('story-2')}".encode(),
    ]
    art = events[0][1]
    assert art["body"] == "The ministry said the bridge would reopen."
    assert art["headline"] == "Ministry statement" and art["uri"] == "https://w.example/1"
    assert art["source"] == "Local Wire"
    bad = cli(env, "ingest", "rss", "--feeds", str(ROOT / "nope.txt"))
    assert bad.returncode == 2 and "cannot read feeds file" in bad.stderr


def test_watch_once_publishes_files_and_remembers_them(env_settings, tmp_path):
    env, settings = env_settings
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "flood.txt").write_text(
        "Flood warning\nOfficials said the river would peak on Thursday."
    )
    (inbox / "wire.jsonl").write_text(
        json.dumps({"id": "w1", "body": "The minister said no."})
        + "\n"
        + json.dumps({"id": "w2"})
        + "\n"
    )
    done = cli(env, "ingest", "watch", str(inbox), "--once", "--settle", "0")
    assert done.returncode == 1, done.stderr  # one refused record
    assert (
        "wire.jsonl:2: missing_field" in done.stderr
        and "published 2 article(s) from 2 file(s)" in done.stderr
    )
    again = cli(env, "ingest", "watch", str(inbox), "--once", "--settle", "0")
    assert again.returncode == 0 and "published" not in again.stderr, again.stderr
    assert sorted(a["id"] for _k, a in raw_events(settings)) == ["flood", "w1"]
    assert sorted(p.name for p in inbox.iterdir()) == ["flood.txt", "wire.jsonl"]  # nothing moved
    missing = cli(env, "ingest", "watch", str(tmp_path / "absent"), "--once")
    assert missing.returncode == 2 and "no such directory" in missing.stderr


def _post(url: str, payload: object) -> tuple[int, dict]:
    req = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_http_endpoint_publishes_to_the_raw_topic(env_settings, tmp_path):
    env, settings = env_settings
    log = tmp_path / "http.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*CLI, "ingest", "http", "--port", "0"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 40
        while not (m := re.search(r"listening on (http://\S+)", log.read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        base = m.group(1)
        with urllib.request.urlopen(base + "/healthz", timeout=10) as resp:
            assert json.loads(resp.read())["status"] == "ok"
        status, out = _post(
            base + "/articles",
            [
                {"id": "h1", "body": "The mayor said the road is closed."},
                {
                    "uri": "urn:x:h2",
                    "headlines": [{"value": "ninjs"}],
                    "bodies": [{"contenttype": "text/plain", "value": "Body."}],
                },
            ],
        )
        assert (status, out) == (202, {"accepted": ["h1", "urn:x:h2"]})
        status, out = _post(
            base + "/articles", [{"id": "h3", "body": "fine"}, {"id": "h4", "body": 3}]
        )
        assert (
            status == 422 and out["errors"][0]["index"] == 1 and out["errors"][0]["field"] == "body"
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        rc = proc.wait(30)
    assert rc == 0, log.read_text()
    events = raw_events(settings)
    assert [k for k, _a in events] == [
        b"h1",
        b"urn:x:h2",
    ]  # h3 not published: the batch was refused
    assert events[1][1]["headline"] == "ninjs"


def test_produce_shows_progress_on_a_terminal_only(env_settings, tmp_path):
    env, settings = env_settings
    wire = tmp_path / "bulk.jsonl"
    wire.write_text(
        "".join(json.dumps({"id": f"b{i}", "body": f"Story {i} said."}) + "\n" for i in range(40))
    )
    piped = cli(env, "produce", str(wire))
    assert piped.returncode == 0 and "published 40 article(s)" in piped.stderr
    assert "publishing" not in piped.stderr and "\r" not in piped.stderr
    # Under a pseudo-terminal the same command draws a tqdm bar on stderr.
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*CLI, "produce", str(wire)],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    assert proc.wait(30) == 0, seen
    text = seen.decode(errors="replace")
    assert "publishing:" in text and "/40 [" in text, text
    assert "published 40 article(s)" in text
    assert len(raw_events(settings)) == 80
