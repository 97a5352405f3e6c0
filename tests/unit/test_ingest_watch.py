"""Watched directory: new and changed files published once, across restarts; nothing moved."""

from __future__ import annotations

import asyncio
import json
import os
import time

from wirewatch.ingest.state import StateFile
from wirewatch.ingest.watch import DirectoryWatcher


class Sink:
    def __init__(self) -> None:
        self.batches: list[list[dict]] = []
        self.fail = False

    async def __call__(self, articles: list[dict]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.batches.append(list(articles))

    def take(self) -> list[str]:
        ids = [a["id"] for b in self.batches for a in b]
        self.batches.clear()
        return ids


def age(path, seconds: float = 5.0) -> None:
    """Backdate a file so it counts as settled (not being written)."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def scan(watcher):
    return asyncio.run(watcher.scan())


def test_new_changed_appended_and_restarted(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    state = StateFile(tmp_path / "state.json")
    sink = Sink()
    (inbox / "story.txt").write_text("Headline here\nThe minister said so.")
    (inbox / "wire.jsonl").write_text(json.dumps({"id": "j1", "body": "one"}) + "\n")
    (inbox / ".partial.txt").write_text("hidden temp file")
    (inbox / "notes.md").write_text("not an article")
    for p in inbox.iterdir():
        age(p)
    w = DirectoryWatcher(inbox, state, sink, settle=1.0)
    res = scan(w)
    assert sorted(sink.take()) == ["j1", "story"] and res.skipped == []
    assert scan(w).published == [] and sink.take() == []  # nothing new

    # An appended line publishes only that line; an edited .txt republishes it.
    with open(inbox / "wire.jsonl", "a") as f:
        f.write(json.dumps({"id": "j2", "body": "two"}) + "\n")
    (inbox / "story.txt").write_text("Headline here\nThe minister said something else.")
    age(inbox / "wire.jsonl", 3)
    age(inbox / "story.txt", 3)
    scan(w)
    assert sorted(sink.take()) == ["j2", "story"]

    # A restart (new watcher, same state file) publishes nothing again; nothing was moved.
    w2 = DirectoryWatcher(inbox, state, sink, settle=1.0)
    assert scan(w2).published == [] and sink.take() == []
    assert sorted(p.name for p in inbox.iterdir()) == [
        ".partial.txt",
        "notes.md",
        "story.txt",
        "wire.jsonl",
    ]


def test_files_being_written_wait_and_bad_records_are_reported_once(tmp_path):
    inbox = tmp_path / "in"
    (inbox / "sub").mkdir(parents=True)
    state = StateFile(tmp_path / "s.json")
    sink = Sink()
    w = DirectoryWatcher(inbox, state, sink, settle=30.0)
    (inbox / "sub" / "fresh.json").write_text(json.dumps([{"id": "f1", "body": "x"}, {"id": "f2"}]))
    assert scan(w).published == []  # modified just now: still being written
    age(inbox / "sub" / "fresh.json", 60)
    res = scan(w)
    assert sink.take() == ["f1"]
    [skip] = res.skipped
    assert skip.startswith(f"{inbox / 'sub' / 'fresh.json'}[1]: missing_field") and "'body'" in skip
    assert scan(w).skipped == []  # reported once, until the file changes


def test_broker_failure_records_nothing_and_retries(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Some news.")
    age(inbox / "a.txt")
    sink = Sink()
    sink.fail = True
    w = DirectoryWatcher(inbox, StateFile(tmp_path / "s.json"), sink, settle=1.0)
    assert "failed" in scan(w).error
    sink.fail = False
    scan(w)
    assert sink.take() == ["a"]


def test_missing_directory_is_an_error(tmp_path):
    w = DirectoryWatcher(tmp_path / "gone", StateFile(tmp_path / "s.json"), Sink())
    assert "not a directory" in scan(w).error


def test_corrupt_state_file_starts_afresh(tmp_path):
    st = tmp_path / "s.json"
    st.write_text("{not json")
    assert StateFile(st).load() == {}
