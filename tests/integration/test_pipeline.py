"""End to end on a real broker: produce -> enricher -> enriched/statements -> alerter -> alerts.

The enricher and alerter run as real `wirewatch` worker processes, exactly as a user starts them.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import jsonschema
import pytest
from aiokafka import AIOKafkaProducer
from support import ROOT, collect, schema, spawn, stop

from wirewatch.config import Settings
from wirewatch.ingest.files import read_path
from wirewatch.records import loads
from wirewatch.stream.client import open_consumer, publish, read
from wirewatch.stream.topics import ensure_topics

pytestmark = pytest.mark.integration

SEED = ROOT / "seeds" / "kyiv-strikes.txt"


@pytest.fixture(scope="module")
def system(kafka_bootstrap, tmp_path_factory):
    """A running enricher and alerter on a private topic prefix."""
    prefix = f"wwtest{os.getpid()}{int(time.time())}"
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "WIREWATCH_PARTITIONS": "2",
    }
    settings = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=prefix, partitions=2
    )
    asyncio.run(ensure_topics(settings))
    logs = tmp_path_factory.mktemp("logs")
    procs = [
        spawn(["enricher", "--actors", "seeds/actors.example.yaml"], env, logs / "enricher.log"),
        spawn(
            [
                "alerter",
                "--rules",
                "seeds/rules.example.yaml",
                "--actors",
                "seeds/actors.example.yaml",
            ],
            env,
            logs / "alerter.log",
        ),
    ]
    yield settings, procs, logs
    for p in procs:
        stop(p)


def test_seed_article_end_to_end(system):
    settings, procs, logs = system
    article = next(read_path(str(SEED))).article
    asyncio.run(publish(settings, [article]))

    enriched = asyncio.run(
        collect(
            settings,
            "articles.enriched",
            lambda evs: any(e["id"] == article["id"] for e in evs),
            240,
        )
    )
    assert any(e["id"] == article["id"] for e in enriched), (logs / "enricher.log").read_text()[
        -3000:
    ]
    doc = next(e for e in enriched if e["id"] == article["id"])
    jsonschema.validate(doc, schema("enriched-article"))
    assert doc["body"] == article["body"]
    for st in doc["statements"]:
        c = st["content"]
        assert doc["body"][c["start"] : c["end"]] == c["text"]

    statements = asyncio.run(
        collect(settings, "statements", lambda evs: len(evs) >= len(doc["statements"]), 60)
    )
    mine = [s for s in statements if s["article_id"] == article["id"]]
    assert len(mine) >= 12
    assert {s["id"] for s in mine} == {s["id"] for s in doc["statements"]}
    for ev in mine:
        jsonschema.validate(ev, schema("statement"))
        assert ev["headline"] == article["headline"]

    expected = {"stoltenberg-troops", "iaea-nuclear", "kuleba-nato"}
    alerts = asyncio.run(
        collect(settings, "alerts", lambda evs: expected <= {a["rule_id"] for a in evs}, 60)
    )
    assert alerts, (logs / "alerter.log").read_text()[-3000:]
    for al in alerts:
        jsonschema.validate(al, schema("alert"))
        assert al["article_id"] == article["id"]
    assert expected <= {a["rule_id"] for a in alerts}
    assert "stoltenberg-nuclear" not in {a["rule_id"] for a in alerts}
    assert all(p.poll() is None for p in procs), "a worker died"


def test_bad_input_goes_to_deadletter_and_worker_keeps_going(system):
    settings, procs, logs = system

    async def send_bad() -> None:
        prod = AIOKafkaProducer(bootstrap_servers=settings.bootstrap)
        await prod.start()
        try:
            raw = settings.topic("articles.raw")
            await prod.send_and_wait(raw, key=b"bad-json", value=b'{"id": "bad-json", "body": ')
            await prod.send_and_wait(
                raw, key=b"no-body", value=b'{"id": "no-body", "headline": "x"}'
            )
            await prod.send_and_wait(
                raw, key=b"bad-utf8", value=b'{"id": "bad-utf8", "body": "\xff\xfe"}'
            )
        finally:
            await prod.stop()

    asyncio.run(send_bad())
    good = {
        "id": "after-bad-input",
        "headline": "Ministry statement",
        "body": "The company will cut 200 jobs next year, a spokeswoman for Acme Corp said on Monday.",
    }
    asyncio.run(publish(settings, [good]))

    dead = asyncio.run(collect(settings, "deadletter", lambda evs: len(evs) >= 3, 120))
    kinds = {d["error"]["kind"] for d in dead}
    assert {"invalid_json", "missing_field", "invalid_utf8"} <= kinds, dead
    for d in dead:
        jsonschema.validate(d, schema("deadletter"))
        assert d["error"]["message"]
    missing = next(d for d in dead if d["error"]["kind"] == "missing_field")
    assert "body" in missing["error"]["message"]
    assert loads(missing["original"]) == {"id": "no-body", "headline": "x"}

    enriched = asyncio.run(
        collect(
            settings, "articles.enriched", lambda evs: any(e["id"] == good["id"] for e in evs), 120
        )
    )
    assert any(e["id"] == good["id"] for e in enriched), "the worker stopped after bad input"
    assert all(p.poll() is None for p in procs), "a worker died on bad input"


def test_cli_produce_and_consume(system, tmp_path):
    settings, procs, logs = system
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": settings.bootstrap,
        "WIREWATCH_TOPIC_PREFIX": settings.topic_prefix,
    }
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps(a)
            for a in [
                {
                    "id": "cli-1",
                    "headline": "Chipmaker results",
                    "body": '"Demand is recovering faster than we expected," chief executive Lena Park told analysts.',
                },
                {
                    "id": "cli-2",
                    "headline": "Flood warning",
                    "body": "Officials said the river would peak on Thursday.",
                },
            ]
        )
        + "\n"
    )
    cli = [sys.executable, "-m", "wirewatch.cli"]
    done = subprocess.run(
        [*cli, "produce", str(feed)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "published 2 article(s)" in done.stderr

    out = subprocess.run(
        [*cli, "consume", "articles.enriched", "--from-beginning", "--timeout", "30"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    docs = {d["id"]: d for d in map(json.loads, out.stdout.splitlines())}
    assert {"cli-1", "cli-2"} <= set(docs), (logs / "enricher.log").read_text()[-2000:]
    [quote] = [s for s in docs["cli-1"]["statements"] if s["kind"] == "direct"]
    assert quote["speaker"]["name"] == "Lena Park"
    assert quote["content"]["text"].startswith("Demand is recovering")

    capped = subprocess.run(
        [*cli, "consume", "articles.enriched", "--from-beginning", "--max", "1"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert capped.returncode == 0 and len(capped.stdout.splitlines()) == 1


def test_duplicates_enriched_once_new_version_again_and_cloudevents_headers(system):
    settings, procs, logs = system
    base = {
        "id": "dup-1",
        "headline": "Port strike",
        "body": "Dock workers will strike on Monday, union leader Omar Haddad said.",
    }
    asyncio.run(publish(settings, [base, base, {**base, "version": 2}]))
    marker = {"id": "dup-marker", "body": "The mayor said the bridge would reopen."}
    asyncio.run(publish(settings, [marker]))

    async def read_all() -> list[tuple[dict, dict]]:
        consumer = await open_consumer(
            settings, settings.topic("articles.enriched"), from_beginning=True
        )
        out: list[tuple[dict, dict]] = []
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and not any(d["id"] == "dup-marker" for d, _ in out):
                async for _k, value, headers in read(consumer, idle_timeout=1.0):
                    out.append((loads(value), headers))
        finally:
            await consumer.stop()
        return out

    events = asyncio.run(read_all())
    versions = sorted(d["version"] for d, _ in events if d["id"] == "dup-1")
    assert versions == [1, 2], versions  # the repeat of version 1 was skipped, version 2 enriched
    doc, headers = next((d, h) for d, h in events if d["id"] == "dup-1")
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == b"dev.wirewatch.article.enriched"
    assert headers["content-type"] == b"application/json"
    assert headers["ce_id"]

    async def raw_headers_seen() -> dict:
        consumer = await open_consumer(
            settings, settings.topic("articles.raw"), from_beginning=True
        )
        try:
            # By key: the raw topic also holds the bad-input test's records, which are not JSON.
            async for key, _value, hdrs in read(consumer, idle_timeout=5.0):
                if key == b"dup-1":
                    return hdrs
        finally:
            await consumer.stop()
        return {}

    raw = asyncio.run(raw_headers_seen())
    assert raw.get("ce_type") == b"dev.wirewatch.article.raw"  # `wirewatch produce` sets them too


def test_copy_in_the_next_batch_is_skipped_while_the_first_awaits_its_acks(
    kafka_bootstrap, tmp_path
):
    """One article per batch: the enricher sends a batch's outputs and goes on to the next batch
    before the broker acknowledges them, so the copy in the next batch arrives while the first is
    still unacknowledged (not yet in the enriched-versions table). It must still be skipped, and
    outputs must keep the input order."""
    prefix = f"wwinflight{os.getpid()}{int(time.time())}"
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path / "state"),
        "WIREWATCH_PARTITIONS": "1",
        "WIREWATCH_BATCH_SIZE": "1",
    }
    settings = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=prefix, partitions=1
    )
    asyncio.run(ensure_topics(settings))
    body = "Dock workers will strike on Monday, union leader Omar Haddad said."
    first = {"id": "inflight-1", "headline": "Port strike", "body": body}
    others = [
        {"id": f"inflight-{i}", "body": f"The mayor said bridge {i} would reopen."} for i in (2, 3)
    ]
    # Published before the worker starts: it finds them all waiting, one batch each.
    articles = [first, first, first, others[0], {**first, "version": 2}, others[1]]
    asyncio.run(publish(settings, articles))
    proc = spawn(["enricher"], env, tmp_path / "enricher.log")
    try:
        events = asyncio.run(
            collect(
                settings,
                "articles.enriched",
                lambda evs: any(e["id"] == "inflight-3" for e in evs),
                240,
            )
        )
    finally:
        stop(proc)
    got = [(e["id"], e["version"]) for e in events]
    assert got == [
        ("inflight-1", 1),
        ("inflight-2", 1),
        ("inflight-1", 2),
        ("inflight-3", 1),
    ], (got, (tmp_path / "enricher.log").read_text()[-3000:])
