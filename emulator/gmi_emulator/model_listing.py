"""Which chat models the emulator serves, and how ``GET /v1/models`` describes them.

Served models are the rows of :mod:`gmi_emulator.model_table`, any id given a context limit, and
``emulator/uncatalogued-7b``, a model no public source names, so that catalog-miss paths can be tested.
Embedding models answer on ``/v1/embeddings`` only and are not listed: no source shows an embedding id
in a ``/v1/models`` answer (pgciq/pi-gmicloud-ai's snapshot of it names chat ids only) [I].

Real GMI returns fields beyond OpenAI's four whose names nobody has published (earendil-works/pi PR #9605 and
anomalyco/models.dev PR #5475 report them; none prints a raw entry), so the listing deliberately mixes shapes,
chosen by each entry's position in id order (cycle of 8):

====  ==================================================================================
 pos  extras served
====  ==================================================================================
0,2,4 ``context_length``, ``max_output_tokens``, ``pricing: {"prompt": "0.28", "completion": "0.4"}``
      (USD per 1M tokens, as strings; plus ``input_cache_read`` where known)
1     ``max_model_len``, ``max_output_tokens``, string pricing in USD per token (``"0.00000029"``)
3     ``context_window``, ``max_tokens``, ``pricing: {"input": 2.8e-07, "output": 4e-07}`` (USD per token)
5     ``max_context_length``, ``max_completion_tokens``, no pricing
6     ``context_length`` and per-token float pricing, no output limit
7     ``context_length``, ``max_output_tokens``, string pricing, plus unknown fields
      (``supported_parameters``, ``quantization``, ``endpoint_status``)
====  ==================================================================================

``emulator/uncatalogued-7b`` always takes the first shape, so that catalog-miss tests see its limits.
Limits and prices come from the model table (and the state's context overrides); a field whose value
is unknown is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from gmi_emulator.model_table import CHAT_MODELS, UNCATALOGUED, UNCATALOGUED_MODEL, ChatModel
from gmi_emulator.state import CREATED, EmulatorState


def lookup_model(state: EmulatorState, model_id: str) -> ChatModel | None:
    """The chat model served under exactly this (case-sensitive) id, or ``None``."""
    model = CHAT_MODELS.get(model_id) or (UNCATALOGUED if model_id == UNCATALOGUED_MODEL else None)
    limit = state.context_limits.get(model_id)
    if limit is None:
        return model
    return replace(model, context=limit) if model is not None else ChatModel(model_id, context=limit)


def list_models(state: EmulatorState) -> list[dict[str, Any]]:
    """The ``data`` array of ``GET /v1/models``, in id order, shapes mixed as documented above."""
    ids = {*CHAT_MODELS, *state.context_limits, UNCATALOGUED_MODEL}
    data = []
    for position, model_id in enumerate(sorted(ids)):
        info = lookup_model(state, model_id)
        assert info is not None
        base: dict[str, Any] = {
            "id": model_id,
            "object": "model",
            "created": CREATED,
            "owned_by": model_id.split("/", 1)[0] if "/" in model_id else "gmi",
        }
        shape = _standard if model_id == UNCATALOGUED_MODEL else _SHAPES[position % len(_SHAPES)]
        extras = shape(info)
        data.append(base | {k: v for k, v in extras.items() if v is not None})
    return data


def _per_million(info: ChatModel) -> dict[str, str] | None:
    """Strings in USD per 1M tokens, with the cache-read price where known (pi-gmicloud's field names)."""
    if info.price is None:
        return None
    prices = {"prompt": _decimal(info.price[0]), "completion": _decimal(info.price[1])}
    if info.cache_read is not None:
        prices["input_cache_read"] = _decimal(info.cache_read)
    return prices


def _per_token_strings(info: ChatModel) -> dict[str, str] | None:
    """Strings in USD per token: how pi-gmicloud, written against the live list, reads ``pricing``
    (pgciq/pi-gmicloud-ai). Which unit GMI uses is unpublished, so the listing serves both."""
    if info.price is None:
        return None
    return {"prompt": _decimal(info.price[0] / 1e6, 12), "completion": _decimal(info.price[1] / 1e6, 12)}


def _per_token(info: ChatModel) -> dict[str, float] | None:
    if info.price is None:
        return None
    return {"input": info.price[0] / 1e6, "output": info.price[1] / 1e6}


def _standard(info: ChatModel) -> dict[str, Any]:
    return {
        "context_length": info.context,
        "max_output_tokens": info.max_output,
        "pricing": _per_million(info),
    }


def _max_model_len(info: ChatModel) -> dict[str, Any]:
    return {
        "max_model_len": info.context,
        "max_output_tokens": info.max_output,
        "pricing": _per_token_strings(info),
    }


def _context_window(info: ChatModel) -> dict[str, Any]:
    return {"context_window": info.context, "max_tokens": info.max_output, "pricing": _per_token(info)}


def _max_context_length(info: ChatModel) -> dict[str, Any]:
    return {"max_context_length": info.context, "max_completion_tokens": info.max_output}


def _per_token_only(info: ChatModel) -> dict[str, Any]:
    return {"context_length": info.context, "pricing": _per_token(info)}


def _with_unknown_fields(info: ChatModel) -> dict[str, Any]:
    params = ["max_tokens", "temperature", "top_p", "top_k", "stop", "response_format", "tools"]
    return _standard(info) | {
        "supported_parameters": params,
        "quantization": "fp8",
        "endpoint_status": {"state": "serving", "replicas": 2},
    }


_SHAPES: tuple[Callable[[ChatModel], dict[str, Any]], ...] = (
    _standard,
    _max_model_len,
    _standard,
    _context_window,
    _standard,
    _max_context_length,
    _per_token_only,
    _with_unknown_fields,
)


def _decimal(value: float, places: int = 6) -> str:
    """``0.28`` rather than ``0.27999999999999997``: GMI-style price strings."""
    return f"{value:.{places}f}".rstrip("0").rstrip(".") or "0"
