"""What every LLM route checks before its own work, as GMI's edge does: key, body, fault, model field.

Order: the API key, then an armed or header-requested fault (GMI's edge rate-limits and fails before it
routes, so a fault wins over a bad body), then that the body is a JSON object naming a ``model``. Each
API words its refusals in its own shape through an :class:`Edge`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gmi_emulator.auth import check_auth
from gmi_emulator.envelope import error_response, invalid_request, unknown_model
from gmi_emulator.fault_effects import ErrorResponse, bad_header, early_answer, fault_for
from gmi_emulator.faults import Fault
from gmi_emulator.model_listing import lookup_model
from gmi_emulator.model_table import EMBEDDING_MODELS, Api, ChatModel
from gmi_emulator.request_body import read_json
from gmi_emulator.state import STATE_KEY

_API_NAMES = {"chat": "Chat Completions", "messages": "Messages", "responses": "Responses"}


@dataclass(frozen=True)
class Edge:
    """How one API refuses a request before routing it."""

    error: ErrorResponse
    """``(status, message, headers)`` in the API's error shape."""
    reject: Callable[[str], web.Response]
    """A 400 with the API's wording for validation failures."""
    not_json: str
    no_model: str
    x_api_key: bool = False
    """Whether Anthropic's ``x-api-key`` header is accepted besides the Bearer key."""


@dataclass(frozen=True)
class Admitted:
    """A request that passed the edge: its body, its model id, and the fault to apply to its answer."""

    body: Mapping[str, Any]
    model_id: str
    fault: Fault | None


async def admit(request: web.Request, edge: Edge) -> Admitted | web.Response:
    """The admitted request, or the answer that refuses it."""
    failure = check_auth(request.headers, x_api_key=edge.x_api_key)
    if failure is not None:
        return edge.error(failure.status, failure.message, None)
    body = await read_json(request)
    model_id = body.get("model") if isinstance(body, Mapping) else None
    try:
        fault = fault_for(request, request.app[STATE_KEY], model_id if isinstance(model_id, str) else None)
    except ValueError as exc:
        return edge.reject(bad_header(exc))
    early = await early_answer(fault, edge.error) if fault is not None else None
    if early is not None:
        return early
    if not isinstance(body, Mapping):
        return edge.reject(edge.not_json)
    if not isinstance(model_id, str) or not model_id:
        return edge.reject(edge.no_model)
    return Admitted(body, model_id, fault)


GMI_EDGE = Edge(
    error=error_response,
    reject=invalid_request,
    not_json="the body must be a JSON object",
    no_model="missing field `model`",
)
"""GMI's own routes (chat completions, embeddings): the edge envelope, engine-worded 400s."""


def chat_model(request: web.Request, admitted: Admitted, api: Api, edge: Edge) -> ChatModel | web.Response:
    """The model an LLM route answers for, or its refusal.

    An id nothing serves is GMI's router's plain-text 404 ([V-live] nrynss/thutapi). A model served elsewhere
    (an embedding model on chat, a DeepSeek on ``/v1/messages``) is a 400 in the route's shape: what GMI
    answers there is unpublished ([I]); vLLM answers such calls with "does not support ... API".
    """
    model = lookup_model(request.app[STATE_KEY], admitted.model_id)
    if model is None and admitted.model_id in EMBEDDING_MODELS:
        return edge.reject(f"The model does not support {_API_NAMES[api]} API")
    if model is None:
        return unknown_model(admitted.model_id)
    if api not in model.apis:
        return edge.reject(
            f"The model {model.id} does not support {_API_NAMES[api]} API; use /v1/chat/completions"
        )
    return model
