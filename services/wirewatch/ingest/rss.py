"""RSS/Atom feeds -> raw articles: polled with conditional GETs, deduplicated across restarts.

Each feed is fetched with ``If-None-Match``/``If-Modified-Since`` (a 304 costs the publisher
nothing), parsed with feedparser, and every entry not seen before becomes a raw article:

- id = stable hash of the entry's guid (else its link), so the same story keeps its id;
- body = the entry's content (else its summary), HTML stripped;
- headline = title, uri = link, published_at = ISO 8601 UTC, source = the feed's title.

What was published (guids, ETag, Last-Modified) is kept in a JSON state file under
``WIREWATCH_STATE_DIR``, saved only after the broker acknowledged, so a restart neither loses
nor republishes entries.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from wirewatch.ingest.html import html_to_text, looks_like_html
from wirewatch.ingest.state import StateFile
from wirewatch.records import BadArticle, stable_id, validate_article

log = logging.getLogger(__name__)
_COMMENT = re.compile(r"(^|\s)#.*$")

USER_AGENT = "wirewatch-rss/0.1 (+https://github.com/wirewatch)"
#: Guids remembered per feed: far more than any feed lists at once, small enough to load fast.
SEEN_LIMIT = 5000
DEFAULT_INTERVAL = 300.0
MIN_INTERVAL = 1.0

Send = Callable[[list[dict]], Awaitable[object]]


class FeedError(Exception):
    """A feed could not be fetched or parsed; the message says which and what to check."""


class FeedsFileError(ValueError):
    """A feeds file line is wrong."""


@dataclass
class Feed:
    url: str
    interval: float = DEFAULT_INTERVAL
    next_due: float = field(default=0.0, compare=False)


def parse_feeds_file(path: str, default_interval: float = DEFAULT_INTERVAL) -> list[Feed]:
    """One feed per line: ``URL [SECONDS]``; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise FeedsFileError(f"cannot read feeds file {path}: {exc.strerror}") from None
    feeds = []
    for n, line in enumerate(lines, 1):
        line = _COMMENT.sub("", line).strip()  # a '#' inside a URL is a fragment, not a comment
        if not line:
            continue
        parts = line.split()
        if len(parts) > 2:
            raise FeedsFileError(f"{path}:{n}: expected 'URL [SECONDS]', got {line!r}")
        feeds.append(
            make_feed(parts[0], parts[1] if len(parts) == 2 else default_interval, f"{path}:{n}")
        )
    if not feeds:
        raise FeedsFileError(f"{path}: no feeds in it; write one 'URL [SECONDS]' per line")
    return feeds


def make_feed(
    url: str, interval: float | str = DEFAULT_INTERVAL, where: str = "command line"
) -> Feed:
    if not url.startswith(("http://", "https://", "file://")):
        raise FeedsFileError(f"{where}: {url!r} is not a feed URL; expected http:// or https://")
    try:
        seconds = float(interval)
    except ValueError:
        raise FeedsFileError(f"{where}: interval {interval!r} is not a number of seconds") from None
    if seconds < MIN_INTERVAL:
        raise FeedsFileError(
            f"{where}: interval {seconds:g}s is too short; poll at most once a second"
        )
    return Feed(url, seconds)


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat().replace("+00:00", "Z")


def _text(value: str | None, kind: str | None = None) -> str:
    if not value:
        return ""
    if (kind and "html" in kind) or looks_like_html(value):
        return html_to_text(value)
    return value.strip()


def entry_key(entry: dict) -> str | None:
    """What identifies an entry across polls: its guid (feedparser's ``id``), else its link."""
    return entry.get("id") or entry.get("link") or None


def entry_to_article(
    entry: dict, feed_title: str | None, language: str | None, max_body_bytes: int
) -> dict:
    """A feed entry as a validated raw article (raises :class:`BadArticle`)."""
    key = entry_key(entry)
    if not key:
        raise BadArticle(
            "missing_field", "entry has neither a guid nor a link, so it cannot get a stable id"
        )
    body = ""
    for content in entry.get("content") or []:
        body = _text(content.get("value"), content.get("type"))
        if body:
            break
    if not body:
        detail = entry.get("summary_detail") or {}
        body = _text(entry.get("summary"), detail.get("type"))
    headline = _text(entry.get("title"), (entry.get("title_detail") or {}).get("type")) or None
    if not body and headline:
        # Headline-only wires exist; the headline is then all the text there is.
        body = headline
    article = {
        "id": f"rss-{stable_id(key)}",
        "body": body,
        "headline": headline,
        "uri": entry.get("link"),
        "language": language,
        "source": feed_title,
        "published_at": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
    }
    return validate_article(article, max_body_bytes)


