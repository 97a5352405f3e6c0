"""Faust's aiokafka transport with the fixes that at-least-once delivery needs.

- An idempotent producer: Faust turns on ``enable_idempotence`` only inside exactly-once
  transactions, yet at-least-once delivery retries sends too, and without idempotence a retry
  after a lost acknowledgement writes a record twice.
- No record is consumed and then dropped around a rebalance. faust-streaming loses records three
  ways there, and then hides the loss: a record that arrives after a hole in its partition makes
  Faust count the hole as processed, so the next commit moves past records no agent saw. The
  losses showed as alerts missing after an alerter restart and as articles never enriched after
  a second worker joined (tests/integration/test_faults.py, test_workers.py):
  1. Faust hands aiokafka its *live* set of active partitions for a fetch. When recovery pauses the
     changelog partitions, the set empties while the fetch waits, and aiokafka reads an empty set as
     "every partition". The fetch gets a copy instead.
  2. A fetch that returns after a rebalance can carry records of partitions Faust has paused
     meanwhile; Faust filters them out while aiokafka has already moved past them, and with no
     committed offset yet the later seek does not move back. Such records are handed back: the
     partition is sought to the first of them.
  3. Recovery resumes newly assigned partitions before seeking them to their committed offsets
     (faust-streaming issue 216); records fetched in between are queued and then discarded when the
     seek resets Faust's read offset. Such partitions are held back until the seek is done: a
     seek that began after the hold, in the same assignment (when two workers join under load,
     the seek of the first assignment returns during the second; tests/unit/test_safe_fetch.py).

Registered as the ``wirewatch://`` broker scheme.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

SCHEME = "wirewatch"

#: Seconds a newly assigned partition may stay held after recovery resumed it. Recovery seeks
#: right after it resumes (seconds at most, also under load), so a longer hold means that seek
#: never came, and the partition would wait for the next rebalance: it is sought and released.
HOLD_LIMIT = 30.0

log = logging.getLogger(__name__)


class IdempotentProducer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class SafeFetchConsumer(faust_aiokafka.Consumer):
    """Faust's consumer without the record losses around a rebalance (see module doc)."""

    _unsought: frozenset[TP] = frozenset()
    _held: frozenset[TP] = frozenset()
    #: Counts assignments. Seeks overlap them: the seek that recovery of one generation awaits
    #: can return after the next generation was assigned (two workers joining under load), and
    #: the fetch loop also seeks whenever it finds flow stopped.
    _epoch: int = 0
    _held_at: float = 0.0
    _checked_at: float = 0.0
    _checked: tuple[int, frozenset[TP]] = (0, frozenset())

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        self._epoch += 1
        self._unsought = frozenset(tp for tp in assigned if not self._is_changelog_tp(tp))
        self._held = frozenset()
        await super().on_partitions_assigned(assigned, generation_id)

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        tps = set(tps)
        hold = tps & self._unsought
        if hold and not self._held:
            self._held_at = time.monotonic()
        self._held |= hold
        super().resume_partitions(tps - hold)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        frozen = None if active_partitions is None else frozenset(active_partitions)
        return await super()._getmany(frozen, timeout)

    async def _wait_next_records(self, timeout: float) -> Any:
        if self._held and time.monotonic() - self._held_at > HOLD_LIMIT:
            log.warning(
                "partitions %s held %.0f s after recovery resumed them, with no seek since: "
                "seeking them to their committed offsets and releasing them",
                ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(self._held)),
                time.monotonic() - self._held_at,
            )
            self._held_at = time.monotonic()
            await self.perform_seek()
        self._report_paused()
        records, active = await super()._wait_next_records(timeout)
        if records and active is not None:
            keep = active | self._buffered_partitions
            assigned = self.assignment()
            for tp in [tp for tp in records if tp not in keep]:
                dropped = records.pop(tp)
                if tp in assigned:
                    await self.seek(tp, dropped[0].offset)
        return records, active

    def _report_paused(self) -> None:
        """Faust pauses a stream partition only while it rebalances or recovers: one still
        paused a check later, in the same assignment and out of recovery, is stalled (its records
        wait for the next rebalance). Said in the log, where the bench and operators look."""
        now = time.monotonic()
        if now - self._checked_at < HOLD_LIMIT:
            return
        self._checked_at = now
        paused = frozenset(tp for tp in self._paused_partitions if not self._is_changelog_tp(tp))
        epoch, before = self._checked
        self._checked = (self._epoch, paused)
        stuck = paused & before if epoch == self._epoch else frozenset()
        if stuck and not self.app.in_recovery:
            log.warning(
                "partitions %s paused for over %.0f s with no rebalance or recovery since: "
                "their records wait until the next rebalance (held back: %s)",
                ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(stuck)),
                HOLD_LIMIT,
                ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(self._held)) or "none",
            )

    async def perform_seek(self) -> None:
        # Only a seek that began after a partition was held, in the same assignment, has put it
        # at its committed offset: a seek begun before the hold (or before a newer assignment)
        # may have sought it already and would release it to a fetch that the recovery's own
        # seek then discards, or release the newer assignment's partitions with no seek at all.
        epoch, held = self._epoch, self._held
        await super().perform_seek()
        if epoch != self._epoch:
            return
        held &= self.assignment()
        self._held -= held
        self._unsought -= held
        if held:
            super().resume_partitions(held)


class Transport(faust_aiokafka.Transport):
    Consumer = SafeFetchConsumer
    Producer = IdempotentProducer


TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"
