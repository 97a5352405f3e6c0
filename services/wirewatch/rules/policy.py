"""Dedup and throttling of matched alerts: pure logic over two key-value stores.

The alerter agent passes Faust tables (backed by compacted Kafka changelogs, so the state
survives restarts and re-deliveries); ``wirewatch alerts test`` passes plain dicts. Both call
:meth:`AlertPolicy.admit` with the same arguments, so the offline command is the live path's twin.

- Dedup: one alert per (rule, article id). The store maps the alert id to the time it was sent.
  :class:`SeenExpiry` forgets ids older than a TTL (event time), so the store stays bounded on a
  stream that never ends; a re-delivery older than the TTL would alert again.
- Throttle: a rule with ``throttle: 10m`` sends at most one alert per window (per group with
  ``group_by``); matches inside the window are counted, and the next alert that goes out
  carries that count as ``suppressed``. The window starts at the alert that went out.

Times are event times in seconds (the enriched record's Kafka timestamp in the agent), so a
re-delivered record is judged as it was the first time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any


def throttle_key(alert: dict) -> str:
    """The throttle state key: the rule, and the group when the rule groups."""
    group = alert.get("group")
    return f"{alert['rule_id']}|{group}" if "group" in alert else alert["rule_id"]


class AlertPolicy:
    """Decides which matched alerts go out. ``throttles`` maps rule id -> window seconds."""

    def __init__(
        self,
        seen: MutableMapping[str, Any],
        windows: MutableMapping[str, Any],
        throttles: dict[str, float] | None = None,
    ) -> None:
        self.seen = seen
        self.windows = windows
        self.throttles = dict(throttles or {})

    @classmethod
    def for_ruleset(cls, ruleset: Any, seen=None, windows=None) -> AlertPolicy:
        return cls(
            seen if seen is not None else {},
            windows if windows is not None else {},
            {r.id: r.throttle for r in ruleset if r.throttle},
        )

    def decide(self, alert: dict, at: float) -> Decision:
        """What to do with a matched alert, without changing any state (see :meth:`commit`).

        The agent sends ``decision.alert`` (when not None) and waits for the broker before it
        commits, so a crash in between re-sends (same id) rather than loses an alert."""
        if alert["id"] in self.seen:
            return Decision(None, {})
        window = self.throttles.get(alert["rule_id"])
        if not window:
            return Decision(alert, {alert["id"]: at})
        key = throttle_key(alert)
        state = self.windows.get(key)
        if state and state["start"] - window < at < state["start"] + window:
            # Inside the window: count it (once: the alert id is remembered too).
            new = {**state, "suppressed": state["suppressed"] + 1}
            return Decision(None, {alert["id"]: at}, (key, new))
        suppressed = state["suppressed"] if state else 0
        return Decision({**alert, "suppressed": suppressed}, {alert["id"]: at},
                        (key, {"start": at, "suppressed": 0}))  # fmt: skip

    def commit(self, decision: Decision) -> None:
        for key, value in decision.seen.items():
            self.seen[key] = value
        if decision.window is not None:
            self.windows[decision.window[0]] = decision.window[1]

    def admit(self, alert: dict, at: float) -> dict | None:
        """:meth:`decide` and :meth:`commit` in one: the alert to send, or None."""
        decision = self.decide(alert, at)
        self.commit(decision)
        return decision.alert


@dataclass(frozen=True)
class Decision:
    #: The alert to send (with ``suppressed`` for throttled rules), or None.
    alert: dict | None
    #: Alert ids to remember as handled.
    seen: dict[str, float]
    #: (throttle key, new window state), when the throttle state changes.
    window: tuple[str, dict] | None = None


class SeenExpiry:
    """Which remembered alert ids are older than ``ttl`` seconds, per partition of the store.

    Kept per partition because the live store is a Faust table: an id may only be deleted while
    an event of the partition that wrote it is processed (the tombstone goes to that partition's
    changelog). Ids are held in arrival order; event times are nearly monotonic per partition, so
    expiring from the front is enough (an out-of-order id waits for the ones before it)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.order: dict[int, OrderedDict[str, float]] = {}

    def __len__(self) -> int:
        return sum(len(o) for o in self.order.values())

    def track(self, partition: int, seen: dict[str, float]) -> None:
        if self.ttl > 0:
            self.order.setdefault(partition, OrderedDict()).update(seen)

    def adopt(self, entries: Iterable[tuple[int, str, float]]) -> None:
        """Ids restored from the changelog after a restart (``(partition, id, time)``): they go
        before the ids seen since, oldest first."""
        restored: dict[int, OrderedDict[str, float]] = {}
        for partition, key, at in sorted(entries, key=lambda e: e[2]):
            if key not in self.order.get(partition, ()):
                restored.setdefault(partition, OrderedDict())[key] = at
        for partition, older in restored.items():
            older.update(self.order.get(partition, {}))
            self.order[partition] = older

    def expired(self, partition: int, now: float) -> list[str]:
        """Ids of ``partition`` older than ``ttl`` at event time ``now``; they are forgotten here."""
        order = self.order.get(partition)
        out: list[str] = []
        while order and next(iter(order.values())) < now - self.ttl:
            out.append(order.popitem(last=False)[0])
        return out


def event_time(article: dict) -> float:
    """Offline event time of an article: ``published_at`` when it parses, else now."""
    import time
    from datetime import UTC, datetime

    value = article.get("published_at")
    if isinstance(value, str) and value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return time.time()
        return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()
    return time.time()
