"""Where alerts go once matched. Kept apart from matching because this module does I/O.

A rule may name ``sinks: [log, file]``; a rule without ``sinks`` uses the router's defaults.
The Kafka topic ``wirewatch.alerts`` is not a sink here: the alerter agent always sends there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

import orjson

from .model import SINK_NAMES

log = logging.getLogger("wirewatch.alerts")


class Sink(Protocol):
    name: str

    def send(self, alert: dict) -> None: ...

    def close(self) -> None: ...


class LogSink:
    """One INFO line per alert on the ``wirewatch.alerts`` logger."""

    name = "log"

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or log

    def send(self, alert: dict) -> None:
        matched = alert.get("matched") or {}
        self.logger.info(
            "alert %s rule=%s article=%s keywords=%s actors=%s statements=%s headline=%r",
            alert.get("id"),
            alert.get("rule_id"),
            alert.get("article_id"),
            ",".join(matched.get("keywords", [])),
            ",".join(matched.get("actors", [])),
            ",".join(matched.get("statements", [])),
            alert.get("headline", ""),
        )

    def close(self) -> None:
        pass


class FileSink:
    """Appends one JSON line per alert to ``path`` (created with its parent directory)."""

    name = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("ab")
        self._lock = threading.Lock()

    def send(self, alert: dict) -> None:
        line = orjson.dumps(alert) + b"\n"
        with self._lock:
            self._fh.write(line)
            self._fh.flush()

    def close(self) -> None:
        with self._lock:
            self._fh.close()


class SinkRouter:
    """Sends each alert to the sinks its rule names (``alert["sinks"]``) or to the defaults."""

    def __init__(self, sinks: Mapping[str, Sink], default: Iterable[str] = ("log",)) -> None:
        self.sinks = dict(sinks)
        self.default = tuple(name for name in default if name in self.sinks)

    def send(self, alert: dict) -> list[str]:
        """Deliver ``alert``; returns the sink names that took it. A rule naming a sink that is
        not configured (e.g. ``file`` without a path) falls back to the defaults."""
        wanted = [name for name in alert.get("sinks") or () if name in self.sinks] or self.default
        delivered = []
        for name in wanted:
            # One failing sink must not keep the alert from the others; the alert is on the
            # alerts topic already, so nothing is lost.
            try:
                self.sinks[name].send(alert)
            except Exception:  # noqa: BLE001
                log.exception("sink %r failed for alert %s", name, alert.get("id"))
            else:
                delivered.append(name)
        return delivered

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()


def build_router(
    file_path: str | Path | None = None, default: Iterable[str] = ("log",)
) -> SinkRouter:
    """The standard router: ``log`` always, ``file`` when a path is given."""
    sinks: dict[str, Sink] = {"log": LogSink()}
    if file_path:
        sinks["file"] = FileSink(file_path)
    unknown = [name for name in default if name not in SINK_NAMES]
    if unknown:
        raise ValueError(f"unknown sink(s) {unknown}; expected {', '.join(SINK_NAMES)}")
    return SinkRouter(sinks, default)
