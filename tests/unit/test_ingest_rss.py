"""RSS/Atom polling against a local HTTP server: conditional GETs, dedup across restarts, mapping."""

from __future__ import annotations

import asyncio
import json
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from wirewatch.ingest.rss import (
    Feed,
    FeedPoller,
    FeedsFileError,
    make_feed,
    parse_feeds_file,
)
from wirewatch.ingest.state import StateFile
from wirewatch.records import stable_id

ROOT = Path(__file__).resolve().parents[2]


def rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link>"
        f"<description><![CDATA[{desc}]]></description>"
        f"<pubDate>Tue, 04 Mar 2025 10:15:00 GMT</pubDate></item>"
        for guid, title, desc in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>'
        f"<language>en-gb</language>{body}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><id>tag:atom.example,2025:1</id><title type="html">Minister &lt;b&gt;resigns&lt;/b&gt;</title>
<link href="https://atom.example/1"/><updated>2025-03-04T09:00:00+01:00</updated>
<content type="html">&lt;p&gt;The minister said she would step down.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Her deputy takes over.&lt;/p&gt;</content>
<summary>short summary</summary></entry></feed>"""


class FeedServer:
    """Serves ``docs[path]``; honours If-None-Match (ETag) and If-Modified-Since; counts requests."""

    def __init__(self) -> None:
        self.docs: dict[str, tuple[bytes, str]] = {}
        self.etags = True
        self.hits: list[tuple[str, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                doc = outer.docs.get(self.path)
                if doc is None:
                    outer.hits.append((self.path, 404))
                    self.send_error(404, "Not Found")
                    return
                body, ctype = doc
                etag = f'"{stable_id(body.decode())}"'
                modified = formatdate(1_700_000_000 + len(body), usegmt=True)
                if (outer.etags and self.headers.get("If-None-Match") == etag) or (
                    not outer.etags and self.headers.get("If-Modified-Since") == modified
                ):
                    outer.hits.append((self.path, 304))
                    self.send_response(304)
                    self.end_headers()
                    return
                outer.hits.append((self.path, 200))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                if outer.etags:
                    self.send_header("ETag", etag)
                else:
                    self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


class Sink:
    def __init__(self) -> None:
        self.batches: list[list[dict]] = []
        self.fail = False

    async def __call__(self, articles: list[dict]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.batches.append(list(articles))

    @property
    def ids(self) -> list[str]:
        return [a["id"] for b in self.batches for a in b]


def poll_once(feeds, state, sink) -> list:
    results = []
    poller = FeedPoller(feeds, state, sink)
    asyncio.run(poller.run(once=True, report=results.append))
    return results


def test_rss_entries_become_validated_articles(server, tmp_path):
    server.docs["/wire.xml"] = (
        rss(
            [
                ("g1", "Troops &amp; jets", "<p>The <b>minister</b> said &quot;no&quot;.</p>"),
                ("g2", "Second", "Plain summary."),
            ]
        ),
        "application/rss+xml",
    )
    sink = Sink()
    [res] = poll_once([Feed(server.url + "/wire.xml")], StateFile(tmp_path / "s.json"), sink)
    assert res.error is None and res.skipped == []
    a1, a2 = sink.batches[0]
    schema = json.loads((ROOT / "schemas" / "raw-article.schema.json").read_text())
    for a in (a1, a2):
        jsonschema.validate(a, schema)
    assert a1["id"] == f"rss-{stable_id('g1')}"
    assert a1["headline"] == "Troops & jets"
    assert a1["body"] == 'The minister said "no".'
    assert a1["uri"] == "https://news.example/g1"
    assert a1["published_at"] == "2025-03-04T10:15:00Z"
    assert a1["source"] == "Example Wire" and a1["language"] == "en-gb"
    assert a2["body"] == "Plain summary."


def test_conditional_get_and_dedup_survive_a_restart(server, tmp_path):
    server.docs["/wire.xml"] = (rss([("g1", "One", "First story.")]), "application/rss+xml")
    state = StateFile(tmp_path / "state" / "rss.json")
    feed_url = server.url + "/wire.xml"
    sink = Sink()
    poll_once([Feed(feed_url)], state, sink)
    assert sink.ids == [f"rss-{stable_id('g1')}"]
    # Unchanged: the server answers 304 to the stored ETag; nothing is sent.
    [res] = poll_once([Feed(feed_url)], state, sink)
    assert res.status == 304 and server.hits[-1] == ("/wire.xml", 304)
    assert len(sink.batches) == 1
    # A new item: only it is sent, by a fresh poller (a restart) reading the same state file.
    server.docs["/wire.xml"] = (
        rss([("g2", "Two", "Second story."), ("g1", "One", "First story.")]),
        "application/rss+xml",
    )
    poll_once([Feed(feed_url)], state, sink)
    assert sink.ids == [f"rss-{stable_id('g1')}", f"rss-{stable_id('g2')}"]
    # Lost validators (a server that changed its ETag) still do not republish: guids dedup.
    data = state.load()
    data["feeds"][feed_url]["etag"] = None
    state.save(data)
    [res] = poll_once([Feed(feed_url)], state, sink)
    assert res.status == 200 and res.new == [] and len(sink.batches) == 2


def test_last_modified_is_used_when_there_is_no_etag(server, tmp_path):
    server.etags = False
    server.docs["/lm.xml"] = (rss([("x", "X", "Body x.")]), "application/rss+xml")
    state = StateFile(tmp_path / "s.json")
    sink = Sink()
    poll_once([Feed(server.url + "/lm.xml")], state, sink)
    [res] = poll_once([Feed(server.url + "/lm.xml")], state, sink)
    assert res.status == 304 and len(sink.ids) == 1


def test_atom_html_content_is_stripped_and_time_is_utc(server, tmp_path):
    server.docs["/atom"] = (ATOM, "application/atom+xml")
    sink = Sink()
    poll_once([Feed(server.url + "/atom")], StateFile(tmp_path / "s.json"), sink)
    [a] = sink.batches[0]
    assert a["headline"] == "Minister resigns"
    assert a["body"] == "The minister said she would step down.\n\nHer deputy takes over."
    assert "alert(1)" not in a["body"]
    assert a["published_at"] == "2025-03-04T08:00:00Z"
    assert a["uri"] == "https://atom.example/1" and a["source"] == "Atom Wire"


def test_failures_are_reported_with_the_url_and_nothing_is_remembered(server, tmp_path):
    server.docs["/page"] = (b"<html><body><p>Not a feed</p></body></html>", "text/html")
    server.docs["/wire.xml"] = (rss([("g1", "One", "First story.")]), "application/rss+xml")
    state = StateFile(tmp_path / "s.json")
    sink = Sink()
    feeds = [
        Feed(server.url + "/missing"),
        Feed(server.url + "/page"),
        Feed("http://127.0.0.1:9/closed"),
    ]
    results = {r.url: r for r in poll_once(feeds, state, sink)}
    assert "HTTP 404" in results[server.url + "/missing"].error
    assert "not an RSS/Atom feed" in results[server.url + "/page"].error
    assert "cannot fetch" in results["http://127.0.0.1:9/closed"].error
    assert sink.batches == []
    # Broker down: the poll fails and records nothing, so the next poll sends the entry again.
    sink.fail = True
    [res] = poll_once([Feed(server.url + "/wire.xml")], state, sink)
    assert "publishing 1 entries failed" in res.error
    sink.fail = False
    [res] = poll_once([Feed(server.url + "/wire.xml")], state, sink)
    assert res.status == 200 and sink.ids == [f"rss-{stable_id('g1')}"]


def test_entries_without_id_or_body_are_skipped_with_a_reason(server, tmp_path):
    doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
        b"<item><title>No link or guid</title><description>Body.</description></item>"
        b"<item><guid>ok</guid><title>Fine</title><description>Fine body.</description></item>"
        b"</channel></rss>"
    )
    server.docs["/w"] = (doc, "application/rss+xml")
    sink = Sink()
    [res] = poll_once([Feed(server.url + "/w")], StateFile(tmp_path / "s.json"), sink)
    assert sink.ids == [f"rss-{stable_id('ok')}"]
    [skip] = res.skipped
    assert "entry 1" in skip and "neither a guid nor a link" in skip


def test_feeds_file_parsing_and_errors(tmp_path):
    f = tmp_path / "feeds.txt"
    f.write_text("# wires\nhttp://127.0.0.1:1/a.xml\nhttp://127.0.0.1:1/b.xml#frag 60  # fast\n\n")
    feeds = parse_feeds_file(str(f), default_interval=120)
    assert [(x.url, x.interval) for x in feeds] == [
        ("http://127.0.0.1:1/a.xml", 120.0),
        ("http://127.0.0.1:1/b.xml#frag", 60.0),
    ]
    f.write_text("http://127.0.0.1:1/a.xml soon\n")
    with pytest.raises(FeedsFileError, match=r"feeds.txt:1: interval 'soon'"):
        parse_feeds_file(str(f))
    with pytest.raises(FeedsFileError, match="not a feed URL"):
        make_feed("news.example/rss")
    with pytest.raises(FeedsFileError, match="too short"):
        make_feed("http://x/", 0.1)
    with pytest.raises(FeedsFileError, match="cannot read feeds file"):
        parse_feeds_file(str(tmp_path / "nope.txt"))
