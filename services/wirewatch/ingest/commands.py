"""The ``wirewatch ingest ...`` commands: wire a source to one long-lived Kafka producer.

The sources (``rss``, ``http``, ``watch``) take a ``send`` coroutine and know nothing about
Kafka; here they get a :class:`~wirewatch.ingest.publisher.Publisher` and report to stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from wirewatch.config import Settings
from wirewatch.ingest.publisher import Publisher
from wirewatch.ingest.state import StateFile
from wirewatch.stream.topics import ensure_topics


def _say(message: str) -> None:
    print(f"wirewatch: {message}", file=sys.stderr, flush=True)


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _run_stoppable(coro) -> object:
    """Run ``coro`` until it returns or SIGINT/SIGTERM arrives (then cancel it cleanly)."""
    task = asyncio.ensure_future(coro)
    stopper = asyncio.ensure_future(_until_stopped())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for t in (task, stopper):
        if t not in done:
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t
    return task.result() if task in done else None


def rss(
    settings: Settings,
    urls: list[str],
    feeds_file: str | None,
    interval: float,
    once: bool,
    state_path: str | None,
) -> int:
    from wirewatch.ingest import rss as source

    feeds = [source.make_feed(u, interval) for u in urls]
    if feeds_file:
        feeds += source.parse_feeds_file(feeds_file, interval)
    if not feeds:
        raise source.FeedsFileError("no feeds: give FEED_URL... or --feeds FILE")
    state = StateFile(state_path or source.default_state_path(settings.state_dir))

    def report(r: source.PollResult) -> None:
        if r.error:
            _say(f"warning: {r.error}")
        for line in r.skipped:
            _say(f"skipped {line}")
        if r.new:
            _say(f"{r.url}: published {len(r.new)} new article(s)")
        elif r.status == 304 and once:
            _say(f"{r.url}: not modified")

    async def main() -> int:
        await ensure_topics(settings)
        async with Publisher(settings) as pub:
            poller = source.FeedPoller(feeds, state, pub.send, settings.max_body_bytes)
            _say(f"polling {len(feeds)} feed(s) -> {pub.topic}; state in {state.path}")
            problems = await _run_stoppable(poller.run(once=once, report=report))
            return 1 if problems else 0

    return asyncio.run(main())


def watch(
    settings: Settings,
    directory: str,
    interval: float,
    once: bool,
    settle: float,
    state_path: str | None,
) -> int:
    from wirewatch.ingest import watch as source

    if not Path(directory).is_dir():
        raise FileNotFoundError(
            f"{directory}: no such directory; create it or give the directory to watch"
        )
    state = StateFile(state_path or source.default_state_path(settings.state_dir, directory))

    def report(r: source.ScanResult) -> None:
        if r.error:
            _say(f"warning: {r.error}")
        for line in r.skipped:
            _say(f"skipped {line}")
        if r.published:
            _say(f"published {len(r.published)} article(s) from {len(r.files)} file(s)")

    async def main() -> int:
        await ensure_topics(settings)
        async with Publisher(settings) as pub:
            watcher = source.DirectoryWatcher(
                directory, state, pub.send, settings.max_body_bytes, settle
            )
            _say(f"watching {directory} every {interval:g}s -> {pub.topic}; state in {state.path}")
            problems = await _run_stoppable(watcher.run(interval, once=once, report=report))
            return 1 if problems else 0

    return asyncio.run(main())


def http(settings: Settings, host: str, port: int, max_request_bytes: int) -> int:
    from wirewatch.ingest import http as source

    async def main() -> int:
        await ensure_topics(settings)
        async with Publisher(settings) as pub:
            app = source.build_app(pub.send, settings.max_body_bytes, max_request_bytes)
            runner, url = await source.serve(app, host, port)
            _say(f"listening on {url} (POST /articles, GET /healthz) -> {pub.topic}")
            try:
                await _until_stopped()
            finally:
                await runner.cleanup()
        return 0

    return asyncio.run(main())
