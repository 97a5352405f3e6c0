"""SafeFetchConsumer's hold on newly assigned partitions: released only by a seek that covers it.

Faust's consumer calls are replaced by recorders, so the order of assignments, resumes and seeks
can be set exactly: the overlaps here are the ones two workers joining under load produce.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from wirewatch.stream import transport
from wirewatch.stream.transport import SafeFetchConsumer

RAW = [TP("ww-articles.raw", p) for p in range(4)]
CHANGELOG = TP("ww-enricher-enriched-versions-changelog", 0)


class Recorder:
    """Stands in for Faust's consumer methods under SafeFetchConsumer."""

    def __init__(self) -> None:
        self.assigned: set[TP] = set()
        self.resumed: list[TP] = []
        self.gates: list[asyncio.Event] = []

    async def on_partitions_assigned(self, assigned, generation_id=0) -> None:
        self.assigned = set(assigned)

    def resume_partitions(self, tps) -> None:
        self.resumed += sorted(tps)

    async def perform_seek(self) -> None:
        gate = asyncio.Event()
        self.gates.append(gate)
        await gate.wait()


@pytest.fixture
def rec(monkeypatch):
    r = Recorder()
    base = faust_aiokafka.Consumer
    monkeypatch.setattr(base, "on_partitions_assigned", r.on_partitions_assigned)
    monkeypatch.setattr(base, "resume_partitions", r.resume_partitions)
    monkeypatch.setattr(base, "perform_seek", r.perform_seek)
    monkeypatch.setattr(base, "assignment", lambda c: r.assigned)
    monkeypatch.setattr(base, "_is_changelog_tp", lambda c, tp: tp.topic.endswith("-changelog"))
    return r


@pytest.fixture
def empty_fetch(monkeypatch):
    """Faust's fetch returns nothing: only SafeFetchConsumer's own checks around it run."""

    async def nothing(c, timeout):
        return {}, None

    monkeypatch.setattr(faust_aiokafka.Consumer, "_wait_next_records", nothing)


def consumer() -> SafeFetchConsumer:
    c = object.__new__(SafeFetchConsumer)  # no app: only the hold's bookkeeping is exercised
    c._paused_partitions = set()
    c.app = SimpleNamespace(in_recovery=False)
    return c


async def seek(c: SafeFetchConsumer, rec: Recorder) -> asyncio.Task:
    """Start a seek and leave it waiting on the broker until its gate is set."""
    task = asyncio.create_task(c.perform_seek())
    await asyncio.sleep(0)
    return task


async def finish(rec: Recorder, task: asyncio.Task, gate: int = -1) -> None:
    rec.gates[gate].set()
    await task


def test_new_partitions_wait_for_their_seek(rec):
    async def go():
        c = consumer()
        await c.on_partitions_assigned({*RAW, CHANGELOG})
        c.resume_partitions({*RAW, CHANGELOG})
        assert rec.resumed == [CHANGELOG]  # the changelog needs no seek
        await finish(rec, await seek(c, rec))
        assert rec.resumed == [CHANGELOG, *RAW]
        c.resume_partitions(RAW[:1])  # after the seek: straight through
        assert rec.resumed[-1] == RAW[0]

    asyncio.run(go())


def test_a_seek_from_the_previous_generation_releases_nothing(rec):
    async def go():
        c = consumer()
        await c.on_partitions_assigned(set(RAW))
        c.resume_partitions(set(RAW))
        old = await seek(c, rec)  # generation 1's recovery seeks ...
        await c.on_partitions_assigned(set(RAW[:2]))  # ... as the second worker joins
        c.resume_partitions(set(RAW[:2]))
        await finish(rec, old, 0)
        assert rec.resumed == []
        await finish(rec, await seek(c, rec))
        assert rec.resumed == RAW[:2]

    asyncio.run(go())


def test_a_seek_begun_before_the_hold_releases_nothing(rec):
    async def go():
        c = consumer()
        await c.on_partitions_assigned(set(RAW[:2]))
        early = await seek(c, rec)  # the fetch loop seeks while flow is stopped
        c.resume_partitions(set(RAW[:2]))
        await finish(rec, early, 0)
        assert rec.resumed == []
        await finish(rec, await seek(c, rec))
        assert rec.resumed == RAW[:2]

    asyncio.run(go())


def test_a_hold_no_seek_comes_for_is_sought_and_released(rec, empty_fetch, caplog):
    async def go():
        c = consumer()
        await c.on_partitions_assigned(set(RAW[:2]))
        c.resume_partitions(set(RAW[:2]))
        await c._wait_next_records(1.0)  # within the limit: still waiting for recovery's seek
        assert rec.gates == [] and rec.resumed == []
        c._held_at = time.monotonic() - transport.HOLD_LIMIT - 1
        fetch = asyncio.create_task(c._wait_next_records(1.0))
        await asyncio.sleep(0)
        await finish(rec, fetch)
        assert rec.resumed == RAW[:2]
        assert "held" in caplog.text

    asyncio.run(go())


def test_a_partition_left_paused_is_reported(rec, empty_fetch, caplog):
    async def go():
        c = consumer()
        await c.on_partitions_assigned({*RAW[:2], CHANGELOG})
        c._paused_partitions = {RAW[1], CHANGELOG}
        for _ in range(3):
            c._checked_at = time.monotonic() - transport.HOLD_LIMIT - 1
            await c._wait_next_records(1.0)
        assert "paused for over" in caplog.text
        assert "ww-articles.raw[1]" in caplog.text and "changelog" not in caplog.text
        caplog.clear()
        await c.on_partitions_assigned({*RAW[:2], CHANGELOG})  # a rebalance: a fresh start
        c._checked_at = time.monotonic() - transport.HOLD_LIMIT - 1
        await c._wait_next_records(1.0)
        assert "paused for over" not in caplog.text

    asyncio.run(go())
