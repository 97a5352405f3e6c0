"""Nothing lost: crashes, broker restarts and rebalances, on a real broker with real workers.

Each test drives real `wirewatch` worker processes (kill -9, SIGTERM, a broker stopped and started
again) and then counts distinct ids on the output topics. Bounded in time; no timings asserted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from support import spawn, stop

from wirewatch import broker
from wirewatch.config import Settings
from wirewatch.records import dumps, loads
from wirewatch.stream.client import open_consumer, publish
from wirewatch.stream.topics import ensure_topics

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

SPEAKERS = ["Maria Lopez", "Tom Becker", "Aiko Tanaka", "Samuel Osei", "Lena Park"]
TOPICS = ["interest rates", "the harvest", "flood defences", "the merger", "vaccine trials"]


def article(i: int) -> dict:
    """A short, varied newswire item with one quote and one reported statement."""
    who, what = SPEAKERS[i % len(SPEAKERS)], TOPICS[i % len(TOPICS)]
    body = (
        f'"We expect {what} to change within weeks," {who} told reporters on day {i}. '
        f"{who.split()[-1]} said the committee would meet again after reviewing report number {i}."
    )
    return {"id": f"fault-{i:04d}", "headline": f"Update {i} on {what}", "body": body}


class Workers:
    """Spawn and kill `wirewatch` workers with one environment."""

    def __init__(self, env: dict, logs: Path) -> None:
        self.env, self.logs, self.n = env, logs, 0

    def start(self, *args: str) -> subprocess.Popen:
        self.n += 1
        return spawn(list(args), self.env, self.logs / f"{args[0]}-{self.n}.log")

    @staticmethod
    def kill9(proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    stop = staticmethod(stop)

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}"
            for p in sorted(self.logs.iterdir())
        )


class Counter:
    """Follows an output topic from the beginning and counts events per id."""

    def __init__(self, settings: Settings, topic: str, key: str = "id") -> None:
        self.settings, self.topic, self.key = settings, settings.topic(topic), key
        self.counts: dict[str, int] = {}
        self.consumer = None

    async def __aenter__(self) -> Counter:
        self.consumer = await open_consumer(self.settings, self.topic, from_beginning=True)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.consumer.stop()

    async def poll(self) -> int:
        batch = await self.consumer.getmany(timeout_ms=200)
        for records in batch.values():
            for rec in records:
                k = loads(rec.value)[self.key]
                self.counts[k] = self.counts.get(k, 0) + 1
        return len(self.counts)

    async def wait_for(self, n: int, timeout: float, procs: list[subprocess.Popen] = ()) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.poll() >= n:
                return len(self.counts)
            await asyncio.sleep(0.1)
        return len(self.counts)


def env_for(settings: Settings, state: Path) -> dict:
    return {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": settings.bootstrap,
        "WIREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "WIREWATCH_PARTITIONS": str(settings.partitions),
        "WIREWATCH_STATE_DIR": str(state),
        "WIREWATCH_BATCH_SIZE": "4",
        "WIREWATCH_LOG_LEVEL": "warning",
        "WIREWATCH_SESSION_TIMEOUT": "6",
    }


@pytest.fixture
def fault_env(kafka_bootstrap, tmp_path):
    settings = Settings(
        bootstrap=kafka_bootstrap,
        external_broker=True,
        topic_prefix=f"wwfault{uuid.uuid4().hex[:8]}",
        partitions=4,
    )
    asyncio.run(ensure_topics(settings))
    logs = tmp_path / "logs"
    logs.mkdir()
    return settings, Workers(env_for(settings, tmp_path / "state"), logs)


async def test_enricher_killed_three_times_loses_nothing(fault_env):
    settings, workers = fault_env
    total = 500
    group, raw = f"{settings.topic_prefix}-enricher", settings.topic("articles.raw")

    async def feed() -> None:
        # Stay at most a few batches ahead of what the group has committed, so every kill lands
        # mid-stream with committed offsets to resume from, however fast or slow the worker is.
        sent = 0
        while sent < total:
            if sent - await committed(settings, group, raw) < 60:
                await publish(settings, [article(i) for i in range(sent, min(total, sent + 20))])
                sent = min(total, sent + 20)
            else:
                await asyncio.sleep(0.3)

    async with Counter(settings, "articles.enriched") as enriched:
        proc = workers.start("enricher")
        feeding = asyncio.create_task(feed())
        done = 0
        for _ in range(3):
            # Kill only after this worker committed fresh progress, so each restart resumes from
            # committed offsets rather than replaying everything from the beginning.
            done = await wait_committed_past(settings, group, raw, done, 150)
            assert 0 < done < total, (
                f"no fresh commit before the kill, or nothing left to kill mid-stream: {done}"
            )
            workers.kill9(proc)
            proc = workers.start("enricher")
        try:
            await asyncio.wait_for(feeding, 240)
            seen = await enriched.wait_for(total, 240)
            assert seen == total, f"{total - seen} articles never enriched\n{workers.tail()}"
            assert set(enriched.counts) == {f"fault-{i:04d}" for i in range(total)}
        finally:
            workers.stop(proc)


async def test_duplicate_after_an_enricher_restart_is_still_skipped(fault_env):
    settings, workers = fault_env
    group, raw = f"{settings.topic_prefix}-enricher", settings.topic("articles.raw")
    first = [article(i) for i in range(40)]
    await publish(settings, first)
    async with Counter(settings, "articles.enriched") as enriched:
        proc = workers.start("enricher")
        assert await enriched.wait_for(len(first), 150) == len(first), workers.tail()
        # The remembered versions reach the changelog before the offsets are committed.
        assert await wait_committed_past(settings, group, raw, len(first) - 1, 60) == len(first)
        workers.kill9(proc)
        proc = workers.start("enricher")
        try:
            repeats = [article(i) for i in range(10)]
            newer = {**article(10), "version": 2}
            marker = article(99)
            await publish(settings, [*repeats, newer, marker])
            assert await enriched.wait_for(len(first) + 1, 150) == len(first) + 1, workers.tail()
            versions = await read_versions(settings, marker["id"])
            assert versions[marker["id"]] == [1]
            assert versions[newer["id"]] == [1, 2], "a new version must be enriched again"
            repeated = {a["id"]: versions[a["id"]] for a in repeats}
            assert all(v == [1] for v in repeated.values()), (
                f"enriched again after the restart: {repeated}"
            )
        finally:
            workers.stop(proc)


async def read_versions(
    settings: Settings, until_id: str, timeout: float = 60
) -> dict[str, list[int]]:
    """Every enriched event's version per article id, read from the beginning until ``until_id``
    has been seen and the topic is quiet."""
    out: dict[str, list[int]] = {}
    consumer = await open_consumer(
        settings, settings.topic("articles.enriched"), from_beginning=True
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            if not batch and until_id in out:
                break
            for records in batch.values():
                for rec in records:
                    doc = loads(rec.value)
                    out.setdefault(doc["id"], []).append(doc["version"])
    finally:
        await consumer.stop()
    return out


async def test_second_enricher_joins_and_leaves_nothing_lost_and_lag_returns_to_zero(fault_env):
    settings, workers = fault_env
    await publish(settings, [article(i) for i in range(300)])
    async with Counter(settings, "articles.enriched") as enriched:
        first = workers.start("enricher")
        await enriched.wait_for(40, 150)
        second = workers.start("enricher")  # rebalance 1
        await enriched.wait_for(len(enriched.counts) + 60, 150)
        workers.stop(second)  # rebalance 2
        await publish(settings, [article(i) for i in range(300, 400)])
        try:
            seen = await enriched.wait_for(400, 240)
            assert seen == 400, f"{400 - seen} articles never enriched\n{workers.tail()}"
            # Every partition is consumed and committed to its end by the remaining worker.
            lag = await consumer_lag(
                settings, f"{settings.topic_prefix}-enricher", settings.topic("articles.raw")
            )
            assert lag == {p: 0 for p in range(settings.partitions)}, lag
        finally:
            workers.stop(first)


async def committed(settings: Settings, group: str, topic: str) -> int:
    """How many records of ``topic`` the consumer group ``group`` has committed, summed over partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return sum(o.offset for tp, o in offsets.items() if tp.topic == topic and o.offset > 0)
    finally:
        await admin.close()


