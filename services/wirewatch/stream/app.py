"""The Faust apps: the enricher and the alerter.

Thin on purpose: decode, call the pure library (wirewatch.nlp, wirewatch.rules), encode, send.
What lives here is batching, keeping CPU work off the event loop, and error routing to the
dead-letter topic. Offsets are acknowledged only after every output of a batch is acknowledged
by the broker (at-least-once; ids are deterministic so consumers can dedup).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import BadArticle, deadletter, decode_article, dumps, loads, statement_events

log = logging.getLogger("wirewatch")


def make_app(settings: Settings, role: str) -> faust.App:
    app_id = f"{settings.topic_prefix}-{role}"
    datadir = settings.state_dir / "faust" / app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)
    return faust.App(
        app_id,
        broker=[f"kafka://{b.strip()}" for b in settings.bootstrap.split(",") if b.strip()],
        store="memory://",
        datadir=str(datadir),
        web_enabled=False,
        topic_partitions=settings.partitions,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        key_serializer="raw",
        value_serializer="raw",
    )


def _topic(app: faust.App, name: str) -> faust.TopicT:
    return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")


async def _send_all(sends: list[tuple[faust.TopicT, bytes | None, bytes]]) -> None:
    """Send and wait until the broker acknowledged every record."""
    futures = [await topic.send(key=key, value=value) for topic, key, value in sends]
    await asyncio.gather(*futures)


def build_enricher(settings: Settings, enricher: Any) -> faust.App:
    """Enricher: raw articles -> enriched articles + one event per statement.

    ``enricher`` is a :class:`wirewatch.nlp.pipeline.Enricher` (passed in so the model is loaded
    once, before the worker starts consuming).
    """
    app = make_app(settings, "enricher")
    raw = _topic(app, settings.topic("articles.raw"))
    enriched_t = _topic(app, settings.topic("articles.enriched"))
    statements_t = _topic(app, settings.topic("statements"))
    dead_t = _topic(app, settings.topic("deadletter"))
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
            sends: list[tuple[faust.TopicT, bytes | None, bytes]] = []
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
            await _send_all(sends)

    return app


def build_alerter(settings: Settings, ruleset: Any, router: Any | None = None) -> faust.App:
    """Alerter: enriched articles -> alerts on the topic, then to the rule's sinks via ``router``
    (a :class:`wirewatch.rules.sinks.SinkRouter`)."""
    app = make_app(settings, "alerter")
    enriched_t = _topic(app, settings.topic("articles.enriched"))
    alerts_t = _topic(app, settings.topic("alerts"))
    dead_t = _topic(app, settings.topic("deadletter"))

    @app.agent(enriched_t, name="alerter")
    async def alert(stream: faust.StreamT) -> None:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout):
            sends: list[tuple[faust.TopicT, bytes | None, bytes]] = []
            fired: list[dict] = []
            for event in events:
                msg = event.message
                try:
                    alerts = ruleset.match(loads(msg.value))
                except Exception as exc:  # noqa: BLE001 - a bad event must not stop alerting
                    log.error("alerting failed at %s[%s]@%s: %r", msg.topic, msg.partition, msg.offset, exc)
                    dl = deadletter(msg.value or b"", "alerting_failed", repr(exc), topic=msg.topic,
                                    stage="alerter", partition=msg.partition, offset=msg.offset)
                    sends.append((dead_t, msg.key, dumps(dl)))
                    continue
                for a in alerts:
                    sends.append((alerts_t, a["rule_id"].encode("utf-8"), dumps(a)))
                    fired.append(a)
            await _send_all(sends)
            # Sinks only after the topic has the alerts: a failing sink never loses one.
            for a in fired:
                if router is not None:
                    router.send(a)

    return app


def run_worker(app: faust.App, loglevel: str = "info") -> None:
    """Run a Faust worker in this process until SIGINT/SIGTERM."""
    worker = faust.Worker(app, loglevel=loglevel)
    worker.execute_from_commandline()
