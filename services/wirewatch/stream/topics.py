"""Create wirewatch's topics on the broker before any agent subscribes.

Relying on broker auto-creation would give the raw topic whatever partition count the broker
defaults to; declaring them here keeps partitions (and so parallelism) under our control.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from wirewatch.config import Settings
from wirewatch.security import aiokafka_kwargs


def _all_led(descriptions: list[dict]) -> bool:
    return all(
        d.get("error_code", 0) == 0
        and d.get("partitions")
        and all(p.get("leader", -1) >= 0 for p in d["partitions"])
        for d in descriptions
    )


async def ensure_topics(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create any missing wirewatch topic; returns the names it created."""
    admin = AIOKafkaAdminClient(**aiokafka_kwargs(settings), request_timeout_ms=int(timeout * 1000))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        # alerts.matched is the alerter's internal hand-over topic. Faust would declare it itself,
        # but if its consumer subscribes before the topic exists the partition assignor drops it
        # ("Ignoring missing topic") and never delivers an alert; so it exists before any worker.
        wanted = [*settings.topics.values(), settings.topic("alerts.matched")]
        missing = [name for name in wanted if name not in existing]
        if missing:
            new = [
                NewTopic(name, num_partitions=settings.partitions, replication_factor=1)
                for name in missing
            ]
            # Another process may create them between our list and create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
        # New topics get partition leaders asynchronously; clients that race ahead log
        # NotLeaderForPartition errors, so wait until every partition has a leader.
        names = wanted
        for _ in range(100):
            if set(names) <= set(await admin.list_topics()) and _all_led(
                await admin.describe_topics(names)
            ):
                break
            await asyncio.sleep(0.1)
        return missing
    finally:
        await admin.close()
