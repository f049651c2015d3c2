"""``POST /v1/responses`` (and ``GET /v1/responses/{id}``) for the GPT-5 models of the model table.

Errors are OpenAI's ``{"error": {"message", "type", "param", "code"}}``. An id no model answers to gets
GMI's router's plain-text 404 ([V-live] nrynss/thutapi); a known model that is not served here gets a 400
([I]: GMI publishes nothing on it). Responses are kept in memory unless ``store`` is false, so that
``previous_response_id`` continues a conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiohttp import web

from gmi_emulator.answer import build_answer
from gmi_emulator.auth import check_auth
from gmi_emulator.edge import Edge, admit, chat_model
from gmi_emulator.fault_effects import (
    STREAM_FAILURE,
    plain_answer,
    write_stream,
)
from gmi_emulator.responses.parse import ResponsesError, parse_responses_request
from gmi_emulator.responses.render import ResponseView, error_event, stream_events
from gmi_emulator.state import STATE_KEY

ERROR_TYPES = {429: "rate_limit_error", 500: "server_error", 503: "server_error"}
"""OpenAI's error ``type`` by status; every other 4xx is an ``invalid_request_error``."""
ERROR_CODES = {401: "invalid_api_key", 429: "rate_limit_exceeded"}


@dataclass(frozen=True)
class Stored:
    """A kept response: the conversation it ended (for ``previous_response_id``) and the object."""

    conversation: list[Mapping[str, Any]]
    response: dict[str, Any]


def add_responses_routes(app: web.Application) -> None:
    """Mount ``/v1/responses``."""
    app.router.add_post("/v1/responses", responses_handler)
    app.router.add_get("/v1/responses/{response_id}", retrieve_handler)


def error_response(
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    *,
    param: str | None = None,
    code: str | None = None,
) -> web.Response:
    """An error in OpenAI's shape."""
    error = {
        "message": message,
        "type": ERROR_TYPES.get(status, "invalid_request_error" if status < 500 else "server_error"),
        "param": param,
        "code": code or ERROR_CODES.get(status),
    }
    return web.json_response({"error": error}, status=status, headers=headers)


EDGE = Edge(
    error=error_response,
    reject=partial(error_response, 400),
    not_json="We could not parse the JSON body of your request.",
    no_model="Missing required parameter: 'model'.",
)


async def responses_handler(request: web.Request) -> web.StreamResponse:
    """Auth, faults, model, validation, then the response object or its event stream."""
    admitted = await admit(request, EDGE)
    if isinstance(admitted, web.Response):
        return admitted
    model = chat_model(request, admitted, "responses", EDGE)
    if isinstance(model, web.Response):
        return model
    body, model_id, fault = admitted.body, admitted.model_id, admitted.fault
    state = request.app[STATE_KEY]
    previous_id = body.get("previous_response_id")
    previous = state.responses.get(previous_id) if isinstance(previous_id, str) else None
    if previous_id is not None and not isinstance(previous, Stored):
        message = f"Previous response with id '{previous_id}' not found."
        return error_response(400, message, param="previous_response_id", code="previous_response_not_found")
    try:
        parsed = parse_responses_request(body, model, previous.conversation if previous else None)
    except ResponsesError as exc:
        return error_response(400, str(exc), param=exc.param, code=exc.code)
    view = ResponseView(build_answer(parsed.prompt), parsed, model_id, body)
    if body.get("store", True) is not False:
        state.responses.put(view.id, Stored([*parsed.items, *view.items()], view.response()))
    if not parsed.prompt.stream:
        return plain_answer(request, view.response(), fault, error_response)
    events, closing = stream_events(view)
    return await write_stream(request, events, closing, fault, error_event(STREAM_FAILURE[1]))


async def retrieve_handler(request: web.Request) -> web.Response:
    """A stored response by id (OpenAI's ``GET /v1/responses/{id}``)."""
    failure = check_auth(request.headers)
    if failure is not None:
        return error_response(failure.status, failure.message)
    response_id = request.match_info["response_id"]
    stored = request.app[STATE_KEY].responses.get(response_id)
    if not isinstance(stored, Stored):
        return error_response(404, f"Response with id '{response_id}' not found.", param="response_id")
    return web.json_response(stored.response)
