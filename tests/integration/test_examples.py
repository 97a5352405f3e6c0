"""examples/ run as documented against the real broker."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from wirewatch.config import Settings
from wirewatch.stream.topics import ensure_topics

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def statement(sid: str, name: str | None, actor_id: str | None, text: str, headline: str) -> dict:
    speaker = (
        None
        if name is None
        else {"text": name, "start": 0, "end": len(name), "name": name, "actor_id": actor_id}
    )
    return {
        "id": sid,
        "kind": "direct",
        "speaker": speaker,
        "cue": None,
        "content": {"text": text, "start": 0, "end": len(text)},
        "reported_by": None,
        "confidence": 0.9,
        "article_id": f"art-{sid}",
        "article_version": 1,
        "headline": headline,
    }


def test_follow_speaker_prints_only_that_speaker(kafka_bootstrap, unique_prefix, tmp_path):
    settings = Settings(
        bootstrap=kafka_bootstrap, external_broker=True, topic_prefix=unique_prefix, partitions=2
    )
    asyncio.run(ensure_topics(settings))
    events = [
        statement(
            "1",
            "Jens Stoltenberg",
            "jens-stoltenberg",
            "We will not send troops",
            "NATO chief in Kyiv",
        ),
        statement("2", "Dmytro Kuleba", "dmytro-kuleba", "No need to fear", "Kuleba on NATO"),
        statement("3", None, None, "Unattributed words", "Somebody said"),
        statement(
            "4", "Jens Stoltenberg", "jens-stoltenberg", "Support will continue", "NATO summit"
        ),
    ]

    async def produce() -> None:
        prod = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await prod.start()
        try:
            for ev in events:  # one partition key per article, as the enricher does
                await prod.send_and_wait(
                    settings.topic("statements"),
                    key=ev["article_id"].encode(),
                    value=json.dumps(ev).encode(),
                )
        finally:
            await prod.stop()

    asyncio.run(produce())
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": unique_prefix,
    }
    # The example follows forever; read its lines until both statements arrived (or 30 s), then stop it.
    with open(tmp_path / "err.log", "w") as err_file:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "examples" / "follow_speaker.py"), "jens stoltenberg"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
            start_new_session=True,
        )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(x.rstrip("\n")) for x in proc.stdout], daemon=True
    ).start()
    got: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while len(got) < 2 and time.monotonic() < deadline:
            try:
                got.append(lines.get(timeout=0.5))
            except queue.Empty:
                assert proc.poll() is None, (tmp_path / "err.log").read_text()
        time.sleep(1.0)  # anything else it was going to print (it must not) arrives by now
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    err = (tmp_path / "err.log").read_text()
    assert lines.empty(), f"printed more than the two statements: {lines.get()}"
    assert sorted(got) == sorted(
        [
            "Jens Stoltenberg: “We will not send troops” — NATO chief in Kyiv",
            "Jens Stoltenberg: “Support will continue” — NATO summit",
        ]
    ), err
