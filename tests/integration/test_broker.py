"""The local broker recipe and the shared broker fixture, against a real Kafka."""

from __future__ import annotations

import asyncio
import os
import socket
import time

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from wirewatch import broker
from wirewatch.config import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _local_settings(kafka_bootstrap: str) -> Settings:
    """Settings for the broker wirewatch itself manages; skip when the fixture's is another."""
    settings = Settings.from_env()
    if settings.external_broker or kafka_bootstrap != broker.LOCAL_BOOTSTRAP:
        pytest.skip("the test broker is not wirewatch's local broker")
    if broker.status(settings)["pid"] is None:
        pytest.skip("a broker wirewatch did not start answers at 127.0.0.1:9092")
    return settings


@pytest.mark.integration
async def test_produce_consume_round_trip(kafka_bootstrap: str, unique_prefix: str) -> None:
    topic = f"{unique_prefix}.roundtrip"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    finally:
        await admin.close()

    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(
            topic, key=b"article-1", value=b'{"title":"hello"}', headers=[("ce_type", b"test")]
        )
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"{unique_prefix}.group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        msg = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()

    assert (msg.topic, msg.partition, msg.offset) == (topic, sent.partition, sent.offset)
    assert msg.key == b"article-1"
    assert msg.value == b'{"title":"hello"}'
    assert list(msg.headers) == [("ce_type", b"test")]


@pytest.mark.integration
async def test_is_reachable_inside_a_running_event_loop(kafka_bootstrap: str) -> None:
    assert broker.is_reachable(kafka_bootstrap, timeout=10.0)


@pytest.mark.integration
def test_status_of_the_fixture_broker_as_external(kafka_bootstrap: str) -> None:
    info = broker.status(Settings(bootstrap=kafka_bootstrap, external_broker=True))
    assert info["running"] and info["reachable"] and info["external"]
    assert info["bootstrap"] == kafka_bootstrap
    assert info["pid"] is None


@pytest.mark.integration
def test_status_reports_the_local_broker_running(kafka_bootstrap: str) -> None:
    settings = _local_settings(kafka_bootstrap)
    info = broker.status(settings)
    assert info["running"] and info["reachable"] and not info["external"]
    assert info["bootstrap"] == "127.0.0.1:9092"
    assert isinstance(info["pid"], int) and info["pid"] > 0
    assert broker.log_file(settings).is_file()


@pytest.mark.integration
def test_start_when_running_is_a_quick_no_op(kafka_bootstrap: str) -> None:
    settings = _local_settings(kafka_bootstrap)
    pid = broker.status(settings)["pid"]
    began = time.monotonic()
    assert broker.start(settings, timeout=30.0) == broker.LOCAL_BOOTSTRAP
    assert time.monotonic() - began < 10
    assert broker.status(settings)["pid"] == pid


# These need no broker.


def test_is_reachable_is_false_and_fast_for_a_closed_port() -> None:
    began = time.monotonic()
    assert not broker.is_reachable(f"127.0.0.1:{_free_port()}", timeout=5.0)
    assert time.monotonic() - began < 2


def test_external_broker_is_never_started_or_stopped(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(os, "kill", lambda *a: pytest.fail("must not signal any process"))
    bootstrap = f"127.0.0.1:{_free_port()}"
    settings = Settings(bootstrap=bootstrap, external_broker=True, state_dir=tmp_path)
    assert broker.start(settings) == bootstrap
    broker.stop(settings)
    info = broker.status(settings)
    assert info == {
        "running": False,
        "pid": None,
        "bootstrap": bootstrap,
        "external": True,
        "reachable": False,
        "log": None,
    }
    assert not (tmp_path / "kafka").exists()


def test_rendered_server_properties(tmp_path) -> None:
    settings = Settings(state_dir=tmp_path, partitions=3)
    text = broker.render_config(settings).read_text()
    props = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    assert "${" not in text
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:9093"
    assert props["log.dirs"] == str(tmp_path / "kafka" / "data")
    assert props["num.partitions"] == "3"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "true"


def test_no_pid_file_means_not_running(tmp_path) -> None:
    settings = Settings(state_dir=tmp_path)
    (tmp_path / "kafka").mkdir()
    (tmp_path / "kafka" / "broker.pid").write_text("999999999\n")
    assert broker._running_pid(settings) is None
    assert not (tmp_path / "kafka" / "broker.pid").exists()
