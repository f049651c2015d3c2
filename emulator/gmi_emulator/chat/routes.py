"""``GET /v1/models`` and ``POST /v1/chat/completions``, answered the way GMI's LLM API does.

Order of checks on a chat request: bearer key, then an armed or header-requested fault, then the model
id (plain-text 404), then body validation, then the answer. Faults come before the model lookup because
GMI's edge rate-limits and fails before it routes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from gmi_emulator.answer import build_answer
from gmi_emulator.auth import check_auth
from gmi_emulator.chat.render import ChatView, completion_body, stream_chunks
from gmi_emulator.chat.validation import ContextOverflow, InvalidRequest, parse_chat_request
from gmi_emulator.envelope import error_body, error_response, invalid_request, unknown_model
from gmi_emulator.fault_effects import (
    STREAM_FAILURE,
    bad_header,
    early_answer,
    fault_for,
    plain_answer,
    write_stream,
)
from gmi_emulator.model_listing import list_models, lookup_model
from gmi_emulator.model_table import EMBEDDING_MODELS
from gmi_emulator.request_body import read_json
from gmi_emulator.state import STATE_KEY


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
    body = await read_json(request)
    model_id = body.get("model") if isinstance(body, Mapping) else None
    try:
        fault = fault_for(request, state, model_id if isinstance(model_id, str) else None)
    except ValueError as exc:
        return invalid_request(bad_header(exc))
    if fault is not None:
        early = await early_answer(fault, error_response)
        if early is not None:
            return early
    if not isinstance(body, Mapping):
        return invalid_request("the body must be a JSON object")
    if not isinstance(model_id, str) or not model_id:
        return invalid_request("missing field `model`")
    model = lookup_model(state, model_id)
    if model is None and model_id in EMBEDDING_MODELS:  # an embedding server has no chat ([I])
        return invalid_request("The model does not support Chat Completions API")
    if model is None:
        return unknown_model(model_id)
    try:
        prompt = parse_chat_request(body, model)
    except InvalidRequest as exc:
        return invalid_request(str(exc))
    except ContextOverflow as exc:
        return error_response(400, str(exc))
    view = ChatView.of(build_answer(prompt), model, model_id)
    if not prompt.stream:
        return plain_answer(request, completion_body(view), fault, error_response)
    chunks, closing = stream_chunks(view)
    return await write_stream(
        request,
        [_event(c) for c in chunks],
        [*(_event(c) for c in closing), b"data: [DONE]\n\n"],
        fault,
        _event(error_body(*STREAM_FAILURE)),
    )


def _event(data: Mapping[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()
