"""Where alerts go once matched. Kept apart from matching because this module does I/O.

A rule may name ``sinks: [log, file, webhook, slack]`` (or ``{webhook: URL}`` / ``{slack: URL}``
for its own endpoint); a rule without ``sinks`` uses the router's defaults. The Kafka alerts
topic is not a sink here: the alerter agent always sends there first, so a failing sink never
loses an alert.

Dependable delivery (:class:`Outbox`): every (alert, sink) is first appended to a journal file
under the state directory, then delivered by that sink's own thread, with retries and
exponential backoff. A delivered entry is marked done in the journal; on start the journal is
replayed, so retry state survives a restart. One thread per sink: a webhook that is down never
delays the log or the file.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import orjson

from .model import SINK_NAMES

log = logging.getLogger("wirewatch.alerts")

SIGNATURE_HEADER = "X-Wirewatch-Signature"


class Sink(Protocol):
    name: str

    def send(self, alert: dict) -> None: ...

    def close(self) -> None: ...


class PermanentSinkError(Exception):
    """Retrying cannot help (e.g. HTTP 400/404): the entry is parked in ``failed.jsonl``."""


class LogSink:
    """One structured JSON line per alert on the ``wirewatch.alerts`` logger (INFO)."""

    name = "log"

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or log

    def send(self, alert: dict) -> None:
        matched = alert.get("matched") or {}
        record = {
            "event": "alert",
            "id": alert.get("id"),
            "rule_id": alert.get("rule_id"),
            "article_id": alert.get("article_id"),
            "headline": alert.get("headline", ""),
            "keywords": matched.get("keywords", []),
            "actors": matched.get("actors", []),
            "statements": matched.get("statements", []),
        }
        for extra in ("group", "suppressed", "uri"):
            if alert.get(extra) is not None:
                record[extra] = alert[extra]
        self.logger.info("%s", orjson.dumps(record).decode())

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


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact request body with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r}: only absolute http:// or https:// URLs are allowed")
    return url


class WebhookSink:
    """POSTs the alert as JSON. Signs the body (``X-Wirewatch-Signature: sha256=<hex>``) when a
    secret is set. Raises on failure (the outbox retries): 5xx, 408, 429 and network errors are
    retried, other 4xx are permanent."""

    name = "webhook"

    def __init__(self, url: str, secret: str = "", timeout: float = 5.0) -> None:
        self.url = check_url(url)
        self.secret = secret
        self.timeout = timeout

    def payload(self, alert: dict) -> dict:
        return alert

    def send(self, alert: dict) -> None:
        body = orjson.dumps(self.payload(alert))
        headers = {"Content-Type": "application/json", "User-Agent": "wirewatch-alerter",
                   "X-Wirewatch-Alert-Id": str(alert.get("id", ""))}  # fmt: skip
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(self.secret, body)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only, checked
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in (408, 425, 429) or exc.code >= 500:
                raise
            raise PermanentSinkError(f"HTTP {exc.code} from {self.url}") from exc

    def close(self) -> None:
        pass


class SlackSink(WebhookSink):
    """A Slack-compatible incoming webhook: ``{"text": ..., "blocks": [...]}``."""

    name = "slack"

    def payload(self, alert: dict) -> dict:
        matched = alert.get("matched") or {}
        bits = [f"*{alert.get('rule_id')}*: {alert.get('headline') or alert.get('article_id')}"]
        if matched.get("keywords"):
            bits.append("keywords: " + ", ".join(matched["keywords"]))
        if matched.get("actors"):
            bits.append("actors: " + ", ".join(matched["actors"]))
        if alert.get("suppressed"):
            bits.append(f"(+{alert['suppressed']} similar suppressed)")
        if alert.get("uri"):
            bits.append(str(alert["uri"]))
        text = "\n".join(bits)
        return {
            "text": text,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }


# --------------------------------------------------------------------------- durable outbox


def backoff(attempt: int, base: float = 1.0, cap: float = 300.0) -> float:
    """Seconds before retry ``attempt`` (1-based): base, 2*base, 4*base ... capped."""
    return min(cap, base * 2 ** max(0, attempt - 1))


class Outbox:
    """A journal of (alert, sink) deliveries under ``directory`` and one delivery thread per sink.

    ``journal.jsonl`` lines are ``{"key", "sink", "alert"}`` (to deliver) or ``{"done": key}``;
    on start, undone entries are delivered again and the journal is compacted. Entries that fail
    permanently or ``max_attempts`` times go to ``failed.jsonl`` with the reason (the alert is
    also on the alerts topic).
    """

    def __init__(
        self,
        directory: str | Path,
        resolve: Callable[[str], Sink | None],
        *,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        max_attempts: int = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.journal = self.dir / "journal.jsonl"
        self.failed = self.dir / "failed.jsonl"
        self.resolve = resolve
        self.base_delay, self.max_delay, self.max_attempts = base_delay, max_delay, max_attempts
        self.clock = clock
        self._lock = threading.Lock()
        self._cv = threading.Condition(self._lock)
        self._queues: dict[str, list[tuple[float, int, str, dict, int]]] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._pending: dict[str, int] = {}
        self._seq = 0
        self._closed = False
        replay = self._load()
        self._fh = self.journal.open("ab")
        for key, sink, alert in replay:
            self._enqueue(key, sink, alert, 0, write=False)

    def _load(self) -> list[tuple[str, str, dict]]:
        if not self.journal.exists():
            return []
        entries: dict[str, tuple[str, dict]] = {}
        for line in self.journal.read_bytes().splitlines():
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a torn last line after a crash
            if "done" in rec:
                entries.pop(rec["done"], None)
            elif "key" in rec:
                entries[rec["key"]] = (rec["sink"], rec["alert"])
        tmp = self.journal.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            for key, (sink, alert) in entries.items():
                fh.write(orjson.dumps({"key": key, "sink": sink, "alert": alert}) + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.journal)
        return [(key, sink, alert) for key, (sink, alert) in entries.items()]

    def submit(self, alert: dict, sinks: Iterable[str]) -> None:
        """Journal the alert for each sink, then hand it to the sinks' threads. Returns at once."""
        for sink in sinks:
            self._enqueue(f"{alert.get('id')}:{sink}", sink, alert, 0, write=True)

    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pending() == 0:
                return True
            time.sleep(0.02)
        return self.pending() == 0

    def _enqueue(self, key: str, sink: str, alert: dict, attempt: int, write: bool) -> None:
        with self._cv:
            if write:
                rec = {"key": key, "sink": sink, "alert": alert}
                self._fh.write(orjson.dumps(rec) + b"\n")
                self._fh.flush()
            self._seq += 1
            heapq.heappush(self._queues.setdefault(sink, []), (0.0, self._seq, key, alert, attempt))
            self._pending[sink] = self._pending.get(sink, 0) + 1
            if sink not in self._threads:
                thread = threading.Thread(target=self._run, args=(sink,), daemon=True,
                                          name=f"sink-{sink}")  # fmt: skip
                self._threads[sink] = thread
                thread.start()
            self._cv.notify_all()

    def _run(self, sink_name: str) -> None:
        queue = self._queues[sink_name]
        while True:
            with self._cv:
                while not self._closed and (not queue or queue[0][0] > self.clock()):
                    self._cv.wait(timeout=(queue[0][0] - self.clock()) if queue else None)
                if self._closed:
                    return
                due, seq, key, alert, attempt = heapq.heappop(queue)
            sink = self.resolve(sink_name)
            error: BaseException | None = None
            permanent = False
            if sink is None:
                error, permanent = LookupError(f"sink {sink_name!r} is not configured"), True
            else:
                try:
                    sink.send(alert)
                except PermanentSinkError as exc:
                    error, permanent = exc, True
                except Exception as exc:  # noqa: BLE001 - any failure is retried
                    error = exc
            with self._cv:
                if error is None or permanent or attempt + 1 >= self.max_attempts:
                    if error is not None:
                        log.error("sink %s gave up on alert %s after %d attempt(s): %s",
                                  sink_name, alert.get("id"), attempt + 1, error)  # fmt: skip
                        with self.failed.open("ab") as fh:
                            fh.write(orjson.dumps({"key": key, "sink": sink_name, "error": str(error),
                                                   "attempts": attempt + 1, "alert": alert}) + b"\n")  # fmt: skip
                    if not self._closed:
                        self._fh.write(orjson.dumps({"done": key}) + b"\n")
                        self._fh.flush()
                    self._pending[sink_name] -= 1
                    continue
                delay = backoff(attempt + 1, self.base_delay, self.max_delay)
                log.warning("sink %s failed for alert %s (attempt %d): %s; retrying in %.1fs",
                            sink_name, alert.get("id"), attempt + 1, error, delay)  # fmt: skip
                heapq.heappush(queue, (self.clock() + delay, seq, key, alert, attempt + 1))

    def close(self) -> None:
        with self._cv:
            self._closed = True
            self._cv.notify_all()
        for thread in list(self._threads.values()):
            thread.join(timeout=10)
        with self._lock:
            self._fh.close()


