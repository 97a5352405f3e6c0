"""HTTP ingest endpoint: ``POST /articles`` -> raw topic, for wires that push.

- ``POST /articles`` with a JSON body: one article or a list of them (raw-article fields, or
  IPTC ninjs). Every item is validated exactly as ``wirewatch produce`` validates it. All or
  nothing: if any item is refused, none is published and the answer (422) lists each refused
  item with its index, id, field and reason, so the client fixes and resends the batch.
  Accepted: 202 ``{"accepted": [ids]}`` once the broker acknowledged every article.
- Over ``max_request_bytes``: 413. Not JSON: 400. Not ``application/json``: 415.
  Broker unreachable: 503 (retry later; nothing was half-published as far as ids go, since the
  same ids are simply sent again).
- ``GET /healthz``: 200 ``{"status": "ok", "published": N}``; 503 ``degraded`` while the last
  publish failed.

One long-lived idempotent producer serves every request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from wirewatch.ingest.ninjs import to_article
from wirewatch.records import BadArticle, validate_article

log = logging.getLogger(__name__)

Send = Callable[[list[dict]], Awaitable[object]]
#: Default request limit: a generous batch of full-length articles.
DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024
#: Most items one request may carry.
MAX_ITEMS = 1000
_FIELD = re.compile(r"field '(\w+)'")


def _json(status: int, payload: dict) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(payload), content_type="application/json")


def _field_of(exc: BadArticle) -> str | None:
    """The raw-article field a refusal is about (``records`` names it in the message)."""
    m = _FIELD.search(str(exc))
    if m:
        return m.group(1)
    return {"too_large": "body", "empty_body": "body", "unsupported_language": "language"}.get(
        exc.kind
    )


def check_items(payload: object, max_body_bytes: int) -> tuple[list[dict], list[dict]]:
    """(valid articles, errors) for a decoded request body; each error names item and field."""
    items = payload if isinstance(payload, list) else [payload]
    articles, errors = [], []
    for i, item in enumerate(items):
        try:
            articles.append(validate_article(to_article(item), max_body_bytes))
        except BadArticle as exc:
            ident = (
                (item.get("id") or item.get("guid") or item.get("uri"))
                if isinstance(item, dict)
                else None
            )
            errors.append(
                {
                    "index": i,
                    "id": ident if isinstance(ident, str) else None,
                    "field": _field_of(exc),
                    "kind": exc.kind,
                    "message": str(exc),
                }
            )
    return articles, errors


def build_app(
    send: Send, max_body_bytes: int = 1_000_000, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
) -> web.Application:
    state: dict = {"published": 0, "last_error": None}

    async def post_articles(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > max_request_bytes:
            return _json(
                413,
                {
                    "error": f"request is {request.content_length} bytes, over the limit of "
                    f"{max_request_bytes}; send fewer articles per request"
                },
            )
        ctype = request.content_type
        if ctype not in (
            "application/json",
            "application/x-ndjson",
            "application/octet-stream",
            "",
        ):
            return _json(
                415, {"error": f"Content-Type {ctype!r} is not supported; send application/json"}
            )
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _json(
                413,
                {
                    "error": f"request is over the limit of {max_request_bytes} bytes; "
                    "send fewer articles per request"
                },
            )
        try:
            payload = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            return _json(
                400, {"error": f"body is not valid JSON: {exc}; send one article object or a list"}
            )
        if isinstance(payload, list) and not payload:
            return _json(400, {"error": "empty list: send at least one article"})
        if isinstance(payload, list) and len(payload) > MAX_ITEMS:
            return _json(
                413,
                {
                    "error": f"{len(payload)} articles in one request, over the limit of {MAX_ITEMS}; "
                    "split the batch"
                },
            )
        articles, errors = check_items(payload, max_body_bytes)
        if errors:
            return _json(
                422,
                {
                    "accepted": [],
                    "errors": errors,
                    "error": f"{len(errors)} of {len(errors) + len(articles)} article(s) refused; "
                    "nothing was published: fix them and resend the batch",
                },
            )
        try:
            await send(articles)
        except Exception as exc:  # noqa: BLE001 - report the broker failure to the client
            log.warning("publishing %d article(s) failed: %r", len(articles), exc)
            state["last_error"] = f"{type(exc).__name__}: {exc}"
            return _json(
                503, {"error": f"could not publish to Kafka ({type(exc).__name__}); retry later"}
            )
        state["published"] += len(articles)
        state["last_error"] = None
        return _json(202, {"accepted": [a["id"] for a in articles]})

    async def healthz(request: web.Request) -> web.Response:
        if state["last_error"]:
            # The last publish failed: tell a load balancer to send pushes elsewhere until one works.
            return _json(
                503,
                {
                    "status": "degraded",
                    "published": state["published"],
                    "last_error": state["last_error"],
                },
            )
        return _json(200, {"status": "ok", "published": state["published"]})

    # client_max_size: aiohttp refuses bigger bodies itself (chunked uploads have no length).
    app = web.Application(client_max_size=max_request_bytes)
    app.router.add_post("/articles", post_articles)
    app.router.add_get("/healthz", healthz)
    return app


async def serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, str]:
    """Start serving; returns the runner (``await runner.cleanup()`` to stop) and the bound URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sock = site._server.sockets[0]  # noqa: SLF001 - the only way to learn the port when port=0
    bound_host, bound_port = sock.getsockname()[:2]
    return runner, f"http://{bound_host}:{bound_port}"
