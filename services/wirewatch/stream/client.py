"""Plain aiokafka clients for the CLI: publish raw articles, read any wirewatch topic."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from wirewatch.config import Settings
from wirewatch.records import dumps, raw_headers
from wirewatch.security import aiokafka_kwargs


def resolve_topic(settings: Settings, name: str) -> str:
    """Accept short names ("statements", "articles.raw") as well as full topic names."""
    return settings.topic(name) if name in settings.topics else name


def producer(settings: Settings, linger_ms: int = 5) -> AIOKafkaProducer:
    # Idempotent: retries after a lost ack never write a record twice.
    return AIOKafkaProducer(
        **aiokafka_kwargs(settings), enable_idempotence=True, acks="all", linger_ms=linger_ms
    )


async def publish(settings: Settings, articles: Iterable[dict], topic: str | None = None) -> int:
    """Publish raw articles keyed by id; returns how many the broker acknowledged."""
    topic = topic or settings.topic("articles.raw")
    prod = producer(settings)
    await prod.start()
    try:
        futures = [
            await prod.send(
                topic, key=a["id"].encode("utf-8"), value=dumps(a), headers=raw_headers(a)
            )
            for a in articles
        ]
        await asyncio.gather(*futures)
        return len(futures)
    finally:
        await prod.stop()


async def _positions_at_end(consumer: AIOKafkaConsumer, topic: str) -> None:
    parts = consumer.partitions_for_topic(topic) or set()
    tps = [TopicPartition(topic, p) for p in sorted(parts)]
    consumer.assign(tps)
    await consumer.seek_to_end(*tps)


async def open_consumer(settings: Settings, topic: str, from_beginning: bool) -> AIOKafkaConsumer:
    """A group-less consumer on every partition of ``topic``, positioned at its start or end.

    Group-less so reading never moves a consumer group's offsets and never waits for a rebalance.
    """
    consumer = AIOKafkaConsumer(
        **aiokafka_kwargs(settings),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
    )
    await consumer.start()
    try:
        for _ in range(50):
            await consumer._client.force_metadata_update()  # noqa: SLF001 - new topics need fresh metadata
            if consumer.partitions_for_topic(topic):
                break
            await asyncio.sleep(0.2)
        else:
            raise LookupError(
                f"topic {topic!r} does not exist on {settings.bootstrap}; "
                "start the enricher or run `wirewatch topics` first"
            )
        if from_beginning:
            tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
        else:
            await _positions_at_end(consumer, topic)
    except BaseException:
        await consumer.stop()
        raise
    return consumer


async def read(
    consumer: AIOKafkaConsumer, max_records: int | None = None, idle_timeout: float | None = None
) -> AsyncIterator[tuple[bytes | None, bytes, dict]]:
    """Yield (key, value, headers) until ``max_records`` or ``idle_timeout`` seconds with nothing new."""
    count = 0
    last = time.monotonic()
    while max_records is None or count < max_records:
        batch = await consumer.getmany(timeout_ms=200, max_records=100)
        got = False
        for records in batch.values():
            for rec in records:
                got = True
                yield rec.key, rec.value, dict(rec.headers or ())
                count += 1
                if max_records is not None and count >= max_records:
                    return
        if got:
            last = time.monotonic()
        elif idle_timeout is not None and time.monotonic() - last > idle_timeout:
            return
