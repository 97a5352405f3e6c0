"""A small JSON state file per ingest source, so a restart does not republish what was sent.

Written atomically (temp file + rename), so a crash mid-write leaves the previous state, never
half a file. Saved only after the broker acknowledged the articles it records: a crash in
between re-publishes (at-least-once), and article ids are stable, so consumers can dedup.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class StateFile:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # A corrupt state file must not stop ingest; starting afresh republishes (ids are
            # stable, so consumers dedup), which beats silently dropping articles.
            log.warning(
                "state file %s is unreadable (%s); starting with empty state", self.path, exc
            )
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
