"""The enricher agent: raw articles -> enriched articles + one event per statement.

Batches with ``take_events`` so spaCy's ``nlp.pipe`` sees many articles at once, runs the model in
a worker thread so heartbeats and commits stay on time, and routes bad records to the dead-letter
topic instead of crashing.

Batching is greedy: ``take_events`` waits only ``WIREWATCH_BATCH_TIMEOUT`` (20 ms) after the
previous batch. Under load the events that queued while the model ran fill the next batch at once
(up to ``WIREWATCH_BATCH_SIZE``); a lone article starts right away, so latency stays near one
``nlp()`` call. One process uses one core (spaCy holds the GIL); scale with
``wirewatch enricher --workers K`` (:mod:`wirewatch.stream.workers`) over the raw topic's partitions.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import BadArticle, deadletter, decode_article, dumps, statement_events
from wirewatch.stream.common import Sends, log, make_app, raw_topic, send_all


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

    def enrich_isolating(articles: list[dict]) -> list[dict | Exception]:
        """Run the batch; if it raises, retry one by one so only the culprit is dead-lettered."""
        try:
            return list(enricher.enrich_batch(articles))
        except Exception:  # noqa: BLE001 - any pipeline failure is routed, never a crash loop
            out: list[dict | Exception] = []
            for article in articles:
                try:
                    out.append(enricher.enrich(article))
                except Exception as exc:  # noqa: BLE001
                    out.append(exc)
            return out

    @app.agent(raw, name="enricher")
    async def enrich(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout):
            sends: Sends = []
            good: list[tuple[Any, dict]] = []
            for event in events:
                msg = event.message
                value = msg.value or b""
                try:
                    good.append((event, decode_article(value, settings.max_body_bytes)))
                except BadArticle as exc:
                    log.warning("dead-letter %s at %s[%s]@%s: %s", exc.kind, msg.topic, msg.partition, msg.offset, exc)
                    dl = deadletter(value, exc.kind, str(exc), topic=msg.topic, stage="enricher",
                                    partition=msg.partition, offset=msg.offset, article_id=exc.article_id)
                    sends.append((dead_t, msg.key, dumps(dl)))
            if good:
                results = await loop.run_in_executor(executor, enrich_isolating, [a for _, a in good])
                for (event, article), result in zip(good, results, strict=True):
                    key = article["id"].encode("utf-8")
                    if isinstance(result, Exception):
                        msg = event.message
                        log.error("enrichment failed for %s: %r", article["id"], result)
                        dl = deadletter(msg.value or b"", "enrichment_failed", repr(result), topic=msg.topic,
                                        stage="enricher", partition=msg.partition, offset=msg.offset,
                                        article_id=article["id"])
                        sends.append((dead_t, key, dumps(dl)))
                        continue
                    sends.append((enriched_t, key, dumps(result)))
                    sends.extend((statements_t, key, dumps(ev)) for ev in statement_events(result))
                    log.info("enriched %s: %d statements, %d entities", article["id"],
                             len(result["statements"]), len(result["entities"]))
            await send_all(sends)

    return app
