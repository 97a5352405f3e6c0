"""The alerter worker on a real broker: dedup across a restart, throttle windows, webhook
delivery with a signature, a failing sink, rules from the shared rules topic.

Enriched articles are produced straight to the enriched topic (no spaCy), with explicit Kafka
timestamps, so throttle windows (event time) do not depend on how fast the machine is.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema
import orjson
import pytest
import yaml
from aiokafka import AIOKafkaProducer
from support import collect, schema, spawn, stop

from wirewatch.config import Settings
from wirewatch.stream.rules_topic import publish_rules
from wirewatch.stream.topics import ensure_topics

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


SECRET = "s3cret"
RULES = {
    "rules": [
        {"id": "nuke", "keywords": "nuclear", "sinks": ["log", "webhook"]},
        {"id": "drones", "keywords": "drone*", "throttle": "10m"},
        {"id": "broken-sink", "keywords": "blackout",
         "sinks": [{"webhook": "http://127.0.0.1:9/unreachable"}, "file"]},
    ]
}  # fmt: skip


def enriched(aid: str, body: str, version: int = 1) -> dict:
    return {"id": aid, "version": version, "uri": None, "headline": aid, "body": body,
            "language": "en", "source": "test", "entities": [], "actors": [], "statements": [],
            "enrichment": {"model": "none", "version": "0"}}  # fmt: skip


async def produce(settings: Settings, items: list[tuple[dict, int]]) -> None:
    """(enriched article, Kafka timestamp in ms), keyed by article id like the enricher."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap, acks="all")
    await producer.start()
    try:
        for doc, ts in items:
            await producer.send_and_wait(settings.topic("articles.enriched"), key=doc["id"].encode(),
                                         value=orjson.dumps(doc), timestamp_ms=ts)  # fmt: skip
    finally:
        await producer.stop()


class Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hook_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


@pytest.fixture(scope="module")
def alerter_env(kafka_bootstrap, tmp_path_factory, hook_server):
    prefix = f"wwtest{os.getpid()}a{int(time.time())}"
    tmp = tmp_path_factory.mktemp("alerter")
    rules = tmp / "rules.yaml"
    rules.write_text(yaml.safe_dump(RULES))
    env = {**os.environ, "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap, "WIREWATCH_TOPIC_PREFIX": prefix,
           "WIREWATCH_STATE_DIR": str(tmp / "state"), "WIREWATCH_PARTITIONS": "2",
           "WIREWATCH_WEBHOOK_URL": hook_server, "WIREWATCH_WEBHOOK_SECRET": SECRET,
           "WIREWATCH_ALERTS_FILE": str(tmp / "alerts.jsonl"), "WIREWATCH_SINK_TIMEOUT": "2"}  # fmt: skip
    settings = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=prefix, partitions=2
    )
    asyncio.run(ensure_topics(settings))
    return settings, env, tmp, rules


