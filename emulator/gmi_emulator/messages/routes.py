"""``POST /v1/messages``: Anthropic's Messages API for the Claude and MiniMax models of the model table.

Errors are Anthropic's ``{"type": "error", "error": {"type": ..., "message": ...}}``. An id no model
answers to gets GMI's router's plain-text 404, as on every GMI route (facts §1.7); a known model that is
not served here (a DeepSeek, say) gets a 400 ``invalid_request_error`` ([I]: GMI publishes nothing on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from gmi_emulator.answer import build_answer
from gmi_emulator.auth import check_auth
from gmi_emulator.envelope import unknown_model
from gmi_emulator.fault_effects import (
    STREAM_FAILURE,
    bad_header,
    early_answer,
    fault_for,
    plain_answer,
    write_stream,
)
from gmi_emulator.messages.parse import MessagesError, parse_messages_request
from gmi_emulator.messages.render import Cache, event, message_body, stream_events
from gmi_emulator.model_listing import lookup_model
from gmi_emulator.request_body import read_json
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


async def messages_handler(request: web.Request) -> web.StreamResponse:
    """Auth (``x-api-key`` or Bearer), faults, model, validation, then the message or its stream."""
    state = request.app[STATE_KEY]
    failure = check_auth(request.headers, x_api_key=True)
    if failure is not None:
        return error_response(failure.status, failure.message)
    body = await read_json(request)
    model_id = body.get("model") if isinstance(body, Mapping) else None
    try:
        fault = fault_for(request, state, model_id if isinstance(model_id, str) else None)
    except ValueError as exc:
        return error_response(400, bad_header(exc))
    early = await early_answer(fault, error_response) if fault is not None else None
    if early is not None:
        return early
    if not isinstance(body, Mapping):
        return error_response(400, "The request body is not valid JSON.")
    if not isinstance(model_id, str) or not model_id:
        return error_response(400, "model: Field required")
    model = lookup_model(state, model_id)
    if model is None:
        return unknown_model(model_id)
    if "messages" not in model.apis:
        return error_response(
            400, f"model {model_id} is not served on /v1/messages; use /v1/chat/completions"
        )
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
