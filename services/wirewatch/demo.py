"""`make demo`: the whole system on the seed article, started and stopped in one command.

Starts the local broker (unless WIREWATCH_KAFKA_BOOTSTRAP names one), the enricher and the
alerter as real worker processes, publishes the articles, prints the statements and alerts that
come back on their topics, and stops everything it started.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from wirewatch.config import Settings
from wirewatch.records import loads

FIRST_EVENT_TIMEOUT = 180.0  # model load + group join on a busy 2-core machine
IDLE_TIMEOUT = 8.0


def _spawn(args: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [sys.executable, "-m", "wirewatch.cli", *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def stop_process(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM the process group (a clean Faust shutdown), SIGKILL if it outlives ``timeout``."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def format_statement(ev: dict) -> str:
    sp = ev.get("speaker") or {}
    who = sp.get("name") or sp.get("text") or "(unattributed)"
    if sp.get("text") and sp.get("name") and sp["text"] != sp["name"]:
        who += f' (as "{sp["text"]}")'
    return f"  {who} [{ev['kind']}, {ev['confidence']:.2f}]: \u201c{ev['content']['text']}\u201d"


async def _collect(
    settings: Settings, topic: str, ids: set[str], consumer, first_timeout: float
) -> list[dict]:
    from wirewatch.stream.client import read

    out: list[dict] = []
    deadline = time.monotonic() + first_timeout
    while not out and time.monotonic() < deadline:
        async for _k, value, _h in read(consumer, idle_timeout=1.0):
            ev = loads(value)
            if ev.get("article_id") in ids:
                out.append(ev)
    async for _k, value, _h in read(consumer, idle_timeout=IDLE_TIMEOUT):
        ev = loads(value)
        if ev.get("article_id") in ids:
            out.append(ev)
    return out


async def _delete_topics(settings: Settings) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    from wirewatch.security import aiokafka_kwargs

    admin = AIOKafkaAdminClient(**aiokafka_kwargs(settings))
    await admin.start()
    try:
        mine = [t for t in await admin.list_topics() if t.startswith(settings.topic_prefix)]
        if mine:
            await admin.delete_topics(mine)
    except Exception as exc:  # noqa: BLE001 - leftover demo topics are harmless
        print(f"demo: could not delete topics: {exc}", file=sys.stderr)
    finally:
        await admin.close()


def run_demo(settings: Settings, paths: list[str], rules: str, actors: str) -> int:
    from wirewatch import broker
    from wirewatch.ingest.files import read_paths
    from wirewatch.stream.client import open_consumer, publish
    from wirewatch.stream.topics import ensure_topics

    articles = [r.article for r in read_paths(paths, settings.max_body_bytes) if r.article]
    if not articles:
        print("demo: no valid articles in " + ", ".join(paths), file=sys.stderr)
        return 1
    # A private prefix per run: the enricher enriches an (id, version) once, so a second demo on
    # shared topics would print nothing new. The run's topics are deleted at the end.
    settings = replace(settings, topic_prefix=f"{settings.topic_prefix}-demo-{int(time.time())}")
    env = {
        **os.environ,
        "WIREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "WIREWATCH_STATE_DIR": str(settings.state_dir),
        "WIREWATCH_KAFKA_BOOTSTRAP": settings.bootstrap,
    }
    started_broker = False
    if not settings.external_broker and not broker.status(settings).get("running"):
        broker.start(settings)
        started_broker = True
    logs = settings.state_dir / "logs"
    procs: list[subprocess.Popen] = []
    try:
        asyncio.run(ensure_topics(settings))
        procs.append(_spawn(["enricher", "--actors", actors], logs / "demo-enricher.log", env))
        procs.append(
            _spawn(
                ["alerter", "--rules", rules, "--actors", actors], logs / "demo-alerter.log", env
            )
        )

        async def flow() -> tuple[list[dict], list[dict]]:
            st_c = await open_consumer(settings, settings.topic("statements"), from_beginning=False)
            al_c = await open_consumer(settings, settings.topic("alerts"), from_beginning=False)
            try:
                await publish(settings, articles)
                print(
                    f"demo: published {len(articles)} article(s); waiting for the enricher "
                    f"(logs in {logs})",
                    file=sys.stderr,
                )
                ids = {a["id"] for a in articles}
                statements = await _collect(settings, "statements", ids, st_c, FIRST_EVENT_TIMEOUT)
                alerts = await _collect(settings, "alerts", ids, al_c, 60.0)
                return statements, alerts
            finally:
                await st_c.stop()
                await al_c.stop()

        statements, alerts = asyncio.run(flow())
        for proc in procs:
            if proc.poll() is not None:
                print(
                    f"demo: a worker exited early with code {proc.returncode}; see {logs}",
                    file=sys.stderr,
                )
        print(f"\n{len(statements)} statement(s) on {settings.topic('statements')}:")
        for ev in statements:
            print(format_statement(ev))
        print(f"\n{len(alerts)} alert(s) on {settings.topic('alerts')}:")
        for al in alerts:
            m = al["matched"]
            headline = (al["headline"] or "")[:60]
            print(
                f"  {al['rule_id']}: {headline!r} keywords={m['keywords']} actors={m['actors']} "
                f"statements={len(m['statements'])}"
            )
        return 0 if statements and alerts else 1
    finally:
        for proc in procs:
            stop_process(proc)
        if procs:
            asyncio.run(_delete_topics(settings))
        if started_broker:
            broker.stop(settings)
