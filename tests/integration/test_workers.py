"""`wirewatch enricher --workers 2`: two processes in one consumer group split the raw topic's
partitions, every article is enriched (at least once: distinct ids are counted), a killed child is
restarted, and SIGTERM stops the supervisor and its children cleanly.

Real worker processes on a real broker; bounded waits; no timings asserted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from wirewatch.bench.pipeline import child_pids
from wirewatch.config import Settings
from wirewatch.stream.client import open_consumer, publish
from wirewatch.stream.topics import ensure_topics

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PARTITIONS = 4
SPEAKERS = ["Maria Lopez", "Tom Becker", "Aiko Tanaka", "Samuel Osei", "Lena Park"]


def article(i: int) -> dict:
    who = SPEAKERS[i % len(SPEAKERS)]
    body = (
        f'"The plan will be ready within weeks," {who} told reporters on day {i}. '
        f"{who.split()[-1]} said the committee would meet again after report number {i}."
    )
    return {"id": f"wk-{i:04d}", "headline": f"Update {i}", "body": body}


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def group_assignment(settings: Settings, timeout: float) -> list[set[int]]:
    """Raw-topic partitions of each member once the group is stable with two members."""
    group, raw = f"{settings.topic_prefix}-enricher", settings.topic("articles.raw")
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap)
    await admin.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for resp in await admin.describe_consumer_groups([group]):
                for (
                    g
                ) in resp.groups:  # (error, group_id, state, protocol_type, protocol, members, ...)
                    if g[2] == "Stable" and len(g[5]) == 2:
                        out = []
                        for member in g[5]:
                            assignment = ConsumerProtocolMemberAssignment.decode(member[-1])
                            out.append(
                                {
                                    p
                                    for topic, parts in assignment.assignment
                                    if topic == raw
                                    for p in parts
                                }
                            )
                        return out
            await asyncio.sleep(0.5)
        raise AssertionError(f"group {group} never became stable with 2 members")
    finally:
        await admin.close()


async def enriched_ids(settings: Settings, want: set[str], timeout: float) -> set[str]:
    """Distinct article ids on the enriched topic, reading until ``want`` are all there or timeout."""
    consumer = await open_consumer(
        settings, settings.topic("articles.enriched"), from_beginning=True
    )
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    try:
        while not want <= seen and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            seen.update(rec.key.decode() for records in batch.values() for rec in records)
    finally:
        await consumer.stop()
    return seen


@pytest.fixture
def supervised(kafka_bootstrap, unique_prefix, tmp_path):
    settings = Settings(
        bootstrap=kafka_bootstrap,
        external_broker=True,
        topic_prefix=unique_prefix,
        partitions=PARTITIONS,
    )
    asyncio.run(ensure_topics(settings))
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": unique_prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path),
        "WIREWATCH_PARTITIONS": str(PARTITIONS),
    }
    log = tmp_path / "enricher.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wirewatch.cli", "enricher", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield settings, proc, log
    finally:
        kids = child_pids(proc.pid)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        for pid in kids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_two_workers_split_partitions_and_enrich_everything(supervised):
    settings, proc, log = supervised
    members = asyncio.run(group_assignment(settings, 240))
    assert all(members), f"a worker got no partition: {members}"
    assert members[0].isdisjoint(members[1]) and members[0] | members[1] == set(
        range(PARTITIONS)
    ), members
    kids = child_pids(proc.pid)
    assert len(kids) == 2, kids

    first = [article(i) for i in range(24)]
    asyncio.run(publish(settings, first))
    seen = asyncio.run(enriched_ids(settings, {a["id"] for a in first}, 180))
    assert {a["id"] for a in first} <= seen, log.read_text(errors="replace")[-3000:]

    # A crashed child is restarted; the group heals and nothing published meanwhile is lost.
    os.kill(kids[0], signal.SIGKILL)
    second = [article(i) for i in range(24, 40)]
    asyncio.run(publish(settings, second))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = [pid for pid in child_pids(proc.pid) if alive(pid)]
        if len(now) == 2 and kids[0] not in now:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the supervisor gave up after one crash"
    assert len(now) == 2 and kids[0] not in now, f"not restarted: {now}"
    seen = asyncio.run(enriched_ids(settings, {a["id"] for a in first + second}, 240))
    assert {a["id"] for a in first + second} <= seen, log.read_text(errors="replace")[-3000:]

    # SIGTERM reaches both children; everyone exits cleanly.
    kids = child_pids(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0, log.read_text(errors="replace")[-3000:]
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in kids)
