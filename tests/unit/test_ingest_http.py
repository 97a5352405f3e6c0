"""HTTP ingest endpoint: validation per item, all-or-nothing, limits, health (no Kafka: a fake send)."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from wirewatch.ingest.http import build_app


class Sink:
    def __init__(self) -> None:
        self.articles: list[dict] = []
        self.fail = False

    async def __call__(self, articles: list[dict]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.articles += articles


@pytest.fixture
async def client_and_sink():
    sink = Sink()
    client = TestClient(TestServer(build_app(sink, max_body_bytes=2000, max_request_bytes=4096)))
    await client.start_server()
    try:
        yield client, sink
    finally:
        await client.close()


async def test_one_article_and_a_list_are_accepted(client_and_sink):
    client, sink = client_and_sink
    r = await client.post(
        "/articles", json={"id": "a1", "body": "The minister said no.", "headline": "No"}
    )
    assert r.status == 202 and await r.json() == {"accepted": ["a1"]}
    r = await client.post(
        "/articles", json=[{"id": "a2", "body": "x"}, {"id": 7, "body": "y", "version": 2}]
    )
    assert r.status == 202 and (await r.json())["accepted"] == ["a2", "7"]
    assert [a["id"] for a in sink.articles] == ["a1", "a2", "7"]
    assert sink.articles[0]["language"] == "en" and sink.articles[2]["version"] == 2  # normalised
    r = await client.get("/healthz")
    assert r.status == 200 and await r.json() == {"status": "ok", "published": 3}


async def test_bad_items_are_named_and_nothing_is_published(client_and_sink):
    client, sink = client_and_sink
    batch = [
        {"id": "ok", "body": "fine"},
        {"id": "nobody", "headline": "h"},
        "not an object",
        {"id": "v", "body": "b", "version": 0},
        {"id": "h", "body": "b", "headline": 5},
    ]
    r = await client.post("/articles", json=batch)
    assert r.status == 422
    out = await r.json()
    assert out["accepted"] == [] and "nothing was published" in out["error"]
    got = [(e["index"], e["id"], e["field"], e["kind"]) for e in out["errors"]]
    assert got == [
        (1, "nobody", "body", "missing_field"),
        (2, None, None, "not_an_object"),
        (3, "v", "version", "wrong_type"),
        (4, "h", "headline", "wrong_type"),
    ]
    assert sink.articles == []


async def test_ninjs_items_are_accepted(client_and_sink):
    client, sink = client_and_sink
    doc = {
        "uri": "urn:x:1",
        "headlines": [{"value": "H"}],
        "bodies": [{"contenttype": "text/plain", "value": "B."}],
    }
    r = await client.post("/articles", json=doc)
    assert r.status == 202 and (await r.json())["accepted"] == ["urn:x:1"]
    assert sink.articles[0]["headline"] == "H" and sink.articles[0]["body"] == "B."


async def test_limits_and_malformed_requests(client_and_sink):
    client, sink = client_and_sink
    r = await client.post(
        "/articles",
        data=json.dumps({"id": "big", "body": "x" * 5000}),
        headers={"Content-Type": "application/json"},
    )
    assert r.status == 413 and "4096" in (await r.json())["error"]

    async def chunks():  # chunked: no Content-Length, so the limit is enforced while reading
        for _ in range(10):
            yield b" " * 1000

    r = await client.post("/articles", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status == 413
    r = await client.post(
        "/articles", data=b'{"id": "x", "body": ', headers={"Content-Type": "application/json"}
    )
    assert r.status == 400 and "not valid JSON" in (await r.json())["error"]
    r = await client.post(
        "/articles", data=b"id=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status == 415
    r = await client.post("/articles", json=[])
    assert r.status == 400
    assert sink.articles == []


async def test_oversized_body_in_an_item_is_422_naming_body(client_and_sink):
    client, _sink = client_and_sink
    r = await client.post("/articles", json={"id": "long", "body": "word " * 500})
    assert r.status == 422
    [err] = (await r.json())["errors"]
    assert err["field"] == "body" and err["kind"] == "too_large"


async def test_broker_failure_is_503_and_health_degrades(client_and_sink):
    client, sink = client_and_sink
    sink.fail = True
    r = await client.post("/articles", json={"id": "a", "body": "b"})
    assert r.status == 503 and "retry" in (await r.json())["error"]
    r = await client.get("/healthz")
    assert r.status == 503 and (await r.json())["status"] == "degraded"
    sink.fail = False
    assert (await client.post("/articles", json={"id": "a", "body": "b"})).status == 202
    assert (await client.get("/healthz")).status == 200
