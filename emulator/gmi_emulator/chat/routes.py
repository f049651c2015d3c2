"""``GET /v1/models`` and ``POST /v1/chat/completions``, answered the way GMI's LLM API does.

Order of checks on a chat request: the edge's (key, fault, body; :mod:`gmi_emulator.edge`), then the
model id (plain-text 404), then body validation, then the answer.
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
from gmi_emulator.edge import GMI_EDGE, admit, chat_model
from gmi_emulator.envelope import error_body, error_response, invalid_request
from gmi_emulator.fault_effects import STREAM_FAILURE, plain_answer, write_stream
from gmi_emulator.model_listing import list_models
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
    admitted = await admit(request, GMI_EDGE)
    if isinstance(admitted, web.Response):
        return admitted
    model = chat_model(request, admitted, "chat", GMI_EDGE)
    if isinstance(model, web.Response):
        return model
    body, model_id, fault = admitted.body, admitted.model_id, admitted.fault
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