def _port_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_alerter_dedup_throttle_sinks_reload(alerter_env):
    settings, env, tmp, rules = alerter_env
    assert _port_closed(9), "the 'unreachable' webhook port answers on this machine"
    t0 = int(time.time() * 1000)
    alerter = spawn(["alerter", "--rules", str(rules)], env, tmp / "alerter1.log")
    try:
        asyncio.run(produce(settings, [
            (enriched("n1", "The U.N. nuclear watchdog met."), t0),
            (enriched("d1", "A drone hit the depot."), t0),
            (enriched("d2", "Drones again."), t0 + 1_000),        # inside the 10m window
            (enriched("d3", "More drones overnight."), t0 + 2_000),  # inside too
            (enriched("b1", "A blackout in the city."), t0),
        ]))  # fmt: skip
        want = {("nuke", "n1"), ("drones", "d1"), ("broken-sink", "b1")}
        alerts = asyncio.run(
            collect(
                settings,
                "alerts",
                lambda evs: want <= {(a["rule_id"], a["article_id"]) for a in evs},
                120,
            )
        )
        log1 = (tmp / "alerter1.log").read_text(errors="replace")[-3000:]
        assert want <= {(a["rule_id"], a["article_id"]) for a in alerts}, log1
        for a in alerts:
            jsonschema.validate(a, schema("alert"))
        # Webhook: signed JSON body.
        deadline = time.monotonic() + 30
        while not Hook.received and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Hook.received, log1
        headers, body = Hook.received[0]
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Wirewatch-Signature"] == expected
        assert json.loads(body)["rule_id"] == "nuke"
        # The failing webhook did not keep the alert from the file sink ...
        deadline = time.monotonic() + 30
        lines: list[dict] = []
        while time.monotonic() < deadline and not lines:
            if (tmp / "alerts.jsonl").exists():
                lines = [json.loads(x) for x in (tmp / "alerts.jsonl").read_text().splitlines()]
            time.sleep(0.2)
        assert [a["rule_id"] for a in lines] == ["broken-sink"]
        # ... and its delivery is still pending in the durable outbox journal.
        journal = next((tmp / "state" / "outbox").rglob("journal.jsonl")).read_text()
        assert "unreachable" in journal
    finally:
        stop(alerter)

    # Restart: the same article again (a re-delivery / new version) must not alert again;
    # d4 after the window does, carrying the two suppressed matches.
    # 25 minutes of dedup memory (event time) for the expiry check below.
    alerter = spawn(
        ["alerter", "--rules", str(rules)],
        {**env, "WIREWATCH_ALERT_DEDUP_TTL": "1500"},
        tmp / "alerter2.log",
    )
    try:
        asyncio.run(produce(settings, [
            (enriched("n1", "The U.N. nuclear watchdog met again.", version=2), t0 + 5_000),
            (enriched("d4", "Drone strikes resumed."), t0 + 11 * 60_000),
            (enriched("n2", "Another nuclear plant."), t0 + 11 * 60_000),
        ]))  # fmt: skip
        alerts = asyncio.run(
            collect(
                settings,
                "alerts",
                lambda evs: (
                    {("nuke", "n2"), ("drones", "d4")}
                    <= {(a["rule_id"], a["article_id"]) for a in evs}
                ),
                120,
            )
        )
        log2 = (tmp / "alerter2.log").read_text(errors="replace")[-3000:]
        pairs = [(a["rule_id"], a["article_id"]) for a in alerts]
        assert ("nuke", "n2") in pairs and ("drones", "d4") in pairs, log2
        assert pairs.count(("nuke", "n1")) == 1, pairs  # dedup across the restart
        assert not {("drones", "d2"), ("drones", "d3")} & set(pairs)  # throttled
        d4 = next(a for a in alerts if a["article_id"] == "d4")
        assert d4["suppressed"] == 2

        # Dedup memory is bounded: 40 minutes later n1's alert id has been forgotten (deleted from
        # the table while a later event of its partition was processed), so n1 alerts again.
        later = t0 + 40 * 60_000  # the broker refuses timestamps over an hour ahead
        asyncio.run(produce(settings, [(enriched("n3", "A nuclear deal."), later)]))
        asyncio.run(
            collect(settings, "alerts", lambda evs: any(a["article_id"] == "n3" for a in evs), 60)
        )
        asyncio.run(
            produce(
                settings,
                [(enriched("n1", "The nuclear watchdog, once more.", version=3), later + 1_000)],
            )
        )
        alerts = asyncio.run(
            collect(
                settings, "alerts", lambda evs: sum(a["article_id"] == "n1" for a in evs) >= 2, 60
            )
        )
        assert sum(a["article_id"] == "n1" for a in alerts) == 2, (
            tmp / "alerter2.log"
        ).read_text()[-3000:]

        # Reload from the shared rules topic, without a restart.
        topic_rules = tmp / "topic-rules.yaml"
        topic_rules.write_text(
            yaml.safe_dump({"rules": [{"id": "from-topic", "keywords": "ceasefire"}]})
        )
        assert asyncio.run(publish_rules(settings, topic_rules)) == (1, 0)
        deadline = time.monotonic() + 60
        fired = False
        n = 0
        while time.monotonic() < deadline and not fired:
            n += 1
            asyncio.run(
                produce(
                    settings,
                    [(enriched(f"c{n}", "A ceasefire was agreed."), int(time.time() * 1000))],
                )
            )
            got = asyncio.run(
                collect(
                    settings,
                    "alerts",
                    lambda evs: any(a["rule_id"] == "from-topic" for a in evs),
                    5,
                )
            )
            fired = any(a["rule_id"] == "from-topic" for a in got)
        assert fired, (tmp / "alerter2.log").read_text(errors="replace")[-3000:]
        assert alerter.poll() is None, "the alerter died"
    finally:
        stop(alerter)
