"""`wirewatch tail` on the real broker: readable lines, no colour codes in a pipe."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from wirewatch.config import Settings
from wirewatch.stream.topics import ensure_topics

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_tail_statements_and_alerts(kafka_bootstrap, unique_prefix):
    settings = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=unique_prefix, partitions=1
    )
    asyncio.run(ensure_topics(settings))
    st = {
        "id": "s1",
        "kind": "direct",
        "speaker": {
            "text": "Lena Park",
            "start": 0,
            "end": 9,
            "name": "Lena Park",
            "actor_id": None,
        },
        "content": {"text": "Demand is recovering", "start": 0, "end": 20},
        "article_id": "a1",
        "headline": "Chipmaker results",
    }
    alert = {
        "id": "al1",
        "rule_id": "chip-demand",
        "article_id": "a1",
        "headline": "Chipmaker results",
        "matched": {"keywords": ["demand"], "actors": [], "statements": []},
        "created_at": "2025-01-01T00:00:00Z",
    }

    async def produce() -> None:
        prod = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await prod.start()
        try:
            await prod.send_and_wait(
                settings.topic("statements"), key=b"a1", value=json.dumps(st).encode()
            )
            await prod.send_and_wait(
                settings.topic("statements"), key=b"a1", value=b"\xff not json"
            )
            await prod.send_and_wait(
                settings.topic("alerts"), key=b"chip-demand", value=json.dumps(alert).encode()
            )
        finally:
            await prod.stop()

    asyncio.run(produce())
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": unique_prefix,
    }
    env.pop("NO_COLOR", None)

    def tail(*args: str) -> str:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "wirewatch.cli",
                "tail",
                *args,
                "--from-beginning",
                "--timeout",
                "10",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    lines = tail("statements", "--max", "2").splitlines()
    assert len(lines) == 2, lines
    assert lines[0] == "Lena Park — “Demand is recovering” — Chipmaker results"
    assert lines[1].startswith("(unreadable statement event")
    assert tail("alerts", "--max", "1").splitlines() == [
        "chip-demand — Chipmaker results — keywords: demand"
    ]
    coloured = tail("alerts", "--max", "1", "--color", "always")
    assert "\x1b[" in coloured and "chip-demand" in coloured
