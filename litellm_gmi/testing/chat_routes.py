"""``GET /v1/models`` and ``POST /v1/chat/completions``, answered the way GMI's LLM API does.

Order of checks on a chat request: bearer key, then an armed or header-requested fault, then the model
id (plain-text 404), then body validation, then the answer. Faults come before the model lookup because
GMI's edge rate-limits and fails before it routes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from litellm_gmi.testing.answer import build_answer
from litellm_gmi.testing.auth import check_auth
from litellm_gmi.testing.envelope import error_body, error_response, invalid_request, unknown_model
from litellm_gmi.testing.faults import FAULT_HEADER, Fault, parse_fault_header
from litellm_gmi.testing.model_table import list_models, lookup_model
from litellm_gmi.testing.render import completion_body, stream_chunks
from litellm_gmi.testing.state import EmulatorState
from litellm_gmi.testing.validation import ContextOverflow, InvalidRequest, parse_chat_request

STATE_KEY: web.AppKey[EmulatorState] = web.AppKey("gmi_emulator_state", EmulatorState)


def add_chat_routes(app: web.Application) -> None:
    """Mount the LLM API under ``/v1``."""
    app.router.add_get("/v1/models", models_handler)
    app.router.add_post("/v1/chat/completions", chat_handler)


async def models_handler(request: web.Request) -> web.Response:
    """The OpenAI model list, with GMI's unpublished extras in deliberately mixed shapes."""
    failure = check_auth(request.headers)
    if failure is not None:
        return error_response(failure.status, failure.message)
    return web.json_response({"object": "list", "data": list_models(request.app[STATE_KEY])})


async def chat_handler(request: web.Request) -> web.StreamResponse:
    """One chat completion, plain or streamed, possibly sabotaged by a fault."""
    state = request.app[STATE_KEY]
    failure = check_auth(request.headers)
    if failure is not None:
        return error_response(failure.status, failure.message)
    try:
        body: Any = json.loads(await request.read())
    except ValueError:
        body = None
    model_id = body.get("model") if isinstance(body, Mapping) else None
    try:
        fault = _fault_for(request, state, model_id if isinstance(model_id, str) else None)
    except ValueError as exc:
        return invalid_request(f"bad {FAULT_HEADER} header: {exc}")
    if fault is not None:
        early = await _early_fault(request, fault)
        if early is not None:
            return early
    if not isinstance(body, Mapping):
        return invalid_request("the body must be a JSON object")
    if not isinstance(model_id, str) or not model_id:
        return invalid_request("missing field `model`")
    model = lookup_model(state, model_id)
    if model is None:
        return unknown_model(model_id)
    try:
        chat = parse_chat_request(body, model)
    except InvalidRequest as exc:
        return invalid_request(str(exc))
    except ContextOverflow as exc:
        return error_response(400, str(exc))
    answer = build_answer(chat)
    if chat.stream:
        body_chunks, closing = stream_chunks(answer, model_id)
        return await _stream(request, body_chunks, closing, fault)
    payload = json.dumps(completion_body(answer, model_id))
    if fault is not None and fault.kind == "malformed":
        return web.Response(text=payload[: len(payload) // 2], content_type="application/json")
    if fault is not None and fault.kind == "drop_stream":
        return _drop(request)
    if fault is not None and fault.kind == "stream_error":  # no stream to break: fail the whole answer
        return error_response(500, "The engine stopped while generating (emulated)")
    return web.Response(text=payload, content_type="application/json")


def _fault_for(request: web.Request, state: EmulatorState, model: str | None) -> Fault | None:
    """A header-requested fault wins and leaves the armed ones untouched."""
    header = request.headers.get(FAULT_HEADER)
    if header:
        return parse_fault_header(header)
    return state.faults.take(model)


async def _early_fault(request: web.Request, fault: Fault) -> web.StreamResponse | None:
    """Faults that replace the answer outright; ``delay`` only waits, then lets the request through."""
    retry = {"Retry-After": _seconds(fault.retry_after)} if fault.retry_after is not None else {}
    if fault.kind == "delay":
        await asyncio.sleep(fault.delay)
        return None
    if fault.kind == "rate_limit":
        headers = {"Retry-After": _seconds(fault.retry_after if fault.retry_after is not None else 1)}
        return error_response(429, "Rate limit reached for your organization's tokens per minute", headers)
    if fault.kind == "server_error":
        return error_response(500, "Internal server error (emulated)")
    if fault.kind == "unavailable":
        return error_response(503, "The model is temporarily unavailable (emulated)", retry)
    return None


async def _stream(
    request: web.Request,
    body_chunks: list[dict[str, Any]],
    closing: list[dict[str, Any]],
    fault: Fault | None,
) -> web.StreamResponse:
    """Write the SSE stream; ``drop_stream`` and ``stream_error`` cut it after ``after_chunks`` deltas."""
    if fault is not None and fault.kind == "malformed":
        return web.Response(text='{"id": "chatcmpl-', content_type="application/json")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    cut = fault is not None and fault.kind in ("drop_stream", "stream_error")
    sent = body_chunks[: 1 + fault.after_chunks] if cut and fault is not None else body_chunks
    events = [_event(chunk) for chunk in sent]
    if fault is not None and fault.kind == "drop_stream":
        for event in events:  # one write each, so the client surely sees them before the cut
            await response.write(event)
        _cut(request)
        return response
    if fault is not None and fault.kind == "stream_error":
        events.append(_event(error_body(500, "The engine stopped while generating (emulated)")))
    else:
        events += [_event(chunk) for chunk in closing]
        events.append(b"data: [DONE]\n\n")
    # The role chunk goes out alone (first byte early); the rest in one write, so 500 concurrent
    # 200-chunk streams cost the server a few writes each rather than hundreds.
    await response.write(events[0])
    await response.write(b"".join(events[1:]))
    await response.write_eof()
    return response


def _event(data: Mapping[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()


def _drop(request: web.Request) -> web.Response:
    """Close the connection without answering; aiohttp's later write goes nowhere."""
    _abort(request)
    return web.Response()


def _abort(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


def _cut(request: web.Request) -> None:
    """Close mid-body: what was written still arrives, but the chunked body never ends."""
    transport = request.transport
    if transport is not None:
        transport.close()


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
