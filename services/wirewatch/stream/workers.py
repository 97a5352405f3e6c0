"""Run K enricher worker processes in one consumer group: ``wirewatch enricher --workers K``.

spaCy is CPU-bound and holds the GIL, so one process uses one core; the service scales by
partitions and processes. Each child is an ordinary ``wirewatch enricher`` (one Faust worker,
its own model loaded once) in the same consumer group, so Kafka splits the raw topic's
partitions between them. The raw topic needs at least K partitions (default: 2 x cores).

The supervisor stays small (no spaCy, no Kafka client) and:

- forwards SIGTERM / SIGINT to every child and waits for them to finish their batch and leave
  the group (SIGKILL after ``grace`` seconds);
- restarts a child that exits on its own (crash, OOM kill), at most ``max_restarts`` times within
  ``window`` seconds; past that budget it stops the other children and exits non-zero, so a
  process manager (systemd, Kubernetes) sees the failure instead of a silent crash loop.

Children are started in their own session (a terminal's Ctrl-C reaches them once, through the
supervisor) and, on Linux, are sent SIGTERM if the supervisor itself dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Sequence

log = logging.getLogger("wirewatch.workers")

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Supervisor:
    """K copies of one command; see the module docstring for the restart policy."""

    def __init__(
        self,
        argv: Sequence[str],
        workers: int,
        env: dict[str, str] | None = None,
        max_restarts: int = 3,
        window: float = 60.0,
        grace: float = 30.0,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.argv = list(argv)
        self.workers = workers
        self.env = env
        self.max_restarts = max_restarts
        self.window = window
        self.grace = grace
        self.children: list[subprocess.Popen | None] = [None] * workers
        self._restarts: deque[float] = deque()
        self._stopping: int | None = None  # the signal that asked us to stop

    def _spawn(self, slot: int) -> subprocess.Popen:
        env = dict(self.env if self.env is not None else os.environ)
        env["WIREWATCH_WORKERS"] = "1"  # a child never supervises
        env["WIREWATCH_WORKER_INDEX"] = str(slot)
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        proc = subprocess.Popen(
            self.argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=preexec
        )
        log.info("worker %d started (pid %d)", slot, proc.pid)
        return proc

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._stopping = signum

    def _stop_all(self, signum: int) -> None:
        live = [p for p in self.children if p is not None and p.poll() is None]
        for p in live:
            with contextlib.suppress(ProcessLookupError):
                p.send_signal(signum)
        deadline = time.monotonic() + self.grace
        for p in live:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning(
                    "worker pid %d did not stop within %.0fs; killing it", p.pid, self.grace
                )
                p.kill()
                p.wait()

    def run(self) -> int:
        """Start the children and supervise them until a signal (exit 0) or the restart budget
        is spent (exit 1)."""
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in range(self.workers):
                self.children[slot] = self._spawn(slot)
            while self._stopping is None:
                time.sleep(0.2)
                for slot, proc in enumerate(self.children):
                    if proc is None or proc.poll() is None or self._stopping is not None:
                        continue
                    now = time.monotonic()
                    while self._restarts and now - self._restarts[0] > self.window:
                        self._restarts.popleft()
                    if len(self._restarts) >= self.max_restarts:
                        log.error(
                            "worker %d (pid %d) exited with %s; %d restarts within %.0fs already, "
                            "giving up",
                            slot,
                            proc.pid,
                            proc.returncode,
                            len(self._restarts),
                            self.window,
                        )
                        self._stop_all(signal.SIGTERM)
                        return 1
                    self._restarts.append(now)
                    log.warning(
                        "worker %d (pid %d) exited with %s; restarting it",
                        slot,
                        proc.pid,
                        proc.returncode,
                    )
                    self.children[slot] = self._spawn(slot)
            self._stop_all(self._stopping)
            return 0
        finally:
            for s, handler in old.items():
                signal.signal(s, handler)
            for p in self.children:  # never leave a child behind, whatever happened above
                if p is not None and p.poll() is None:
                    p.kill()
                    p.wait()


def enricher_argv(actors_file: str | None) -> list[str]:
    """The command line of one enricher child (same interpreter, same package)."""
    return [
        sys.executable,
        "-m",
        "wirewatch.cli",
        "enricher",
        "--workers",
        "1",
        *(["--actors", actors_file] if actors_file else []),
    ]
