"""IPTC ninjs (1.x and 2.x/3.x) documents -> raw-article dicts.

``records.validate_article`` already maps the ninjs 1.x names (``guid``, ``body_text``,
``versioncreated``). ninjs 2.0 moved text into lists of renditions (``headlines: [{role,
value}]``, ``bodies: [{role, contenttype, value}]``) and made ``uri`` the identifier; this
module maps those onto the raw-article fields before validation, so a ninjs document can be
produced as it is, from a file, stdin or the HTTP endpoint.

Non-ninjs dicts pass through unchanged, so callers can apply :func:`to_article` to anything.
"""

from __future__ import annotations

from typing import Any

from wirewatch.ingest.html import html_to_text

#: Keys that only a ninjs document has (a plain raw article has none of them).
_MARKERS = (
    "headlines",
    "bodies",
    "body_html",
    "standard",
    "versioncreated",
    "firstcreated",
    "guid",
    "body_text",
)
_MAX_ID = 512


def is_ninjs(obj: Any) -> bool:
    return isinstance(obj, dict) and any(k in obj for k in _MARKERS)


def _pick(items: Any, roles: tuple[str, ...] = ("main", "")) -> dict | None:
    """The rendition with the preferred role (``main`` or none), else the first one."""
    if not isinstance(items, list):
        return None
    renditions = [i for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)]
    for role in roles:
        for item in renditions:
            if (item.get("role") or "") == role:
                return item
    return renditions[0] if renditions else None


def _body(obj: dict) -> str | None:
    bodies = obj.get("bodies")
    if isinstance(bodies, list):
        # Plain text beats HTML (offsets point into the body; no markup to strip), main beats others.
        plain = [
            b
            for b in bodies
            if isinstance(b, dict) and "html" not in str(b.get("contenttype") or "")
        ]
        chosen = _pick(plain) or _pick(bodies)
        if chosen is not None:
            value = chosen["value"]
            return html_to_text(value) if "html" in str(chosen.get("contenttype") or "") else value
    if isinstance(obj.get("body_text"), str):
        return obj["body_text"]
    if isinstance(obj.get("body_html"), str):
        return html_to_text(obj["body_html"])
    return None


def to_article(obj: Any) -> Any:
    """Map a ninjs document onto raw-article fields; anything else is returned unchanged.

    Fields the document already has under the raw-article name win, so a producer can override
    (e.g. give an explicit ``id``). The result still goes through ``validate_article``.
    """
    if not is_ninjs(obj):
        return obj
    art = dict(obj)
    if "id" not in art:
        ident = art.get("guid") or art.get("uri")
        if isinstance(ident, str) and ident.strip():
            # The ninjs identifier is the article id (readable, and what the wire uses); only an
            # absurdly long one is hashed, to stay within the raw-article schema's 512 characters.
            art["id"] = ident if len(ident) <= _MAX_ID else f"ninjs-{stable_hash(ident)}"
    if "body" not in art:
        body = _body(obj)
        if body is not None:
            art["body"] = body
    if "headline" not in art or art.get("headline") is None:
        chosen = _pick(obj.get("headlines"))
        if chosen is not None:
            art["headline"] = chosen["value"]
    if "published_at" not in art:
        when = obj.get("versioncreated") or obj.get("firstcreated")
        if isinstance(when, str):
            art["published_at"] = when
    if "source" not in art:
        sources = obj.get("infosources")
        if isinstance(sources, list) and sources and isinstance(sources[0], dict):
            name = sources[0].get("name")
            if isinstance(name, str):
                art["source"] = name
    # ninjs versions are strings ("2"); raw articles count versions as integers.
    version = art.get("version")
    if isinstance(version, str):
        if version.strip().isdigit() and int(version) >= 1:
            art["version"] = int(version)
        else:
            art.pop("version")
    # Renditions already mapped are not raw-article fields, and big: keep the event lean.
    if isinstance(art.get("body"), str):
        for key in ("bodies", "body_html", "body_text"):
            art.pop(key, None)
    if isinstance(art.get("headline"), str):
        art.pop("headlines", None)
    return art


def stable_hash(text: str) -> str:
    from wirewatch.records import stable_id

    return stable_id(text)
