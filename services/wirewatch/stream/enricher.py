"""The enricher agent: raw articles -> enriched articles + one event per statement.

Batches so spaCy's ``nlp.pipe`` sees many articles at once, runs the model in a worker thread
so heartbeats and commits stay on time, and routes bad records to the dead-letter topic instead
of crashing.

Batching starts when the model is idle (:mod:`wirewatch.stream.batching`): a lone article goes to
the model at once, and the articles that arrive while it runs make the next batch (up to
``WIREWATCH_BATCH_SIZE``). A batch's outputs go to the producer in one burst and the next batch
starts while the broker acknowledges them; the batch's offsets are released only after those
acknowledgements. One process uses one core (spaCy holds the GIL); scale with
``wirewatch enricher --workers K`` (:mod:`wirewatch.stream.workers`) over the raw topic's
partitions.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import (
    BadArticle,
    decode_article,
    dumps,
    stable_id,
    statement_events,
)
from wirewatch.stream import metrics
from wirewatch.stream.batching import take_batches
from wirewatch.stream.common import (
    Sends,
    ce_headers,
    dead_letter_send,
    enqueue_all,
    log,
    make_app,
    raw_topic,
)

#: Seconds a thread may hold the GIL while another waits for it (Python's default: 0.005). The
#: model thread holds it for long stretches, and at 5 ms the event loop and Faust's consumer
#: thread took it back ~200 times a second: the hand-offs cost the model thread 20-35% more CPU
#: per article than the same batches in a lone thread (measured: 91.8 and 82.5 ms against 66.9
#: and 69.0 in-process; at 0.05, 68.1 and 72.8 against 67.3 and 91.0, 160 bench articles). At
#: 50 ms, heartbeats and commits (seconds apart) still run on time.
GIL_SWITCH_INTERVAL = 0.05


def enrich_isolating(enricher: Any, articles: list[dict]) -> list[dict | Exception]:
    """Run the batch; if it raises, retry one by one so only the culprit is dead-lettered
    (never a crash loop: the same record would crash every restart)."""
    cpu = time.thread_time()
    try:
        return _enrich_isolating(enricher, articles)
    finally:
        metrics.MODEL_CPU.inc(time.thread_time() - cpu)


def _enrich_isolating(enricher: Any, articles: list[dict]) -> list[dict | Exception]:
    try:
        return list(enricher.enrich_batch(articles))
    except Exception:  # noqa: BLE001 - any pipeline failure is routed
        out: list[dict | Exception] = []
        for article in articles:
            try:
                out.append(enricher.enrich(article))
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out


class RecentVersions:
    """article id -> highest version enriched, for the ``maxsize`` most recently enriched ids.

    With a Faust ``table`` the memory survives restarts and rebalances: every write goes to the
    table's compacted changelog, to the partition of the raw record (ids are the raw topic's keys,
    so the worker that owns an id's partition owns its entry too). The partition is given
    explicitly because the enricher writes after a batch, where Faust knows no
    current event. Forgotten ids get a tombstone, so the changelog stays bounded as well.
    """

    def __init__(self, maxsize: int = 100_000, table: Any | None = None) -> None:
        self.maxsize, self.table = maxsize, table
        self.data: Any = table.data if table is not None else {}
        self.order: OrderedDict[str, int] = OrderedDict()  # id -> changelog partition, oldest first

    def get(self, key: str, default: int = 0) -> int:
        return self.data.get(key, default)

    def remember(self, partition: int, key: str, version: int) -> None:
        if len(self.data) > len(self.order):
            self._adopt_recovered()
        self.data[key] = version
        if self.table is not None:
            self.table.send_changelog(partition, key, version)
        self.order[key] = partition
        self.order.move_to_end(key)
        while len(self.order) > self.maxsize:
            old, old_partition = self.order.popitem(last=False)
            # Absent means Faust dropped it with a revoked partition: not ours to delete.
            if self.data.pop(old, None) is not None and self.table is not None:
                self.table.send_changelog(old_partition, old, None)

    def _adopt_recovered(self) -> None:
        """Ids restored from the changelog after a restart join the eviction order, oldest first."""
        partitions = getattr(self.data, "_key_partition", {})  # Faust's memory store keeps it
        recovered = OrderedDict(
            (k, partitions[k]) for k in self.data if k not in self.order and k in partitions
        )
        recovered.update(self.order)
        self.order = recovered


def is_duplicate(done: Any, article: dict) -> bool:
    """Same id and a version already enriched: skip it. A newer version is enriched again."""
    return done.get(article["id"], 0) >= article["version"]


def build_enricher(settings: Settings, enricher: Any) -> faust.App:
    """Enricher: raw articles -> enriched articles + one event per statement.

    ``enricher`` is a :class:`wirewatch.nlp.pipeline.Enricher` (passed in so the model is loaded
    once, before the worker starts consuming).
    """
    app = make_app(settings, "enricher")
    raw = raw_topic(app, settings.topic("articles.raw"))
    enriched_t = raw_topic(app, settings.topic("articles.enriched"))
    statements_t = raw_topic(app, settings.topic("statements"))
    dead_t = raw_topic(app, settings.topic("deadletter"))
    # One thread: spaCy is CPU-bound, and a single worker thread keeps heartbeats and commits
    # on the event loop responsive while the model runs.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
    # Highest version enriched per recent article id, so a re-published article is enriched once,
    # also after a restart or a rebalance.
    versions = app.Table(
        "enriched-versions", key_type=str, value_type=int, partitions=settings.partitions
    )
    done = RecentVersions(settings.dedup_window, versions)
    # Versions of the batch whose outputs await the broker's acknowledgement: not yet in ``done``
    # (that waits for the acknowledgement), yet a copy arriving in the next batch is a duplicate.
    in_flight: dict[str, int] = {}

    async def settle(stream: faust.StreamT, events: list, good: list, acks: list) -> None:
        """Once the broker has a batch's outputs: remember its versions, release its offsets."""
        await asyncio.gather(*acks)
        # Only after the broker has the outputs: a crash before this re-enriches, never skips.
        for event, article in good:
            done.remember(event.message.partition, article["id"], article["version"])
            if in_flight.get(article["id"]) == article["version"]:
                del in_flight[article["id"]]
        for event in events:
            await stream.ack(event)
        metrics.ARTICLES_IN.inc(len(events))
        metrics.ARTICLES_OUT.inc(len(good))

    @app.agent(raw, name="enricher")
    async def enrich(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        # The previous batch, its outputs sent but not yet acknowledged by the broker. Waiting for
        # those acknowledgements while the model works on the next batch keeps the model busy
        # instead of idle for a broker round trip per batch. settle() acks its events, releasing
        # their offsets, only after the acknowledgements; a rebalance waits for unacked events.
        pending: asyncio.Task | None = None
        try:
            async for events in take_batches(stream, settings.batch_size):
                pending = await _batch(stream, loop, events, pending)
        finally:
            if pending is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(pending), settings.session_timeout)

    async def _batch(
        stream: faust.StreamT, loop: Any, events: list, pending: asyncio.Task | None
    ) -> asyncio.Task:
        sends: Sends = []
        good: list[tuple[Any, dict]] = []
        for event in events:
            msg = event.message
            value = msg.value or b""
            try:
                article = decode_article(value, settings.max_body_bytes)
                if (
                    is_duplicate(done, article)
                    or is_duplicate(in_flight, article)
                    or any(
                        a["id"] == article["id"] and a["version"] >= article["version"]
                        for _, a in good
                    )
                ):
                    log.info(
                        "skipped duplicate %s version %s",
                        article["id"],
                        article["version"],
                        extra={
                            "article_id": article["id"],
                            "article_version": article["version"],
                        },
                    )
                    metrics.DUPLICATES.inc()
                    continue
                good.append((event, article))
            except BadArticle as exc:
                metrics.DEADLETTERS.labels(exc.kind).inc()
                log.warning(
                    "dead-letter %s at %s[%s]@%s: %s",
                    exc.kind,
                    msg.topic,
                    msg.partition,
                    msg.offset,
                    exc,
                    extra={
                        "article_id": exc.article_id,
                        "kind": exc.kind,
                        "topic": msg.topic,
                        "partition": msg.partition,
                        "offset": msg.offset,
                    },
                )
                sends.append(
                    dead_letter_send(
                        dead_t,
                        msg,
                        exc.kind,
                        str(exc),
                        "enricher",
                        value=value,
                        article_id=exc.article_id,
                    )
                )
        if good:
            started = time.perf_counter()
            results = await loop.run_in_executor(
                executor, enrich_isolating, enricher, [a for _, a in good]
            )
            metrics.BATCH_SECONDS.observe(time.perf_counter() - started)
            for (event, article), result in zip(good, results, strict=True):
                key = article["id"].encode("utf-8")
                if isinstance(result, Exception):
                    msg = event.message
                    log.error(
                        "enrichment failed for %s: %r",
                        article["id"],
                        result,
                        extra={"article_id": article["id"], "kind": "enrichment_failed"},
                    )
                    sends.append(
                        dead_letter_send(
                            dead_t,
                            msg,
                            "enrichment_failed",
                            repr(result),
                            "enricher",
                            key=key,
                            article_id=article["id"],
                        )
                    )
                    metrics.DEADLETTERS.labels("enrichment_failed").inc()
                    continue
                sends.append(
                    (
                        enriched_t,
                        key,
                        dumps(result),
                        ce_headers(
                            "article.enriched", stable_id(article["id"], article["version"])
                        ),
                    )
                )
                sends.extend(
                    (statements_t, key, dumps(ev), ce_headers("statement", ev["id"]))
                    for ev in statement_events(result)
                )
                metrics.STATEMENTS.inc(len(result["statements"]))
                log.info(
                    "enriched %s: %d statements, %d entities",
                    article["id"],
                    len(result["statements"]),
                    len(result["entities"]),
                    extra={"article_id": article["id"], "article_version": article["version"]},
                )
        # Enqueued before the previous batch settles, in order: outputs keep the input order.
        acks = await enqueue_all(sends)
        for _, article in good:
            in_flight[article["id"]] = max(in_flight.get(article["id"], 0), article["version"])
        if pending is not None:
            await pending  # one batch in flight at most; a failed send surfaces here
        metrics.observe_lag(app, events)
        return asyncio.ensure_future(settle(stream, events, good, acks))

    return app
