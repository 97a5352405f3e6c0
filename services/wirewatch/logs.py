"""Structured logs: one JSON object per line, carrying the article id where there is one.

Workers log through Faust's logging setup (mode), which takes a dictConfig; this module gives it
one with a JSON formatter, so log shippers parse lines without regexes.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import orjson

#: ``extra=`` fields copied into the JSON object when a log call sets them.
CONTEXT_FIELDS = (
    "article_id",
    "article_version",
    "rule_id",
    "alert_id",
    "kind",
    "topic",
    "partition",
    "offset",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


def use_json(fmt: str) -> bool:
    """``json``, ``text``, or ``auto``: JSON unless a person is watching the terminal."""
    return fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())


def dict_config(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "wirewatch.logs.JsonFormatter"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["default"]},
    }
