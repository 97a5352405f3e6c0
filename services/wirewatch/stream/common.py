"""What the Faust apps share: app construction, raw topics, acknowledged sends, the worker.

The agents (enricher.py, alerter.py) are thin on purpose: decode, call the pure library
(wirewatch.nlp, wirewatch.rules), encode, send. What lives here is batching, keeping CPU work off the event loop, and error routing to the
dead-letter topic. Offsets are acknowledged only after every output of a batch is acknowledged
by the broker (at-least-once; ids are deterministic so consumers can dedup).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import ce_headers, deadletter, dumps, stable_id  # ce_headers: re-exported
from wirewatch.security import faust_credentials
from wirewatch.stream import transport

log = logging.getLogger("wirewatch")

#: Below the broker's default message.max.bytes (1 MiB) and Faust's max request size (1 MB).
PRODUCER_BATCH_BYTES = 512 * 1024

#: (topic, key, value) or (topic, key, value, headers) records a batch produces.
Sends = list[tuple]


def make_app(settings: Settings, role: str) -> faust.App:
    app_id = f"{settings.topic_prefix}-{role}"
    datadir = settings.state_dir / "faust" / app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        app_id,
        broker=[
            f"{transport.SCHEME}://{b.strip()}" for b in settings.bootstrap.split(",") if b.strip()
        ],
        store="memory://",
        datadir=str(datadir),
        web_enabled=False,
        topic_partitions=settings.partitions,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # aiokafka waits for a full batch to be drained before it takes the next record of that
        # partition, so with the 16 KB default every enriched article (~14 KB, plus ~13 statement
        # events) queued behind a broker round trip: 170 ms per 14-article batch of idle model.
        producer_max_batch_size=PRODUCER_BATCH_BYTES,
        key_serializer="raw",
        value_serializer="raw",
        broker_credentials=faust_credentials(settings),
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=max(1.0, settings.session_timeout / 4),
        broker_rebalance_timeout=max(30.0, settings.session_timeout),
    )
    return with_heartbeat(app)


def with_heartbeat(app: faust.App) -> faust.App:
    """A timer on the event loop that keeps /healthz green while the loop is responsive."""
    from wirewatch.stream import metrics

    @app.timer(interval=5.0)
    async def beat() -> None:
        metrics.beat()

    return app


def raw_topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(
        name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )


def dead_letter_send(
    dead_t: faust.TopicT,
    msg: Any,
    kind: str,
    error: str,
    stage: str,
    *,
    key: bytes | None = None,
    value: bytes | None = None,
    article_id: str | None = None,
) -> tuple:
    """The send for one record that goes to the dead-letter topic: its original bytes, where it
    came from, and a CloudEvents id derived from that place (a re-delivery repeats the same id)."""
    dl = deadletter(
        msg.value or b"" if value is None else value,
        kind,
        error,
        topic=msg.topic,
        stage=stage,
        partition=msg.partition,
        offset=msg.offset,
        article_id=article_id,
    )
    headers = ce_headers("deadletter", stable_id(msg.topic, msg.partition, msg.offset))
    return (dead_t, msg.key if key is None else key, dumps(dl), headers)


async def enqueue_all(sends: Sends) -> list[asyncio.Future]:
    """Hand every record to the producer, in order per partition; the futures resolve when the
    broker has them.

    Straight to the app's producer, not ``Topic.send``: Faust's topic path yields to the event
    loop for every record (0.25 ms each on an idle process; with the model thread holding the GIL,
    every yield waits for a GIL switch), which left the model idle 40-120 ms per 14-article batch
    of ~200 records. And as whole batches, one per partition, not a ``send()`` per record: an
    article is ~14 records (its enriched event and one per statement), and aiokafka's
    ``send()`` costs 25-40 us of the event loop's CPU per record (the partitioner's pure-Python
    murmur2 for every key, a future, the accumulator) against ~5 us appended to a batch (README,
    "Sending a batch's records"). The partition is the one ``send()`` would pick: the producer's
    own partitioner, called once per key.
    Keys and values are already bytes (raw serializers), so nothing of Faust's is skipped but the
    per-send monitor hooks; output topics are declared once, as ``Topic.send`` would.
    """
    if not sends:
        return []
    app = sends[0][0].app
    aio = app.producer._ensure_producer()
    partitioner = app.producer.partitioner  # the one Faust configured aiokafka's producer with
    # (topic name, partition) -> records, in the order given
    groups: dict[tuple[str, int], list[tuple]] = {}
    parts: dict[str, tuple[list[int], list[int]]] = {}
    picked: dict[tuple[str, bytes], int] = {}
    for rec in sends:
        topic = rec[0]
        if topic not in _declared:
            await topic.maybe_declare()
            _declared.add(topic)
        name, key = topic.get_topic_name(), rec[1]
        if name not in parts:
            # waits for the topic's metadata only when the producer has none yet
            known = sorted(await aio.partitions_for(name))
            available = sorted(aio.client.cluster.available_partitions_for_topic(name) or known)
            parts[name] = (known, available)
        if key is None:  # the partitioner spreads key-less records: no caching
            partition = partitioner(None, *parts[name])
        elif (partition := picked.get((name, key))) is None:
            partition = picked[(name, key)] = partitioner(key, *parts[name])
        groups.setdefault((name, partition), []).append(rec)
    futures = []
    for (name, partition), recs in groups.items():
        batch = aio.create_batch()
        for rec in recs:
            headers = rec[3] if len(rec) > 3 and rec[3] is not None else []
            if batch.append(key=rec[1], value=rec[2], timestamp=None, headers=headers) is not None:
                continue
            if batch.record_count():  # full (append closed it): send it, start the next
                futures.append(await aio.send_batch(batch, name, partition=partition))
                batch = aio.create_batch()
                if batch.append(key=rec[1], value=rec[2], timestamp=None, headers=headers):
                    continue
            # larger than a batch: send() alone (a batch of its own, or the size error)
            futures.append(
                await aio.send(name, rec[2], key=rec[1], partition=partition, headers=headers)
            )
            batch = aio.create_batch()
        if batch.record_count():
            batch.close()  # complete: a closed batch never waits out a linger time
            futures.append(await aio.send_batch(batch, name, partition=partition))
    return futures


_declared: set = set()


async def send_all(sends: Sends) -> None:
    """Send and wait until the broker acknowledged every record."""
    await asyncio.gather(*await enqueue_all(sends))


def freeze_loaded_heap() -> None:
    """Put what the process holds before it starts consuming (the model, the libraries, the app)
    out of the garbage collector's reach.

    Those ~100k objects live as long as the process, yet every full collection walked them all:
    in an enricher, two full collections per ~300 articles of 80–140 ms each, each landing on one
    article's latency, and ~0.8 ms of CPU per article on average. Frozen, a full collection
    walks only what came after (13 ms at most in the same measurement).
    """
    gc.collect()
    gc.freeze()


def run_worker(app: faust.App, loglevel: str = "info", log_format: str = "auto") -> None:
    """Run a Faust worker in this process until SIGINT/SIGTERM."""
    from wirewatch.logs import dict_config, use_json

    config = dict_config(loglevel) if use_json(log_format) else None
    worker = faust.Worker(app, loglevel=loglevel, logging_config=config)
    worker.execute_from_commandline()
