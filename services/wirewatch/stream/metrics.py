"""Prometheus metrics for the workers, served on ``WIREWATCH_METRICS_PORT`` at /metrics."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import Counter, Gauge, Histogram, make_wsgi_app

from wirewatch.config import Settings

log = logging.getLogger("wirewatch.metrics")

INGESTED = Counter(
    "wirewatch_ingested", "Raw articles published by an ingest source (acknowledged)"
)
ARTICLES_IN = Counter("wirewatch_articles_in", "Records consumed from the worker's input topic")
ARTICLES_OUT = Counter("wirewatch_articles_out", "Articles enriched and published")
STATEMENTS = Counter("wirewatch_statements", "Statement events published")
ALERTS = Counter("wirewatch_alerts", "Alerts published to the alerts topic")
DUPLICATES = Counter(
    "wirewatch_duplicates", "Articles skipped: this id and version were already enriched"
)
DEADLETTERS = Counter("wirewatch_deadletters", "Records routed to the dead-letter topic", ["kind"])
BATCH_SECONDS = Histogram(
    "wirewatch_processing_seconds",
    "Time to enrich one batch (nlp.pipe + attribution)",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
MODEL_CPU = Counter(
    "wirewatch_model_cpu_seconds",
    "CPU time of the model thread (nlp.pipe + attribution); process CPU minus this is the "
    "service's own overhead (decoding, encoding, Kafka, Faust)",
)
LAG = Gauge(
    "wirewatch_consumer_lag", "Records behind the end of the partition", ["topic", "partition"]
)


#: Set by a timer on the worker's event loop; /healthz fails when it goes stale, which catches
#: a stalled loop (and so stalled heartbeats and commits), not just a dead process.
#: None until a worker's loop first beats: processes without one (ingest) are judged alive.
_last_beat: dict[str, float | None] = {"t": None}
STALE_AFTER = 30.0


def beat() -> None:
    _last_beat["t"] = time.monotonic()


def _app(environ: dict, start_response):
    if environ.get("PATH_INFO") == "/healthz":
        last = _last_beat["t"]
        age = 0.0 if last is None else time.monotonic() - last
        ok = age < STALE_AFTER
        start_response(
            "200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")]
        )
        return [f'{{"ok": {str(ok).lower()}, "event_loop_beat_age_s": {age:.1f}}}'.encode()]
    return _metrics_app(environ, start_response)


_metrics_app = make_wsgi_app()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # scrapes every few seconds would flood the log
        pass


def serve(settings: Settings) -> int | None:
    """Start the /metrics and /healthz server (a daemon thread); the port, or None when disabled.

    Worker K of a supervised group serves on port + K, so several workers share a host. A port
    already taken is logged, not fatal: metrics must never stop the stream.
    """
    if not settings.metrics_port:
        return None
    port = settings.metrics_port + int(os.environ.get("WIREWATCH_WORKER_INDEX", "0") or 0)
    try:
        server = make_server(
            settings.metrics_host, port, _app, WSGIServer, handler_class=_QuietHandler
        )
    except OSError as exc:
        log.warning("metrics server not started on %s:%s: %s", settings.metrics_host, port, exc)
        return None
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("metrics on http://%s:%s/metrics, health on /healthz", settings.metrics_host, port)
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
