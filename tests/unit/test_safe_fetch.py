"""SafeFetchConsumer's hold on newly assigned partitions: released only by a seek that covers it.

Faust's consumer calls are replaced by recorders, so the order of assignments, resumes and seeks
can be set exactly: the overlaps here are the ones two workers joining under load produce.
"""

from __future__ import annotations

import asyncio

import pytest
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

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


def consumer() -> SafeFetchConsumer:
    return object.__new__(SafeFetchConsumer)  # no app: only the hold's bookkeeping is exercised


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
