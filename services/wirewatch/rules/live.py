"""The rule set an alerter runs with, changing without a restart.

Two sources, merged: the rules file (re-read when its modification time or size changes) and
the shared rules topic (rule id -> rule). A topic rule replaces a file rule with the same id.
A bad file keeps the last good rules (the error is logged); a bad topic rule is skipped alone.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from .match import RuleSet
from .model import RulesError
from .parse import load_rules, parse_rules

log = logging.getLogger("wirewatch.rules")


class LiveRules:
    def __init__(self, path: str | Path | None = None, actors: Any = None) -> None:
        self.path = Path(path) if path else None
        self.actors = actors
        self._stamp: tuple[float, int] | None = None
        self._file_rules: RuleSet | None = None
        self._topic_rules: dict[str, dict] = {}
        self.ruleset = RuleSet([], actors=actors, source="<no rules>")
        self.generation = 0
        if self.path is not None:
            self._file_rules = load_rules(self.path, actors=actors)  # a bad file fails at start
            self._stamp = self._file_stamp()
            self._rebuild()

    def _file_stamp(self) -> tuple[float, int] | None:
        try:
            st = os.stat(self.path)  # type: ignore[arg-type]
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def file_changed(self) -> bool:
        return self.path is not None and self._file_stamp() != self._stamp

    def reload_file(self) -> bool:
        """Re-read the rules file if it changed; True when the rule set was replaced."""
        if not self.file_changed():
            return False
        stamp = self._file_stamp()
        try:
            rules = load_rules(self.path, actors=self.actors)  # type: ignore[arg-type]
        except RulesError as exc:
            self._stamp = stamp  # do not retry until it changes again
            log.error("rules file not reloaded, keeping the previous rules: %s", exc)
            return False
        self._stamp = stamp
        self._file_rules = rules
        self._rebuild()
        log.info("reloaded %d rule(s) from %s", len(self.ruleset), self.path)
        return True

    def set_topic_rules(self, rules: dict[str, dict]) -> None:
        """Replace the topic's rules (id -> rule as written) and rebuild."""
        good: dict[str, dict] = {}
        for rid, item in rules.items():
            try:
                parse_rules({"rules": [item]}, actors=self.actors, source="<rules topic>")
            except RulesError as exc:
                log.error("skipping rule %r from the rules topic: %s", rid, exc)
                continue
            good[rid] = item
        self._topic_rules = good
        self._rebuild()
        log.info("rule set now %d rule(s) (%d from the rules topic)", len(self.ruleset), len(good))

    def _rebuild(self) -> None:
        from dataclasses import replace

        merged = {}
        if self._file_rules is not None:
            merged = {r.id: r for r in self._file_rules}
        if self._topic_rules:
            topic = parse_rules({"rules": list(self._topic_rules.values())}, actors=self.actors,
                                source="<rules topic>")  # fmt: skip
            merged.update({r.id: r for r in topic})
        rules = [replace(r, index=i) for i, r in enumerate(merged.values())]
        source = str(self.path) if self.path else "<rules topic>"
        self.ruleset = RuleSet(rules, actors=self.actors, source=source)
        self.generation += 1
