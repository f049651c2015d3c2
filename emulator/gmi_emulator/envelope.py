"""GMI's chat error shapes, built in one place so every route fails the way the real edge does.

The edge wraps engine errors as ``{"error": {"message": "<banner>", "details": "<JSON string>"}}``; the useful
reason sits in ``details`` and must be parsed a second time (Vercel's AI SDK GMI provider, vercel/ai
``packages/gmicloud``, README "Error diagnostics"). An unknown model is the exception: a plain-text 404.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

INVALID_PREFIX = "The request is invalid: "


def error_body(status: int, inner_message: str) -> dict[str, Any]:
    """The envelope as a dict; streams embed it in an SSE event."""
    details = json.dumps({"error": {"message": inner_message}})
    return {"error": {"message": f"Backend request failed with status {status}", "details": details}}


def error_response(status: int, inner_message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """An HTTP error answer in the envelope."""
    return web.json_response(error_body(status, inner_message), status=status, headers=headers)


def invalid_request(reason: str) -> web.Response:
    """A 400 the way GMI's engine words validation failures."""
    return error_response(400, INVALID_PREFIX + reason)


def unknown_model(model: str) -> web.Response:
    """GMI's router answers unknown or undeployed ids in plain text, not JSON ([V-live])."""
    return web.Response(status=404, text=f"No matching target server found for model {model}")
