"""take_batches: idle arrivals start at once, backlog fills batches, nothing is lost or reordered.

Runs a real Faust agent in its test context (no broker needed: values go through its channel).
"""

from __future__ import annotations

import asyncio
import time

import faust

from wirewatch.stream.batching import take_batches


def _app(loop: asyncio.AbstractEventLoop) -> faust.App:
    # The URL is never contacted: test_context feeds the agent through an in-memory channel.
    return faust.App("batching-test", broker="kafka://localhost:1", store="memory://", loop=loop)


async def _until(cond, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def test_a_lone_event_on_an_idle_stream_is_not_held_for_the_window() -> None:
    # Faust's take_events would hold it until the 60 s window timer fires.
    got: list[list[str]] = []

    async def main() -> float:
        app = _app(asyncio.get_running_loop())

        @app.agent()
        async def batcher(stream):  # type: ignore[no-untyped-def]
            async for batch in take_batches(stream, 16, 60.0):
                got.append([e.value for e in batch])

        async with batcher.test_context() as agent:
            t0 = time.monotonic()
            await agent.put("a")
            await _until(lambda: got, 10.0)
            return time.monotonic() - t0

    waited = await main()
    assert got == [["a"]]
    assert waited < 10.0


async def test_events_that_queue_during_a_batch_fill_the_next_batches_in_order() -> None:
    got: list[list[int]] = []
    release = asyncio.Event()

    async def main() -> None:
        app = _app(asyncio.get_running_loop())

        @app.agent()
        async def batcher(stream):  # type: ignore[no-untyped-def]
            async for batch in take_batches(stream, 3, 0.3):
                got.append([e.value for e in batch])
                if len(got) == 1:
                    await release.wait()  # the "model" is busy while more arrive

        async with batcher.test_context() as agent:
            await agent.put(0)
            await _until(lambda: got, 10.0)
            # Not awaited one by one: the agent is blocked, so the values queue in its channel.
            puts = [asyncio.ensure_future(agent.put(i)) for i in range(1, 8)]
            await asyncio.sleep(0.2)
            release.set()
            await asyncio.gather(*puts)
            await _until(lambda: sum(map(len, got)) == 8, 10.0)

    await main()
    assert got[0] == [0]
    assert [v for batch in got for v in batch] == list(range(8))
    assert all(len(b) <= 3 for b in got)
    # The backlog is batched, not handed out one by one.
    assert got[1] == [1, 2, 3]
