"""The agents' sends (wirewatch.stream.common.enqueue_all) against a real broker.

Records go out as one batch per partition instead of one ``send()`` each; what must not change is
where each record lands (the partition ``send()`` would pick, so keyed consumers and Java
producers agree), the order of each key's records, their headers, and that a batch larger than
the producer's batch size is split rather than refused.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from aiokafka import AIOKafkaConsumer
from aiokafka.partitioner import murmur2

from wirewatch.config import Settings
from wirewatch.stream.common import PRODUCER_BATCH_BYTES, enqueue_all, make_app, raw_topic


def _kafka_partition(key: bytes, partitions: int) -> int:
    """Kafka's default partitioner for a keyed record (the Java client's, too)."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


async def _send_and_read(settings: Settings, sends_of) -> tuple[list, int]:
    app = make_app(settings, "enqueue")
    topic = raw_topic(app, settings.topic("out"))
    await app.producer.start()
    try:
        sends = sends_of(topic)
        acks = await enqueue_all(sends)
        await asyncio.wait_for(asyncio.gather(*acks), 60)
    finally:
        await app.producer.stop()
    consumer = AIOKafkaConsumer(
        settings.topic("out"),
        bootstrap_servers=settings.bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
        max_partition_fetch_bytes=4 * 1024 * 1024,
        fetch_max_bytes=8 * 1024 * 1024,
    )
    await consumer.start()
    got: list = []
    try:
        partitions = len(consumer.partitions_for_topic(settings.topic("out")) or ())
        while len(got) < len(sends):
            batch = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 30)
            for recs in batch.values():
                got.extend(recs)
    finally:
        await consumer.stop()
    return got, partitions


def test_records_land_where_send_would_put_them_in_order_split_into_batches(
    kafka_bootstrap: str, unique_prefix: str
) -> None:
    settings = replace(Settings.from_env(), bootstrap=kafka_bootstrap, topic_prefix=unique_prefix)
    keys = [f"article-{i}".encode() for i in range(12)]
    big = b"x" * (PRODUCER_BATCH_BYTES // 4)  # four of them fill a batch: more must split
    huge = b"y" * (PRODUCER_BATCH_BYTES + 4096)

    def sends_of(topic):
        out = []
        for n in range(6):
            for key in keys:
                value = big if key == keys[0] else f"{key.decode()}#{n}".encode()
                out.append((topic, key, value, [("seq", str(n).encode())]))
        out.append((topic, None, b"no key", None))
        out.append((topic, keys[1], huge, None))  # alone larger than a batch
        return out

    got, partitions = asyncio.run(_send_and_read(settings, sends_of))

    assert partitions == settings.partitions > 1
    assert len(got) == 6 * len(keys) + 2  # nothing lost, nothing twice
    keyed = [r for r in got if r.key is not None]
    assert {r.partition for r in keyed} == set(range(partitions))  # the keys do spread
    for r in keyed:
        assert r.partition == _kafka_partition(r.key, partitions), r.key
    for key in keys:
        mine = sorted((r for r in keyed if r.key == key), key=lambda r: r.offset)
        if key == keys[1]:
            assert mine[-1].value == huge and not mine[-1].headers  # after the key's others
            mine = mine[:-1]
        assert [dict(r.headers)["seq"] for r in mine] == [str(n).encode() for n in range(6)]
        if key != keys[0]:
            assert [r.value for r in mine] == [f"{key.decode()}#{n}".encode() for n in range(6)]
    assert sum(len(r.value) for r in keyed if r.key == keys[0]) > PRODUCER_BATCH_BYTES
    assert [r.value for r in got if r.key is None] == [b"no key"]
