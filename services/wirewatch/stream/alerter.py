"""The alerter: enriched articles -> matched alerts -> dedup/throttle -> alerts topic -> sinks.

Two thin agents, because dedup and throttle state must live on the partition that owns it:

1. ``match``: enriched articles (key = article id) -> ``<prefix>.alerts.matched`` keyed by
   rule id, carrying the enriched record's timestamp as event time.
2. ``deliver``: per rule partition, :class:`wirewatch.rules.policy.AlertPolicy` over two Faust
   tables (changelogs in Kafka, so dedup and throttle windows survive restarts and
   re-deliveries) -> ``<prefix>.alerts`` (acknowledged) -> the durable sink outbox.

Rules change without a restart: the rules file is watched and the shared rules topic followed
(:mod:`wirewatch.rules.live`, :mod:`wirewatch.stream.rules_topic`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import dumps, loads
from wirewatch.rules.policy import AlertPolicy, SeenExpiry
from wirewatch.stream import metrics
from wirewatch.stream.batching import take_batches
from wirewatch.stream.common import (
    Sends,
    ce_headers,
    dead_letter_send,
    log,
    make_app,
    raw_topic,
    send_all,
)


def build_alerter(
    settings: Settings, rules: Any, router: Any | None = None, *, follow_topic: bool = True
) -> faust.App:
    """``rules``: a :class:`wirewatch.rules.live.LiveRules` (or a plain RuleSet, used as is);
    ``router``: a :class:`wirewatch.rules.sinks.SinkRouter`, ideally with an outbox."""
    from wirewatch.rules.live import LiveRules

    if not isinstance(rules, LiveRules):
        fixed = rules
        rules = LiveRules()
        rules.ruleset = fixed
    live: LiveRules = rules
    app = make_app(settings, "alerter")
    enriched_t = raw_topic(app, settings.topic("articles.enriched"))
    matched_t = app.topic(settings.topic("alerts.matched"), key_type=bytes, value_type=bytes,
                          key_serializer="raw", value_serializer="raw",
                          partitions=settings.partitions, internal=True)  # fmt: skip
    alerts_t = raw_topic(app, settings.topic("alerts"))
    dead_t = raw_topic(app, settings.topic("deadletter"))
    seen = app.Table("alerts-seen", key_type=str, partitions=settings.partitions)
    windows = app.Table("alerts-throttle", key_type=str, partitions=settings.partitions)
    policy = AlertPolicy.for_ruleset(live.ruleset, seen, windows)
    expiry = SeenExpiry(settings.alert_dedup_ttl)
    loop_state: dict[str, Any] = {"reloading": False, "generation": None}

    def refresh_policy() -> None:
        policy.throttles = {r.id: r.throttle for r in live.ruleset if r.throttle}

    @app.agent(enriched_t, name="alerter")
    async def match(stream: faust.StreamT) -> None:
        # Idle-start batches (as the enricher's): a lone article is matched at once, a backlog in
        # batches of up to WIREWATCH_BATCH_SIZE; no window timer waking an idle alerter.
        async for events in take_batches(stream, settings.batch_size):
            sends: Sends = []
            ruleset = live.ruleset
            for event in events:
                msg = event.message
                try:
                    alerts = ruleset.match(loads(msg.value))
                except Exception as exc:  # noqa: BLE001 - a bad event must not stop alerting
                    log.error(
                        "alerting failed at %s[%s]@%s: %r",
                        msg.topic,
                        msg.partition,
                        msg.offset,
                        exc,
                    )
                    sends.append(
                        dead_letter_send(dead_t, msg, "alerting_failed", repr(exc), "alerter")
                    )
                    metrics.DEADLETTERS.labels("alerting_failed").inc()
                    continue
                at = msg.timestamp or time.time()  # Faust gives seconds (float)
                for a in alerts:
                    sends.append(
                        (matched_t, a["rule_id"].encode("utf-8"), dumps({**a, "event_time": at}))
                    )
            await send_all(sends)
            # Offsets are released only once the broker has the batch's matches.
            for event in events:
                await stream.ack(event)
            metrics.ARTICLES_IN.inc(len(events))
            metrics.observe_lag(app, events)

    @app.agent(matched_t, name="alert-deliver")
    async def deliver(stream: faust.StreamT) -> None:
        # One event at a time: table writes go to the changelog partition of the current event.
        async for event in stream.events():
            alert = loads(event.message.value)
            at = float(alert.pop("event_time", time.time()))
            decision = policy.decide(alert, at)
            out = decision.alert
            if out is not None:
                fut = await alerts_t.send(
                    key=alert["rule_id"].encode("utf-8"),
                    value=dumps(out),
                    headers=ce_headers("alert", out["id"]),
                )
                metrics.ALERTS.inc()
                await fut  # on the topic before the state says "sent"
                if router is not None:
                    router.send(out)  # journalled now, delivered by the outbox threads
            policy.commit(decision)
            forget_expired(event.message.partition, decision.seen, at)

    def forget_expired(partition: int, remembered: dict[str, float], at: float) -> None:
        """Bound the dedup table: ids older than WIREWATCH_ALERT_DEDUP_TTL (event time) are deleted
        while an event of their partition is current, so the tombstone lands in their changelog."""
        if expiry.ttl <= 0:
            return
        if loop_state["generation"] != app.consumer_generation_id:
            # After a rebalance: ids restored from the changelog join the expiry order too.
            loop_state["generation"] = app.consumer_generation_id
            restored = getattr(seen.data, "_key_partition", {})  # Faust's memory store keeps it
            expiry.adopt(
                (p, k, float(seen.data[k])) for k, p in list(restored.items()) if k in seen.data
            )
        expiry.track(partition, remembered)
        for key in expiry.expired(partition, at):
            seen.pop(key, None)

    @app.timer(interval=max(0.5, settings.rules_watch or 3600.0))
    async def watch_rules_file() -> None:
        if not settings.rules_watch or loop_state["reloading"] or not live.file_changed():
            return
        loop_state["reloading"] = True
        try:
            if await asyncio.get_running_loop().run_in_executor(None, live.reload_file):
                refresh_policy()
        finally:
            loop_state["reloading"] = False

    if follow_topic:

        @app.task
        async def follow_rules_topic() -> None:
            from wirewatch.stream.rules_topic import RulesFeed

            feed = RulesFeed(settings)
            await feed.start()
            try:
                if await feed.catch_up():
                    await _apply(feed.rules)
                while True:
                    if await feed.poll(1.0):
                        await feed.catch_up()
                        await _apply(feed.rules)
            finally:
                await feed.stop()

        async def _apply(rules: dict[str, dict]) -> None:
            snapshot = dict(rules)
            await asyncio.get_running_loop().run_in_executor(None, live.set_topic_rules, snapshot)
            refresh_policy()

    return app
