"""Reading a request's JSON body the same way on every route."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


async def read_json(request: web.Request) -> Any | None:
    """The parsed body, or ``None`` when it is empty or not JSON (each route words its own 400)."""
    try:
        return json.loads(await request.read())
    except ValueError:
        return None
