"""Faust's aiokafka transport with two fixes that at-least-once delivery needs.

- An idempotent producer: Faust turns on ``enable_idempotence`` only inside exactly-once
  transactions, yet at-least-once delivery retries sends too, and without idempotence a retry
  after a lost acknowledgement writes a record twice.
- No record is consumed and then dropped around a rebalance. faust-streaming loses records two
  ways there, and then hides the loss: a record that arrives after a hole in its partition makes
  Faust count the hole as processed, so the next commit moves past records no agent saw. Both
  losses showed as alerts missing after an alerter was restarted (tests/integration/test_faults.py):
  1. Faust hands aiokafka its *live* set of active partitions for a fetch. When recovery pauses the
     changelog partitions, the set empties while the fetch waits, and aiokafka reads an empty set as
     "every partition": it returns, and moves past, records of partitions Faust still holds paused,
     which Faust then filters out. The fetch gets a copy instead.
  2. Recovery resumes newly assigned partitions before seeking them to their committed offsets
     (faust-streaming issue 216); records fetched in between are queued and then discarded when the
     seek resets Faust's read offset. Such partitions are held back until the seek is done.

Registered as the ``wirewatch://`` broker scheme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

SCHEME = "wirewatch"


class IdempotentProducer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class SafeFetchConsumer(faust_aiokafka.Consumer):
    """Faust's consumer without the two record losses around a rebalance (see module doc)."""

    _unsought: frozenset[TP] = frozenset()
    _held: frozenset[TP] = frozenset()

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        self._unsought = frozenset(tp for tp in assigned if not self._is_changelog_tp(tp))
        self._held = frozenset()
        await super().on_partitions_assigned(assigned, generation_id)

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        tps = set(tps)
        hold = tps & self._unsought
        self._held |= hold
        super().resume_partitions(tps - hold)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        frozen = None if active_partitions is None else frozenset(active_partitions)
        return await super()._getmany(frozen, timeout)

    async def perform_seek(self) -> None:
        await super().perform_seek()
        held = self._held & self.assignment()
        self._unsought = self._held = frozenset()
        if held:
            super().resume_partitions(held)


class Transport(faust_aiokafka.Transport):
    Consumer = SafeFetchConsumer
    Producer = IdempotentProducer


TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"
