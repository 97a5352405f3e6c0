"""``wirewatch tail statements|alerts``: the wire as a person watching it wants to read it.

One line per event::

    Jens Stoltenberg — “We will send more troops” — NATO chief visits Kyiv
    stoltenberg-troops — NATO chief visits Kyiv — keywords: troops · actors: Jens Stoltenberg

Colours only when stdout is a terminal (``NO_COLOR`` turns them off, ``--color always`` on).
Event text is untrusted: control characters (terminal escape sequences included) are replaced
before printing, so an article cannot repaint or retitle the watcher's terminal.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from typing import IO

from wirewatch.config import Settings

KINDS = ("statements", "alerts")
MAX_QUOTE = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

_STYLES = {
    "speaker": "1;36",
    "quote": "0",
    "headline": "2",
    "rule": "1;33",
    "terms": "32",
    "muted": "2;3",
}


def clean(text: object, limit: int | None = None) -> str:
    """One printable line: control characters and newlines become single spaces."""
    s = _CONTROL.sub(" ", str(text)).strip()
    s = re.sub(r" {2,}", " ", s)
    if limit is not None and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s


class Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if self.color else text


def format_statement(ev: dict, paint: Painter) -> str:
    speaker = ev.get("speaker") or {}
    name = clean(speaker.get("name") or speaker.get("text") or "") or "(unattributed)"
    content = clean((ev.get("content") or {}).get("text", ""), MAX_QUOTE)
    quote = f"“{content}”" if ev.get("kind") != "indirect" else f"(reported) {content}"
    headline = clean(ev.get("headline") or ev.get("article_id") or "")
    return " — ".join([paint("speaker", name), paint("quote", quote), paint("headline", headline)])


def format_alert(ev: dict, paint: Painter) -> str:
    matched = ev.get("matched") or {}
    terms = []
    if matched.get("keywords"):
        terms.append("keywords: " + ", ".join(clean(k) for k in matched["keywords"]))
    if matched.get("actors"):
        terms.append("actors: " + ", ".join(clean(a) for a in matched["actors"]))
    if matched.get("statements"):
        terms.append(f"{len(matched['statements'])} statement(s)")
    headline = clean(ev.get("headline") or ev.get("article_id") or "")
    return " — ".join(
        [
            paint("rule", clean(ev.get("rule_id", "?"))),
            paint("headline", headline),
            paint("terms", " · ".join(terms) or "(no terms)"),
        ]
    )


def use_color(choice: str, stream: IO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def format_event(kind: str, value: bytes, paint: Painter) -> str:
    """One line for a raw event; a malformed event gets a line saying so, not a crash."""
    from wirewatch.records import loads

    try:
        ev = loads(value)
        if not isinstance(ev, dict):
            raise TypeError(f"expected an object, got {type(ev).__name__}")
        return format_statement(ev, paint) if kind == "statements" else format_alert(ev, paint)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        return paint("muted", f"(unreadable {kind[:-1]} event: {clean(exc, 120)})")


def run(
    settings: Settings,
    kind: str,
    from_beginning: bool = False,
    max_events: int | None = None,
    timeout: float | None = None,
    color: str = "auto",
    out: IO | None = None,
) -> int:
    from wirewatch.stream.client import open_consumer, read

    out = out or sys.stdout
    paint = Painter(use_color(color, out))
    topic = settings.topic(kind)

    async def main() -> None:
        consumer = await open_consumer(settings, topic, from_beginning)
        try:
            async for _key, value, _headers in read(consumer, max_events, timeout):
                out.write(format_event(kind, value, paint) + "\n")
                out.flush()
        finally:
            await consumer.stop()

    asyncio.run(main())
    return 0
