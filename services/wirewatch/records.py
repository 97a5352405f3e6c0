"""Event records: decode and validate raw articles, build statement and dead-letter events.

Pure functions over bytes and dicts, shared by the agents, the producer and the offline
commands, so a record that the CLI accepts is exactly a record the enricher accepts.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from wirewatch.language import detect_unsupported

#: Raw-article fields with their accepted types (None allowed for optional ones).
_OPTIONAL_STR = ("uri", "headline", "language", "source", "published_at")
#: IPTC ninjs names accepted as aliases, so ninjs documents can be produced as they are.
_NINJS_ALIASES = {"body_text": "body", "versioncreated": "published_at", "guid": "id"}


class BadArticle(ValueError):
    """A raw article we cannot enrich. ``kind`` is machine-readable, the message says what to do."""

    def __init__(self, kind: str, message: str, article_id: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.article_id = article_id


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def stable_id(*parts: object, length: int = 16) -> str:
    """Deterministic id from its parts, so re-processing yields the same ids (consumers dedup)."""
    return hashlib.sha1(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]


def validate_article(obj: Any, max_body_bytes: int = 1_000_000) -> dict:
    """Check a decoded raw article and return it normalised (defaults filled, ninjs names mapped).

    Raises :class:`BadArticle` naming the field that is wrong.
    """
    if not isinstance(obj, dict):
        raise BadArticle("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    art = dict(obj)
    for alias, name in _NINJS_ALIASES.items():
        if name not in art and alias in art:
            art[name] = art[alias]
    aid = art.get("id")
    if aid is None:
        raise BadArticle("missing_field", "field 'id' is missing; every article needs a stable id")
    if isinstance(aid, int) and not isinstance(aid, bool):
        aid = str(aid)
    if not isinstance(aid, str) or not aid.strip():
        raise BadArticle("wrong_type", "field 'id' must be a non-empty string")
    art["id"] = aid
    body = art.get("body")
    if body is None:
        raise BadArticle("missing_field", f"article {aid!r}: field 'body' is missing", aid)
    if not isinstance(body, str):
        raise BadArticle(
            "wrong_type",
            f"article {aid!r}: field 'body' must be a string, got {type(body).__name__}",
            aid,
        )
    if not body.strip():
        raise BadArticle("empty_body", f"article {aid!r}: field 'body' is empty", aid)
    size = len(body.encode("utf-8"))
    if size > max_body_bytes:
        raise BadArticle(
            "too_large",
            f"article {aid!r}: body is {size} bytes, over the limit of {max_body_bytes} "
            "(raise WIREWATCH_MAX_BODY_BYTES or split the article)",
            aid,
        )
    for name in _OPTIONAL_STR:
        value = art.get(name)
        if value is not None and not isinstance(value, str):
            raise BadArticle(
                "wrong_type", f"article {aid!r}: field {name!r} must be a string or null", aid
            )
        art.setdefault(name, None)
    version = art.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BadArticle(
            "wrong_type", f"article {aid!r}: field 'version' must be a positive integer", aid
        )
    art["version"] = version
    reason = detect_unsupported(body, art["language"])
    if reason:
        raise BadArticle("unsupported_language", f"article {aid!r}: {reason}", aid)
    if art["language"] is None:
        art["language"] = "en"
    return art


def decode_article(value: bytes, max_body_bytes: int = 1_000_000) -> dict:
    """Bytes from the raw topic -> validated article dict, or :class:`BadArticle`."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadArticle("invalid_utf8", f"record is not valid UTF-8 at byte {exc.start}") from None
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadArticle("invalid_json", f"record is not valid JSON: {exc}") from None
    return validate_article(obj, max_body_bytes)


def statement_events(enriched: dict) -> list[dict]:
    """One event per statement, carrying the article it came from."""
    ctx = {
        "article_id": enriched["id"],
        "article_version": enriched.get("version", 1),
        "headline": enriched.get("headline"),
        "uri": enriched.get("uri"),
        "source": enriched.get("source"),
        "published_at": enriched.get("published_at"),
    }
    return [{**st, **ctx} for st in enriched.get("statements", [])]


def deadletter(
    original: bytes,
    kind: str,
    message: str,
    *,
    topic: str,
    stage: str,
    partition: int | None = None,
    offset: int | None = None,
    article_id: str | None = None,
) -> dict:
    """A dead-letter event keeping the original bytes, so the record can be replayed after a fix."""
    try:
        text: str | None = original.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {
        "error": {"kind": kind, "message": message},
        "article_id": article_id,
        "original": text,
        "original_b64": base64.b64encode(original).decode("ascii"),
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "stage": stage,
        "created_at": utcnow_iso(),
    }


CE_SOURCE = "/wirewatch"


def ce_headers(kind: str, event_id: str) -> list[tuple[str, bytes]]:
    """CloudEvents Kafka protocol binding (binary mode) headers, so any CloudEvents consumer
    understands wirewatch events without knowing wirewatch: type ``dev.wirewatch.<kind>``."""
    return [
        ("ce_specversion", b"1.0"),
        ("ce_id", event_id.encode("utf-8")),
        ("ce_source", CE_SOURCE.encode("utf-8")),
        ("ce_type", f"dev.wirewatch.{kind}".encode()),
        ("ce_time", utcnow_iso().encode("utf-8")),
        ("content-type", b"application/json"),
    ]


def raw_headers(article: dict) -> list[tuple[str, bytes]]:
    return ce_headers("article.raw", stable_id(article["id"], article.get("version", 1)))


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)