async def wait_committed_past(
    settings: Settings, group: str, topic: str, floor: int, timeout: float
) -> int:
    """Wait until ``group`` has committed more than ``floor`` records of ``topic``: a kill after that
    tests the restart from committed offsets, not just a replay from the beginning."""
    deadline = time.monotonic() + timeout
    while (n := await committed(settings, group, topic)) <= floor and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return n


async def consumer_lag(
    settings: Settings, group: str, topic: str, timeout: float = 30.0
) -> dict[int, int]:
    """Per-partition lag of ``group``; waits up to ``timeout`` for it to reach zero (commits are periodic)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap)
    await admin.start()
    await producer.start()
    from aiokafka import AIOKafkaConsumer

    probe = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap, group_id=None)
    await probe.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(settings.partitions)]
        ends = await probe.end_offsets(tps)
        deadline = time.monotonic() + timeout
        while True:
            committed = await admin.list_consumer_group_offsets(group)
            lag = {
                tp.partition: ends[tp] - (committed[tp].offset if tp in committed else 0)
                for tp in tps
            }
            if all(v == 0 for v in lag.values()) or time.monotonic() > deadline:
                return lag
            await asyncio.sleep(1.0)
    finally:
        await probe.stop()
        await producer.stop()
        await admin.close()


@pytest.fixture
def private_broker(tmp_path):
    """A broker of our own, so restarting it disturbs no other test."""
    port = 19000 + os.getpid() % 500 * 2
    settings = Settings(
        broker_port=port,
        bootstrap=f"127.0.0.1:{port}",
        state_dir=tmp_path / "broker",
        topic_prefix=f"wwrestart{uuid.uuid4().hex[:6]}",
        partitions=4,
    )
    broker.start(settings, timeout=120)
    yield settings
    broker.stop(settings)


async def test_broker_restart_mid_stream_worker_recovers_by_itself(private_broker, tmp_path):
    settings = private_broker
    await ensure_topics(settings)
    logs = tmp_path / "logs"
    logs.mkdir()
    workers = Workers(env_for(settings, tmp_path / "state"), logs)
    total = 200
    await publish(settings, [article(i) for i in range(total)])
    proc = workers.start("enricher")
    try:
        async with Counter(settings, "articles.enriched") as enriched:
            seen = await enriched.wait_for(30, 150)
            assert 0 < seen < total, workers.tail()
        broker.stop(settings)
        await asyncio.sleep(3)
        broker.start(settings, timeout=120)
        await publish(settings, [article(i) for i in range(total, total + 50)])
        async with Counter(settings, "articles.enriched") as enriched:
            seen = await enriched.wait_for(total + 50, 240)
        assert seen == total + 50, (
            f"{total + 50 - seen} articles lost across the restart\n{workers.tail()}"
        )
        assert proc.poll() is None, "the worker exited instead of recovering"
    finally:
        workers.stop(proc)


async def test_alerter_killed_mid_stream_no_alert_lost(fault_env, tmp_path):
    settings, workers = fault_env
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: quoted-on-rates\n    keywords: {any: [expect]}\n")
    total = 300
    docs = []
    for i in range(total):
        a = article(i)
        docs.append(
            {
                **a,
                "version": 1,
                "uri": None,
                "language": "en",
                "source": None,
                "published_at": None,
                "entities": [],
                "actors": [],
                "statements": [],
                "enrichment": {"model": "test", "version": "0"},
            }
        )
    first_alert = asyncio.Event()

    async def feed() -> None:
        # A few events until the alerter is up (its first alert arrives), then the rest paced,
        # so the kill lands while events are still arriving however long start-up takes.
        prod = AIOKafkaProducer(bootstrap_servers=settings.bootstrap)
        await prod.start()
        try:
            for i, d in enumerate(docs):
                if i == 10:
                    await prod.flush()
                    await first_alert.wait()
                await prod.send(
                    settings.topic("articles.enriched"), key=d["id"].encode(), value=dumps(d)
                )
                if i % 10 == 9:
                    await prod.flush()
                    await asyncio.sleep(0.5)
        finally:
            await prod.stop()

    async with Counter(settings, "alerts", key="article_id") as alerts:
        proc = workers.start("alerter", "--rules", str(rules))
        feeding = asyncio.create_task(feed())
        assert await alerts.wait_for(1, 150) >= 1, workers.tail()
        first_alert.set()
        seen = await alerts.wait_for(30, 150)
        group = f"{settings.topic_prefix}-alerter"
        for topic in ("articles.enriched", "alerts.matched"):
            assert await wait_committed_past(settings, group, settings.topic(topic), 0, 60) > 0, (
                workers.tail()
            )
        await alerts.poll()
        assert len(alerts.counts) < total, (
            "all alerts came before the kill; the test proves nothing"
        )
        workers.kill9(proc)
        proc = workers.start("alerter", "--rules", str(rules))
        try:
            await feeding
            seen = await alerts.wait_for(total, 180)
            assert seen == total, f"{total - seen} alerts lost\n{workers.tail()}"
            assert set(alerts.counts) == {d["id"] for d in docs}
        finally:
            workers.stop(proc)
