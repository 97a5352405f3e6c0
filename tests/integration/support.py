"""Shared by the integration tests: real worker processes and reading topics to a condition."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from wirewatch.config import Settings
from wirewatch.demo import stop_process
from wirewatch.records import loads
from wirewatch.stream.client import open_consumer, read

ROOT = Path(__file__).resolve().parents[2]


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())


def spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """`wirewatch <args>` as its own process group, as a user starts it; output to ``log``."""
    return subprocess.Popen([sys.executable, "-m", "wirewatch.cli", *args], env=env, cwd=ROOT,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
                            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    stop_process(proc, timeout)


async def collect(settings: Settings, topic: str, until, timeout: float) -> list[dict]:
    """Read ``topic`` from the beginning until ``until(events)`` holds or ``timeout`` passes."""
    consumer = await open_consumer(settings, settings.topic(topic), from_beginning=True)
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not until(events):
            async for _k, value, _h in read(consumer, idle_timeout=1.0):
                events.append(loads(value))
                if until(events):
                    break
    finally:
        await consumer.stop()
    return events
