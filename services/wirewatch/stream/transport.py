"""Faust's aiokafka transport with an idempotent producer.

Faust turns on ``enable_idempotence`` only inside exactly-once transactions; at-least-once
delivery still retries sends, and without idempotence a retry after a lost acknowledgement writes
a record twice. Registered as the ``wirewatch://`` broker scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faust.transport.drivers import TRANSPORTS
from faust.transport.drivers import aiokafka as faust_aiokafka

SCHEME = "wirewatch"


class IdempotentProducer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class Transport(faust_aiokafka.Transport):
    Producer = IdempotentProducer


TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"
