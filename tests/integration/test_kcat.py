"""Interop with kcat, the tool people reach for first: raw articles produced by kcat are valid
wirewatch input, and wirewatch's events (with headers) read cleanly with kcat -J.

Skips when kcat is not on PATH (Debian/Ubuntu: apt-get install kcat; macOS: brew install kcat).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from aiokafka import AIOKafkaProducer

from wirewatch.config import Settings
from wirewatch.records import decode_article
from wirewatch.stream.client import open_consumer, read
from wirewatch.stream.topics import ensure_topics

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("kcat") is None,
        reason="kcat not on PATH (apt-get install kcat, or brew install kcat)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(kafka_bootstrap, unique_prefix) -> Settings:
    s = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=unique_prefix, partitions=1
    )
    asyncio.run(ensure_topics(s))
    return s


def kcat(settings: Settings, *args: str, stdin: str | None = None, timeout: float = 30) -> str:
    done = subprocess.run(
        ["kcat", "-b", settings.bootstrap, "-q", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def kcat_json(settings: Settings, topic: str) -> list[dict]:
    """Every record of ``topic`` as kcat -J prints it (key, payload, headers, offsets)."""
    out = kcat(settings, "-C", "-t", topic, "-o", "beginning", "-e", "-J")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_kcat_produced_articles_are_valid_raw_input(settings):
    raw = settings.topic("articles.raw")
    lines = [
        "kc-1\t"
        + json.dumps(
            {
                "id": "kc-1",
                "headline": "Port reopens",
                "body": "The port authority said ships could dock again on Friday.",
            }
        ),
        "kc-2\t"
        + json.dumps(
            {
                "guid": "kc-2",
                "body_text": "Officials said the river would peak on Thursday.",
                "versioncreated": "2025-03-04T10:15:00Z",
            }
        ),
    ]
    kcat(settings, "-P", "-t", raw, "-K", "\t", "-H", "source=kcat", stdin="\n".join(lines) + "\n")

    async def consume():
        consumer = await open_consumer(settings, raw, from_beginning=True)
        try:
            return [rec async for rec in read(consumer, max_records=2, idle_timeout=10)]
        finally:
            await consumer.stop()

    records = asyncio.run(consume())
    assert [k for k, _v, _h in records] == [b"kc-1", b"kc-2"]
    schema = json.loads((ROOT / "schemas" / "raw-article.schema.json").read_text())
    for key, value, headers in records:
        article = decode_article(value)  # exactly what the enricher does with the record
        jsonschema.validate(article, schema)
        assert article["id"].encode() == key
        assert headers == {"source": b"kcat"}
    assert decode_article(records[1][1])["published_at"] == "2025-03-04T10:15:00Z"


def test_kcat_reads_events_and_headers(settings):
    topic = settings.topic("statements")
    event = {
        "id": "st-1",
        "kind": "direct",
        "article_id": "a-1",
        "headline": "H",
        "content": {"text": "We will rebuild", "start": 1, "end": 16},
    }
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_type", b"dev.wirewatch.statement"),
        ("ce_id", b"st-1"),
        ("content-type", b"application/json"),
    ]

    async def produce():
        prod = AIOKafkaProducer(bootstrap_servers=settings.bootstrap)
        await prod.start()
        try:
            await prod.send_and_wait(
                topic, key=b"a-1", value=json.dumps(event).encode(), headers=headers
            )
        finally:
            await prod.stop()

    asyncio.run(produce())
    [rec] = kcat_json(settings, topic)
    assert rec["key"] == "a-1" and json.loads(rec["payload"]) == event
    # kcat -J prints headers as a flat [name, value, name, value, ...] list.
    flat = rec["headers"]
    assert dict(zip(flat[::2], flat[1::2], strict=True)) == {k: v.decode() for k, v in headers}
    # The format string flavour people use in shells: key, headers, payload.
    line = kcat(settings, "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k|%h|%s\n").strip()
    key, hdrs, payload = line.split("|", 2)
    assert (
        key == "a-1" and "ce_type=dev.wirewatch.statement" in hdrs and json.loads(payload) == event
    )


def test_kcat_in_kcat_out_through_a_running_enricher(settings, tmp_path):
    """kcat publishes an article; a real enricher worker attributes it; kcat reads the statement."""
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": settings.bootstrap,
        "WIREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path / "state"),
        "WIREWATCH_PARTITIONS": "1",
    }
    article = {
        "id": "kc-e2e",
        "headline": "Chipmaker results",
        "body": '"Demand is recovering faster than we expected," chief executive Lena Park told analysts.',
    }
    kcat(
        settings,
        "-P",
        "-t",
        settings.topic("articles.raw"),
        "-K",
        "\t",
        stdin=f"kc-e2e\t{json.dumps(article)}\n",
    )
    log = tmp_path / "enricher.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wirewatch.cli", "enricher"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        statements: list[dict] = []
        while not statements and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            statements = [
                r for r in kcat_json(settings, settings.topic("statements")) if r["key"] == "kc-e2e"
            ]
            if not statements:
                time.sleep(1)
        assert statements, "no statement within 60 s:\n" + log.read_text()[-3000:]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    st = json.loads(statements[0]["payload"])
    assert st["article_id"] == "kc-e2e" and st["speaker"]["name"] == "Lena Park"
    assert st["content"]["text"].startswith("Demand is recovering")
