"""The aiohttp application: every API's routes, and the middleware every request passes through.

The middleware records each request (method, path, headers, query and body) for tests and applies the
benchmark latency; it never holds a lock across an ``await``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from gmi_emulator.chat.routes import add_chat_routes
from gmi_emulator.embeddings import add_embedding_routes
from gmi_emulator.messages.routes import add_messages_routes
from gmi_emulator.price_list import add_price_list_routes
from gmi_emulator.queue.routes import add_queue_routes
from gmi_emulator.responses.routes import add_responses_routes
from gmi_emulator.state import STATE_KEY, EmulatorState, Headers, RecordedRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(state: EmulatorState | None = None) -> web.Application:
    """A fresh application serving GMI's LLM APIs and its request queue from ``state``."""
    state = state if state is not None else EmulatorState()

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = await request.read() if request.can_read_body else b""
        state.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                headers=Headers(request.headers),
                json=_json_or_none(raw),
                query=request.query_string,
                body=raw,
            )
        )
        if state.latency > 0:
            await asyncio.sleep(state.latency)
        return await handler(request)

    app = web.Application(middlewares=[record], client_max_size=64 * 1024**2)
    app[STATE_KEY] = state
    add_chat_routes(app)
    add_embedding_routes(app)
    add_messages_routes(app)
    add_price_list_routes(app)
    add_responses_routes(app)
    add_queue_routes(app, state)
    return app


def _json_or_none(raw: bytes) -> Any | None:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
