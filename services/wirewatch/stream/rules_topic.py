"""The shared rules topic ``<prefix>.rules``: compacted, one partition, key = rule id.

``wirewatch rules publish FILE`` makes the topic hold exactly the file's rules (validated first;
rules no longer in the file get a tombstone). Every alerter instance reads the whole topic (no
consumer group) and keeps following it, so all instances share one rule set.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import orjson
import yaml
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from wirewatch.config import Settings


def rules_topic(settings: Settings) -> str:
    return settings.topic("rules")


async def ensure_rules_topic(settings: Settings) -> str:
    name = rules_topic(settings)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap)
    await admin.start()
    try:
        if name not in set(await admin.list_topics()):
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(
                    name, num_partitions=1, replication_factor=1,
                    topic_configs={"cleanup.policy": "compact"})])  # fmt: skip
        for _ in range(100):
            desc = await admin.describe_topics([name])
            if (
                desc
                and desc[0].get("error_code", 0) == 0
                and all(p.get("leader", -1) >= 0 for p in desc[0].get("partitions") or [{}])
            ):
                break
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    return name


class RulesFeed:
    """Follows the rules topic: ``rules`` maps rule id -> the rule as written (a dict)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = rules_topic(settings)
        self.rules: dict[str, dict] = {}
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        await ensure_rules_topic(self.settings)
        self._consumer = AIOKafkaConsumer(bootstrap_servers=self.settings.bootstrap,
                                          enable_auto_commit=False, group_id=None)  # fmt: skip
        await self._consumer.start()
        tp = TopicPartition(self.topic, 0)
        self._consumer.assign([tp])
        await self._consumer.seek_to_beginning(tp)
        self._tp = tp

    async def catch_up(self, timeout: float = 30.0) -> bool:
        """Read to the current end of the topic; True when the rules changed."""
        assert self._consumer is not None
        end = (await self._consumer.end_offsets([self._tp]))[self._tp]
        changed = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await self._consumer.position(self._tp) < end and loop.time() < deadline:
            changed |= await self.poll(0.5)
        return changed

    async def poll(self, timeout: float = 1.0) -> bool:
        assert self._consumer is not None
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000))
        changed = False
        for records in batches.values():
            for rec in records:
                key = rec.key.decode("utf-8") if rec.key else ""
                if rec.value is None:
                    changed |= self.rules.pop(key, None) is not None
                    continue
                try:
                    rule = orjson.loads(rec.value)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(rule, dict) and self.rules.get(key) != rule:
                    self.rules[key] = rule
                    changed = True
        return changed

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()


def read_rules_document(path: str | Path) -> dict:
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    return orjson.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)


async def publish_rules(
    settings: Settings, path: str | Path, actors: Any = None
) -> tuple[int, int]:
    """Validate ``path`` and make the rules topic hold exactly its rules.

    Returns (rules sent, rules removed). Raises :class:`~wirewatch.rules.RulesError` first if
    the file is invalid, so a bad file never reaches the alerters.
    """
    from wirewatch.rules import load_rules

    ruleset = load_rules(path, actors=actors)
    doc = read_rules_document(path)
    by_id = {str(item["id"]).strip(): item for item in doc["rules"]}
    assert set(by_id) == {r.id for r in ruleset}
    feed = RulesFeed(settings)
    await feed.start()
    try:
        await feed.catch_up()
    finally:
        await feed.stop()
    stale = sorted(set(feed.rules) - set(by_id))
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap, acks="all",
                                enable_idempotence=True)  # fmt: skip
    await producer.start()
    try:
        futures = []
        for rid, item in by_id.items():
            if feed.rules.get(rid) != item:
                futures.append(
                    await producer.send(feed.topic, key=rid.encode(), value=orjson.dumps(item))
                )
        for rid in stale:
            futures.append(await producer.send(feed.topic, key=rid.encode(), value=None))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return len(by_id), len(stale)
