"""Shared fixtures: one Kafka broker for the whole test session.

``kafka_bootstrap`` finds a broker in this order, so a developer's running broker is reused and
nothing touches Docker unless it is really there:

1. ``WIREWATCH_KAFKA_BOOTSTRAP``, if set (it must answer);
2. a broker already answering at 127.0.0.1:9092 (e.g. ``wirewatch broker start``);
3. a Kafka container via testcontainers, if a Docker engine answers;
4. the local JDK broker (``wirewatch.broker.start``), stopped again at the end of the session.

Tests share the broker, so each one names its topics with ``unique_prefix``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from wirewatch import broker
from wirewatch.config import Settings


def _docker_engine_answers() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    named = os.environ.get("WIREWATCH_KAFKA_BOOTSTRAP", "")
    if named:
        if not broker.is_reachable(named, timeout=10.0):
            pytest.fail(
                f"WIREWATCH_KAFKA_BOOTSTRAP={named} does not answer; start it or unset the variable"
            )
        yield named
        return

    if broker.is_reachable(broker.LOCAL_BOOTSTRAP, timeout=5.0):
        yield broker.LOCAL_BOOTSTRAP
        return

    if _docker_engine_answers():
        try:
            from testcontainers.community.kafka import KafkaContainer
        except ImportError:
            from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield container.get_bootstrap_server()
        return

    settings = Settings.from_env()
    try:
        bootstrap = broker.start(settings, timeout=120.0)
    except broker.BrokerError as exc:
        pytest.fail(f"could not start the local Kafka broker: {exc}")
    try:
        yield bootstrap
    finally:
        broker.stop(settings)


@pytest.fixture
def unique_prefix() -> str:
    """A topic prefix no other test (or earlier run) uses: ``wwtest1a2b3c4d``."""
    return f"wwtest{uuid.uuid4().hex[:8]}"
