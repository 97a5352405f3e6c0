"""The alerter agent: enriched articles -> alerts on the alerts topic, then to sinks."""

from __future__ import annotations

from typing import Any

import faust

from wirewatch.config import Settings
from wirewatch.records import deadletter, dumps, loads
from wirewatch.stream.common import Sends, log, make_app, raw_topic, send_all


def build_alerter(settings: Settings, ruleset: Any, router: Any | None = None) -> faust.App:
    """Alerter: enriched articles -> alerts on the topic, then to the rule's sinks via ``router``
    (a :class:`wirewatch.rules.sinks.SinkRouter`)."""
    app = make_app(settings, "alerter")
    enriched_t = raw_topic(app, settings.topic("articles.enriched"))
    alerts_t = raw_topic(app, settings.topic("alerts"))
    dead_t = raw_topic(app, settings.topic("deadletter"))

    @app.agent(enriched_t, name="alerter")
    async def alert(stream: faust.StreamT) -> None:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout):
            sends: Sends = []
            fired: list[dict] = []
            for event in events:
                msg = event.message
                try:
                    alerts = ruleset.match(loads(msg.value))
                except Exception as exc:  # noqa: BLE001 - a bad event must not stop alerting
                    log.error("alerting failed at %s[%s]@%s: %r", msg.topic, msg.partition, msg.offset, exc)
                    dl = deadletter(msg.value or b"", "alerting_failed", repr(exc), topic=msg.topic,
                                    stage="alerter", partition=msg.partition, offset=msg.offset)
                    sends.append((dead_t, msg.key, dumps(dl)))
                    continue
                for a in alerts:
                    sends.append((alerts_t, a["rule_id"].encode("utf-8"), dumps(a)))
                    fired.append(a)
            await send_all(sends)
            # Sinks only after the topic has the alerts: a failing sink never loses one.
            for a in fired:
                if router is not None:
                    router.send(a)

    return app
