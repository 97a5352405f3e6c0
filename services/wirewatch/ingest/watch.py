"""A watched directory -> raw articles: new and changed files are published, nothing is moved.

Every ``interval`` seconds the directory is scanned (recursively) for ``.txt``, ``.json``,
``.jsonl`` and ``.ndjson`` files, read exactly as ``wirewatch produce`` reads them
(``ingest.files``). What was published is remembered per file as a hash of each article, in a
JSON state file under ``WIREWATCH_STATE_DIR``: an appended JSONL line publishes one article, an
edited file publishes only the articles that changed, and a restart publishes nothing again.

Files are read once they have stopped changing for ``settle`` seconds, so a file being written
is not published half-written (writers that write-then-rename are never caught mid-way at all).
Hidden files (``.name``) are ignored: editors' and downloaders' temporary files.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.ingest.files import SUFFIXES, read_path
from wirewatch.ingest.state import StateFile
from wirewatch.records import dumps, stable_id

log = logging.getLogger(__name__)

Send = Callable[[list[dict]], Awaitable[object]]


def _digest(article: dict) -> str:
    return hashlib.sha1(dumps(article)).hexdigest()[:16]


@dataclass
class ScanResult:
    published: list[dict] = field(default_factory=list)
    #: "where: kind: message" for every refused record in a new or changed file.
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    error: str | None = None


class DirectoryWatcher:
    def __init__(
        self,
        directory: Path | str,
        state: StateFile,
        send: Send,
        max_body_bytes: int = 1_000_000,
        settle: float = 1.0,
    ) -> None:
        self.directory = Path(directory)
        self.state_file = state
        self.state = state.load()
        self.state.setdefault("files", {})
        self.send = send
        self.max_body_bytes = max_body_bytes
        self.settle = settle

    def _candidates(self) -> list[Path]:
        found = []
        for p in self.directory.rglob("*"):
            rel = p.relative_to(self.directory)
            if (
                p.suffix in SUFFIXES
                and not any(part.startswith(".") for part in rel.parts)
                and p.is_file()
            ):
                found.append(p)
        return sorted(found)

    async def scan(self) -> ScanResult:
        """One pass: publish what is new or changed, then remember it."""
        result = ScanResult()
        if not self.directory.is_dir():
            result.error = f"{self.directory}: not a directory (was it removed or unmounted?)"
            return result
        files = self.state["files"]
        now = time.time()
        pending: dict[str, dict] = {}
        for path in self._candidates():
            key = str(path.resolve())
            try:
                st = path.stat()
            except FileNotFoundError:
                continue  # removed between listing and stat
            sig = [st.st_mtime_ns, st.st_size]
            known = files.get(key, {})
            if known.get("sig") == sig:
                continue
            if now - st.st_mtime < self.settle:
                continue  # still being written; next scan
            sent = known.get("articles", {})
            fresh: list[dict] = []
            digests: dict[str, str] = {}
            for rec in read_path(str(path), self.max_body_bytes):
                if rec.error is not None:
                    result.skipped.append(f"{rec.where}: {rec.error.kind}: {rec.error}")
                    continue
                article = rec.article
                assert article is not None
                d = _digest(article)
                digests[article["id"]] = d
                if sent.get(article["id"]) != d:
                    fresh.append(article)
            pending[key] = {"sig": sig, "articles": digests, "fresh": fresh}
        batch = [a for p in pending.values() for a in p["fresh"]]
        if batch:
            try:
                await self.send(batch)
            except Exception as exc:  # noqa: BLE001 - Kafka down must not end the watcher
                result.error = (
                    f"publishing {len(batch)} article(s) failed ({exc!r}); retrying next scan"
                )
                return result
        for key, p in pending.items():
            files[key] = {"sig": p["sig"], "articles": p["articles"]}
            if p["fresh"]:
                result.files.append(key)
        result.published = batch
        if pending:
            self.state_file.save(self.state)
        return result

    async def run(
        self,
        interval: float,
        once: bool = False,
        report: Callable[[ScanResult], None] | None = None,
    ) -> int:
        problems = 0
        while True:
            result = await self.scan()
            problems += bool(result.error or result.skipped)
            if report is not None:
                report(result)
            if once:
                return problems
            await asyncio.sleep(interval)


def default_state_path(state_dir: Path, directory: Path | str) -> Path:
    """One state file per watched directory (by its absolute path)."""
    resolved = Path(directory).resolve()
    return Path(state_dir) / "ingest" / f"watch-{resolved.name}-{stable_id(resolved)}.json"
