"""One long-lived idempotent producer for the long-running ingest sources (HTTP, RSS, watch).

``stream.client.publish`` opens a producer per call, right for a one-shot ``wirewatch produce``;
a server publishing every few seconds keeps one open instead (one connection, one producer id,
so idempotent retries never duplicate).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from wirewatch.config import Settings
from wirewatch.records import dumps, raw_headers
from wirewatch.stream.metrics import INGESTED


class Publisher:
    """``await send(articles)`` returns once the broker acknowledged every article."""

    def __init__(self, settings: Settings, topic: str | None = None) -> None:
        self.settings = settings
        self.topic = topic or settings.topic("articles.raw")
        self._producer = None
        self.sent = 0

    async def start(self) -> None:
        from wirewatch.stream.client import producer

        self._producer = producer(self.settings)
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def __aenter__(self) -> Publisher:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def send(
        self, articles: Iterable[dict], on_ack: Callable[[int], None] | None = None
    ) -> int:
        if self._producer is None:
            raise RuntimeError("Publisher.send before start()")
        futures = [
            await self._producer.send(
                self.topic, key=a["id"].encode("utf-8"), value=dumps(a), headers=raw_headers(a)
            )
            for a in articles
        ]
        if on_ack is not None:
            for fut in futures:
                fut.add_done_callback(
                    lambda f: f.cancelled() or f.exception() is not None or on_ack(1)
                )
        await asyncio.gather(*futures)
        self.sent += len(futures)
        INGESTED.inc(len(futures))
        return len(futures)


async def publish_with_progress(
    settings: Settings, articles: list[dict], topic: str | None = None, desc: str = "publishing"
) -> int:
    """Publish a bulk of articles with a progress bar on a terminal (silent when stderr is not one)."""
    from wirewatch.ingest.progress import bar

    async with Publisher(settings, topic) as pub:
        with bar(total=len(articles), desc=desc, unit="article") as progress:
            return await pub.send(articles, on_ack=progress.update)
