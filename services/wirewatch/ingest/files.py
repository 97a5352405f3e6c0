"""Files, JSONL and stdin -> raw-article records.

Accepts .txt (id = file stem, body = whole file), .json (one article, or a list of them; IPTC
ninjs 1.x-3.x documents are mapped by ``ingest.ninjs``),
.jsonl/.ndjson (one article per line), directories (their files, sorted) and ``-`` for stdin
(one JSON document or list, else JSON lines when it starts with ``{``, else one plain-text
article).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from wirewatch.ingest.ninjs import to_article
from wirewatch.records import BadArticle, stable_id, validate_article

SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson")


@dataclass
class Record:
    """One input record: where it came from, and either the article or why it was refused."""

    where: str
    article: dict | None = None
    error: BadArticle | None = None


def headline_from_text(text: str, limit: int = 160) -> str | None:
    """A plain-text file has no headline field; its first non-empty line stands in for one."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            if len(line) <= limit:
                return line
            return line[:limit].rsplit(" ", 1)[0] + "…"
    return None


def _text_article(article_id: str, text: str, uri: str | None) -> dict:
    return {"id": article_id, "body": text, "headline": headline_from_text(text), "uri": uri}


def _check(where: str, obj: object, max_body_bytes: int) -> Record:
    try:
        return Record(where, validate_article(to_article(obj), max_body_bytes))
    except BadArticle as exc:
        return Record(where, error=exc)


def _json_lines(where: str, lines: Iterable[str], max_body_bytes: int) -> Iterator[Record]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Record(f"{where}:{n}", error=BadArticle("invalid_json", f"not valid JSON: {exc}"))
            continue
        yield _check(f"{where}:{n}", obj, max_body_bytes)


def read_path(path: str, max_body_bytes: int = 1_000_000) -> Iterator[Record]:
    """Records from one path (file, directory or ``-``)."""
    if path == "-":
        text = sys.stdin.read()
        if text.lstrip().startswith(("{", "[")):
            try:  # one (pretty-printed) JSON document or list, e.g. a ninjs item piped from curl
                obj = orjson.loads(text)
            except orjson.JSONDecodeError:
                yield from _json_lines("<stdin>", text.splitlines(), max_body_bytes)
                return
            items = obj if isinstance(obj, list) else [obj]
            for i, item in enumerate(items):
                yield _check(
                    f"<stdin>[{i}]" if isinstance(obj, list) else "<stdin>", item, max_body_bytes
                )
        elif text.strip():
            yield _check(
                "<stdin>", _text_article(f"stdin-{stable_id(text)}", text, None), max_body_bytes
            )
        return
    p = Path(path)
    if p.is_dir():
        for child in sorted(c for c in p.rglob("*") if c.is_file() and c.suffix in SUFFIXES):
            yield from read_path(str(child), max_body_bytes)
        return
    if not p.exists():
        yield Record(path, error=BadArticle("missing_file", f"no such file: {path}"))
        return
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Record(path, error=BadArticle("invalid_utf8", f"not valid UTF-8 at byte {exc.start}"))
        return
    except OSError as exc:
        yield Record(path, error=BadArticle("unreadable", f"cannot read: {exc.strerror}"))
        return
    if p.suffix in (".jsonl", ".ndjson"):
        yield from _json_lines(path, text.splitlines(), max_body_bytes)
    elif p.suffix == ".json":
        try:
            obj = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield Record(path, error=BadArticle("invalid_json", f"not valid JSON: {exc}"))
            return
        items = obj if isinstance(obj, list) else [obj]
        for i, item in enumerate(items):
            yield _check(f"{path}[{i}]" if isinstance(obj, list) else path, item, max_body_bytes)
    else:
        yield _check(path, _text_article(p.stem, text, p.resolve().as_uri()), max_body_bytes)


def read_paths(paths: Iterable[str], max_body_bytes: int = 1_000_000) -> Iterator[Record]:
    for path in paths:
        yield from read_path(path, max_body_bytes)