def fetch(
    url: str, etag: str | None, modified: str | None, timeout: float = 30.0
) -> tuple[int, bytes, dict]:
    """(status, body, headers); 304 has an empty body. Raises :class:`FeedError`."""
    req = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        },
    )
    if etag:
        req.add_header("If-None-Match", etag)
    if modified:
        req.add_header("If-Modified-Since", modified)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - feed URLs are the input
            return resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", {k.lower(): v for k, v in exc.headers.items()}
        raise FeedError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedError(f"{url}: cannot fetch: {reason}") from None


@dataclass
class PollResult:
    url: str
    status: int = 0
    new: list[dict] = field(default_factory=list)
    #: The feed could not be fetched or parsed (retried at the next interval).
    error: str | None = None
    #: Entries refused, each with where and why.
    skipped: list[str] = field(default_factory=list)


class FeedPoller:
    """Polls feeds and hands new entries to ``send``; remembers what was sent in ``state``."""

    def __init__(
        self,
        feeds: Iterable[Feed],
        state: StateFile,
        send: Send,
        max_body_bytes: int = 1_000_000,
        timeout: float = 30.0,
    ) -> None:
        self.feeds = list(feeds)
        self.state_file = state
        self.state = state.load()
        self.state.setdefault("feeds", {})
        self.send = send
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    def _feed_state(self, url: str) -> dict:
        st = self.state["feeds"].setdefault(url, {})
        st.setdefault("seen", [])
        return st

    async def poll(self, feed: Feed) -> PollResult:
        """Fetch one feed once and publish its new entries."""
        st = self._feed_state(feed.url)
        result = PollResult(feed.url)
        try:
            status, body, headers = await asyncio.to_thread(
                fetch, feed.url, st.get("etag"), st.get("modified"), self.timeout
            )
        except FeedError as exc:
            result.error = str(exc)
            return result
        result.status = status
        if status == 304:
            return result
        # No content-location on purpose: feedparser would resolve a relative guid ("g1") against
        # the feed URL, and the article id would change whenever the feed moves.
        parsed = feedparser.parse(
            body, response_headers={"content-type": headers.get("content-type", "")}
        )
        if parsed.bozo and not parsed.entries:
            result.error = (
                f"{feed.url}: not an RSS/Atom feed ({parsed.get('bozo_exception')}); "
                "check that the URL points at the feed, not a web page"
            )
            return result
        meta = parsed.get("feed", {})
        title = meta.get("title") or feed.url
        language = meta.get("language") or None
        seen = set(st["seen"])
        fresh: list[tuple[str, dict]] = []
        for n, entry in enumerate(parsed.entries, 1):
            key = entry_key(entry)
            if key is not None and key in seen:
                continue
            try:
                article = entry_to_article(entry, title, language, self.max_body_bytes)
            except BadArticle as exc:
                result.skipped.append(
                    f"{feed.url}: entry {n} ({key or 'no guid'}): {exc.kind}: {exc}"
                )
                continue
            seen.add(key)  # type: ignore[arg-type]
            fresh.append((key, article))  # type: ignore[arg-type]
        if fresh:
            try:
                await self.send([a for _k, a in fresh])
            except Exception as exc:  # noqa: BLE001 - Kafka down must not end the poller
                # Nothing recorded, validators included: the next poll fetches and sends again.
                result.error = f"{feed.url}: publishing {len(fresh)} entries failed ({exc!r}); retrying next poll"
                return result
            result.new = [a for _k, a in fresh]
        # Only now, after the acknowledgement, remember the entries and the validators.
        st["seen"] = (st["seen"] + [k for k, _a in fresh])[-SEEN_LIMIT:]
        st["etag"] = headers.get("etag") or None
        st["modified"] = headers.get("last-modified") or None
        self.state_file.save(self.state)
        return result

    async def run(
        self, once: bool = False, report: Callable[[PollResult], None] | None = None
    ) -> int:
        """Poll every feed when due, forever (or each once with ``once``).

        Returns how many polls failed or skipped entries (the exit code of ``--once``).
        """
        problems = 0
        while True:
            now = time.monotonic()
            due = [f for f in self.feeds if f.next_due <= now]
            # Concurrently: one slow feed must not hold the others back by its timeout.
            results = await asyncio.gather(*(self.poll(f) for f in due))
            for feed, result in zip(due, results, strict=True):
                feed.next_due = time.monotonic() + feed.interval
                problems += bool(result.error or result.skipped)
                if report is not None:
                    report(result)
            if once:
                return problems
            await asyncio.sleep(max(0.05, min(f.next_due for f in self.feeds) - time.monotonic()))


def default_state_path(state_dir: Path) -> Path:
    return Path(state_dir) / "ingest" / "rss.json"
