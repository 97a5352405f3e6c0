"""Idle-start batching (wirewatch.stream.batching) against a stand-in for a Faust stream.

The stand-in runs the stream's processors for each value fed to it, as Faust's passive drainer
does; the real stream is exercised end to end by tests/integration (test_pipeline, test_workers).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wirewatch.stream.batching import take_batches


class Event:
    def __init__(self, value: int) -> None:
        self.value = value


class FakeStream:
    def __init__(self) -> None:
        self.enable_acks = True
        self.should_stop = False
        self.channel = object()
        self.current_event: Event | None = None
        self.processors: list[Any] = []
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.passive: asyncio.Task | None = None
        self.delivered = 0

    def add_processor(self, fn: Any) -> None:
        self.processors.append(fn)

    def _enable_passive(self, channel: Any) -> None:
        assert channel is self.channel
        self.passive = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while True:
            value = await self.inbox.get()
            self.current_event = Event(value)
            for fn in self.processors:
                value = await fn(value)
            self.delivered += 1


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_a_lone_event_is_handed_out_at_once_and_acks_are_left_to_the_caller():
    async def go() -> tuple[list[int], bool]:
        stream = FakeStream()
        batches = take_batches(stream, 8)
        stream.inbox.put_nowait(1)
        first = await batches.__anext__()
        return [e.value for e in first], stream.enable_acks

    values, acks = run(go())
    assert values == [1]
    assert acks is False


def test_what_queued_while_the_caller_was_busy_is_the_next_batch_in_order_at_most_max():
    async def go() -> list[list[int]]:
        stream = FakeStream()
        batches = take_batches(stream, 4)
        stream.inbox.put_nowait(0)
        out = [[e.value for e in await batches.__anext__()]]
        for v in range(1, 11):  # arrive while "the model" works on batch [0]
            stream.inbox.put_nowait(v)
        await asyncio.sleep(0.05)
        while sum(map(len, out)) < 11:
            out.append([e.value for e in await batches.__anext__()])
        return out

    out = run(go())
    assert out == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]


def test_a_full_queue_holds_the_stream_back():
    async def go() -> int:
        stream = FakeStream()
        batches = take_batches(stream, 3)
        stream.inbox.put_nowait(0)
        await batches.__anext__()
        for v in range(1, 20):
            stream.inbox.put_nowait(v)
        await asyncio.sleep(0.05)
        return stream.delivered

    # 3 queued and one processor waiting to queue the 4th: flow control, not an unbounded buffer
    assert run(go()) == 1 + 3


def test_batch_size_below_one_is_refused():
    async def go() -> None:
        await take_batches(FakeStream(), 0).__anext__()

    with pytest.raises(ValueError, match="at least 1"):
        run(go())
