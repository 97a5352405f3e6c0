"""Prometheus metrics for the workers, served on ``WIREWATCH_METRICS_PORT`` at /metrics."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from wirewatch.config import Settings

log = logging.getLogger("wirewatch.metrics")

ARTICLES_IN = Counter("wirewatch_articles_in", "Records consumed from the worker's input topic")
ARTICLES_OUT = Counter("wirewatch_articles_out", "Articles enriched and published")
STATEMENTS = Counter("wirewatch_statements", "Statement events published")
ALERTS = Counter("wirewatch_alerts", "Alerts published to the alerts topic")
DUPLICATES = Counter("wirewatch_duplicates", "Articles skipped: this id and version were already enriched")
DEADLETTERS = Counter("wirewatch_deadletters", "Records routed to the dead-letter topic", ["kind"])
BATCH_SECONDS = Histogram("wirewatch_processing_seconds", "Time to enrich one batch (nlp.pipe + attribution)",
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60))
LAG = Gauge("wirewatch_consumer_lag", "Records behind the end of the partition", ["topic", "partition"])


def serve(settings: Settings) -> int | None:
    """Start the /metrics server (a daemon thread); returns the port, or None when disabled.

    Worker K of a supervised group serves on port + K, so several workers share a host. A port
    already taken is logged, not fatal: metrics must never stop the stream.
    """
    if not settings.metrics_port:
        return None
    port = settings.metrics_port + int(os.environ.get("WIREWATCH_WORKER_INDEX", "0") or 0)
    try:
        start_http_server(port, addr=settings.metrics_host)
    except OSError as exc:
        log.warning("metrics server not started on %s:%s: %s", settings.metrics_host, port, exc)
        return None
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, port)
    return port


def observe_lag(app: Any, events: Iterable[Any]) -> None:
    """Lag of each partition in this batch, from the consumer's highwater mark."""
    last: dict[Any, int] = {}
    for event in events:
        msg = event.message
        last[msg.tp] = max(last.get(msg.tp, -1), msg.offset)
    for tp, offset in last.items():
        try:
            highwater = app.consumer.highwater(tp)
        except Exception:  # noqa: BLE001 - a metric must never break the batch
            continue
        if highwater is not None:
            LAG.labels(tp.topic, str(tp.partition)).set(max(0, highwater - offset - 1))
