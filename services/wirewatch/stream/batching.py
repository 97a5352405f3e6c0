"""Batches for ``nlp.pipe`` without paying the batch window when the stream is idle.

Faust's ``Stream.take_events(max_, within)`` yields when the buffer is full or when a periodic
``within`` timer fires. A lone article therefore waits for the next tick: on average half the
window, up to all of it, on top of the model's own time. ``take_batches`` is the same generator
(same buffer hand-off, same manual acks after the batch is consumed) with one change: the first
event that reaches an empty buffer more than ``within`` after the previous batch finished is a
fresh arrival on an idle stream, and is yielded at once. Under load the next event arrives
immediately after a batch is handed back (it was waiting in the channel), so batches fill as
before.

The body follows faust-streaming 0.11's ``take_events`` closely on purpose: its acking and
buffer-consumption order is what keeps offsets from being committed before a batch is done.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from mode.utils.aiter import aiter
from mode.utils.futures import notify


def take_batches(stream: Any, max_: int, within: float) -> AsyncIterator[list[Any]]:
    """Yield lists of at most ``max_`` events; see the module docstring for when."""
    agen = _take_batches(stream, max_, within)
    # Like Faust's own buffering generators: registered so Stream.on_stop closes it (and acks
    # and detaches its processor) even where finalisation is deferred.
    active = getattr(stream, "_active_agens", None)
    if active is not None:
        active.add(agen)
    return agen


async def _take_batches(stream: Any, max_: int, within: float) -> AsyncIterator[list[Any]]:
    buffer: list[Any] = []
    events: list[Any] = []
    buffer_full = asyncio.Event()
    buffer_consumed = asyncio.Event()
    buffer_consuming: asyncio.Future | None = None
    # -inf: the very first article of a worker is an idle arrival too.
    last_done = float("-inf")
    stream_enable_acks = stream.enable_acks
    channel_it = aiter(stream.channel)

    async def add_to_buffer(value: Any) -> Any:
        nonlocal buffer_consuming
        try:
            if buffer_consuming is not None:
                try:
                    await buffer_consuming
                finally:
                    buffer_consuming = None
            idle = not buffer and time.monotonic() - last_done > within
            buffer.append(value)
            event = stream.current_event
            if event is None:
                raise RuntimeError("take_batches found current_event is None")
            events.append(event)
            if idle:
                buffer_full.set()
            elif len(buffer) >= max_:
                buffer_full.set()
                # Strict: never hand out more than max_ events in one batch.
                buffer_consumed.clear()
                await stream.wait(buffer_consumed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            stream.log.exception("Error adding to take buffer: %r", exc)
            await stream.crash(exc)
        return value

    # The generator acks events itself, after the caller has consumed the batch.
    stream.enable_acks = False
    stream.add_processor(add_to_buffer)
    stream._enable_passive(channel_it)
    try:
        while not stream.should_stop:
            await stream.wait_for_stopped(buffer_full, timeout=within)
            if buffer:
                buffer_consuming = stream.loop.create_future()
                try:
                    yield list(events)
                finally:
                    buffer.clear()
                    for event in events:
                        await stream.ack(event)
                    events.clear()
                    last_done = time.monotonic()
                    notify(buffer_consuming)
                    buffer_full.clear()
                    buffer_consumed.set()
    finally:
        stream.enable_acks = stream_enable_acks
        stream._processors.remove(add_to_buffer)
