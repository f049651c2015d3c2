"""``POST /v1/messages``: Anthropic's Messages API for the Claude and MiniMax models of the model table.

Errors are Anthropic's ``{"type": "error", "error": {"type": ..., "message": ...}}``. An id no model answers
to gets GMI's router's plain-text 404, as on every GMI route ([V-live] nrynss/thutapi); a known model that is
not served here (a DeepSeek, say) gets a 400 ``invalid_request_error`` ([I]: GMI publishes nothing on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from aiohttp import web

from gmi_emulator.answer import build_answer
from gmi_emulator.edge import Edge, admit, chat_model
from gmi_emulator.fault_effects import (
    STREAM_FAILURE,
    plain_answer,
    write_stream,
)
from gmi_emulator.messages.parse import MessagesError, parse_messages_request
from gmi_emulator.messages.render import Cache, event, message_body, stream_events
from gmi_emulator.state import STATE_KEY, EmulatorState

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "overloaded_error",
}


def add_messages_routes(app: web.Application) -> None:
    """Mount ``/v1/messages``."""
    app.router.add_post("/v1/messages", messages_handler)


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message}}


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """An error in Anthropic's shape."""
    return web.json_response(error_body(status, message), status=status, headers=headers)


EDGE = Edge(
    error=error_response,
    reject=partial(error_response, 400),
    not_json="The request body is not valid JSON.",
    no_model="model: Field required",
    x_api_key=True,
)


async def messages_handler(request: web.Request) -> web.StreamResponse:
    """Auth (``x-api-key`` or Bearer), faults, model, validation, then the message or its stream."""
    admitted = await admit(request, EDGE)
    if isinstance(admitted, web.Response):
        return admitted
    model = chat_model(request, admitted, "messages", EDGE)
    if isinstance(model, web.Response):
        return model
    body, model_id, fault = admitted.body, admitted.model_id, admitted.fault
    state = request.app[STATE_KEY]
    try:
        parsed = parse_messages_request(body, model)
    except MessagesError as exc:
        return error_response(400, str(exc))
    answer = build_answer(parsed.prompt)
    cache = _use_cache(state, parsed.cache.prefix_key, parsed.cache.prefix_tokens)
    if not parsed.prompt.stream:
        return plain_answer(request, message_body(answer, model_id, cache), fault, error_response)
    events, closing = stream_events(answer, model_id, cache)
    failed = event("error", {"error": error_body(*STREAM_FAILURE)["error"]})
    return await write_stream(request, events, closing, fault, failed)


def _use_cache(state: EmulatorState, key: str | None, tokens: int) -> Cache:
    """Read the prefix when an earlier request wrote it, else write it now."""
    if key is None:
        return Cache()
    if key in state.prompt_cache:
        return Cache(read=tokens)
    state.prompt_cache.put(key, tokens)
    return Cache(created=tokens)