# --------------------------------------------------------------------------- routing


def sink_key(entry: Any) -> str:
    """``"log"`` -> ``"log"``; ``{"webhook": URL}`` -> ``"webhook URL"`` (its own sink)."""
    if isinstance(entry, dict) and len(entry) == 1:
        name, url = next(iter(entry.items()))
        return f"{name} {url}"
    return str(entry)


class SinkRouter:
    """Sends each alert to the sinks its rule names (``alert["sinks"]``) or to the defaults.

    Without an outbox, ``send`` delivers synchronously (``wirewatch alerts test``, tests); with
    one, it journals and returns, and the outbox's threads deliver with retries.
    """

    def __init__(
        self,
        sinks: Mapping[str, Sink],
        default: Iterable[str] = ("log",),
        *,
        outbox_dir: str | Path | None = None,
        webhook_secret: str = "",
        webhook_timeout: float = 5.0,
        **outbox_options: Any,
    ) -> None:
        self.sinks = dict(sinks)
        self.default = tuple(name for name in default if name in self.sinks)
        self.webhook_secret = webhook_secret
        self.webhook_timeout = webhook_timeout
        self._lock = threading.Lock()
        self.outbox = Outbox(outbox_dir, self.resolve, **outbox_options) if outbox_dir else None

    def resolve(self, key: str) -> Sink | None:
        """The sink for a key: a configured name, or a rule's own ``webhook URL`` / ``slack URL``."""
        with self._lock:
            sink = self.sinks.get(key)
            if sink is None and " " in key:
                kind, url = key.split(" ", 1)
                cls = {"webhook": WebhookSink, "slack": SlackSink}.get(kind)
                if cls is not None:
                    secret = self.webhook_secret if kind == "webhook" else ""
                    sink = self.sinks[key] = cls(url, secret, self.webhook_timeout)
            return sink

    def targets(self, alert: dict) -> list[str]:
        """Sink keys for the alert. A rule naming a sink that is not configured (e.g. ``file``
        without a path) falls back to the defaults."""
        keys = [sink_key(e) for e in alert.get("sinks") or ()]
        return [k for k in keys if " " in k or k in self.sinks] or list(self.default)

    def send(self, alert: dict) -> list[str]:
        """Deliver (or, with an outbox, journal) ``alert``; returns the sink keys that took it."""
        wanted = self.targets(alert)
        if self.outbox is not None:
            self.outbox.submit(alert, wanted)
            return wanted
        delivered = []
        for key in wanted:
            # One failing sink must not keep the alert from the others; the alert is on the
            # alerts topic already, so nothing is lost.
            try:
                sink = self.resolve(key)
                if sink is None:
                    raise LookupError(f"sink {key!r} is not configured")
                sink.send(alert)
            except Exception:  # noqa: BLE001
                log.exception("sink %r failed for alert %s", key, alert.get("id"))
            else:
                delivered.append(key)
        return delivered

    def close(self) -> None:
        if self.outbox is not None:
            self.outbox.close()
        for sink in self.sinks.values():
            sink.close()


def build_router(
    file_path: str | Path | None = None,
    default: Iterable[str] = ("log",),
    *,
    webhook_url: str = "",
    webhook_secret: str = "",
    slack_url: str = "",
    timeout: float = 5.0,
    outbox_dir: str | Path | None = None,
    **outbox_options: Any,
) -> SinkRouter:
    """The standard router: ``log`` always, ``file`` when a path is given, ``webhook`` /
    ``slack`` when their URL is given."""
    default = tuple(default)
    unknown = [name for name in default if name not in SINK_NAMES]
    if unknown:
        raise ValueError(f"unknown sink(s) {unknown}; expected {', '.join(SINK_NAMES)}")
    sinks: dict[str, Sink] = {"log": LogSink()}
    if file_path:
        sinks["file"] = FileSink(file_path)
    if webhook_url:
        sinks["webhook"] = WebhookSink(webhook_url, webhook_secret, timeout)
    if slack_url:
        sinks["slack"] = SlackSink(slack_url, "", timeout)
    return SinkRouter(sinks, default, outbox_dir=outbox_dir, webhook_secret=webhook_secret,
                      webhook_timeout=timeout, **outbox_options)  # fmt: skip
