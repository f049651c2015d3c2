"""Which chat models the emulator serves, and how ``GET /v1/models`` describes them.

Known models are the package catalog's chat entries, any model given a context limit, and one model the
catalog does not know (``emulator/uncatalogued-7b``) so that catalog-miss paths can be tested.

Real GMI returns fields beyond OpenAI's four whose names nobody has published (gmi_api_facts.md §1.2),
so the listing deliberately mixes shapes, chosen by each entry's position in id order (cycle of 8):

====  ==================================================================================
 pos  extras served
====  ==================================================================================
0,2,4 ``context_length``, ``max_output_tokens``, ``pricing: {"prompt": "0.28", "completion": "0.4"}``
      (USD per 1M tokens, as strings)
1     ``max_model_len``, ``max_output_tokens``, the same string pricing
3     ``context_window``, ``max_tokens``, ``pricing: {"input": 2.8e-07, "output": 4e-07}`` (USD per token)
5     ``max_context_length``, ``max_completion_tokens``, no pricing
6     ``context_length`` and per-token float pricing, no output limit
7     ``context_length``, ``max_output_tokens``, string pricing, plus unknown fields
      (``supported_parameters``, ``quantization``, ``endpoint_status``)
====  ==================================================================================

Limits come from the catalog (``max_input_tokens``, ``max_output_tokens``), prices from its
``input_cost_per_token`` / ``output_cost_per_token``; a field whose value is unknown is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from litellm_gmi.testing.state import CREATED, EmulatorState

UNCATALOGUED_MODEL = "emulator/uncatalogued-7b"
UNCATALOGUED_CONTEXT = 32768
UNCATALOGUED_MAX_OUTPUT = 8192


@dataclass(frozen=True)
class ModelInfo:
    """What the chat routes need to know about one model."""

    id: str
    context_limit: int | None
    max_output: int | None
    reasoning: bool = False
    tools: bool = True
    vision: bool = False
    input_cost: float | None = None
    output_cost: float | None = None


def lookup_model(state: EmulatorState, model_id: str) -> ModelInfo | None:
    """The model served under exactly this (case-sensitive) id, or ``None``."""
    entry = state.catalog_entries().get(model_id)
    limit = state.context_limits.get(model_id)
    if entry is not None and entry.get("mode", "chat") == "chat":
        return ModelInfo(
            id=model_id,
            context_limit=limit if limit is not None else _int(entry.get("max_input_tokens")),
            max_output=_int(entry.get("max_output_tokens")),
            reasoning=bool(entry.get("supports_reasoning")),
            tools=bool(entry.get("supports_function_calling", True)),
            vision=bool(entry.get("supports_vision")),
            input_cost=_float(entry.get("input_cost_per_token")),
            output_cost=_float(entry.get("output_cost_per_token")),
        )
    if model_id == UNCATALOGUED_MODEL:
        return ModelInfo(model_id, limit or UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT)
    if limit is not None:
        return ModelInfo(model_id, limit, None)
    return None


def list_models(state: EmulatorState) -> list[dict[str, Any]]:
    """The ``data`` array of ``GET /v1/models``, in id order, shapes mixed as documented above."""
    ids = {*model_ids(state.catalog_entries()), *state.context_limits, UNCATALOGUED_MODEL}
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
        extras = _SHAPES[position % len(_SHAPES)](info)
        data.append(base | {k: v for k, v in extras.items() if v is not None})
    return data


def _per_million(info: ModelInfo) -> dict[str, str] | None:
    if info.input_cost is None or info.output_cost is None:
        return None
    return {"prompt": _decimal(info.input_cost * 1e6), "completion": _decimal(info.output_cost * 1e6)}


def _per_token(info: ModelInfo) -> dict[str, float] | None:
    if info.input_cost is None or info.output_cost is None:
        return None
    return {"input": info.input_cost, "output": info.output_cost}


def _standard(info: ModelInfo) -> dict[str, Any]:
    return {
        "context_length": info.context_limit,
        "max_output_tokens": info.max_output,
        "pricing": _per_million(info),
    }


def _max_model_len(info: ModelInfo) -> dict[str, Any]:
    return {
        "max_model_len": info.context_limit,
        "max_output_tokens": info.max_output,
        "pricing": _per_million(info),
    }


def _context_window(info: ModelInfo) -> dict[str, Any]:
    return {"context_window": info.context_limit, "max_tokens": info.max_output, "pricing": _per_token(info)}


def _max_context_length(info: ModelInfo) -> dict[str, Any]:
    return {"max_context_length": info.context_limit, "max_completion_tokens": info.max_output}


def _per_token_only(info: ModelInfo) -> dict[str, Any]:
    return {"context_length": info.context_limit, "pricing": _per_token(info)}


def _with_unknown_fields(info: ModelInfo) -> dict[str, Any]:
    params = ["max_tokens", "temperature", "top_p", "top_k", "stop", "response_format"]
    if info.tools:
        params += ["tools", "tool_choice"]
    return _standard(info) | {
        "supported_parameters": params,
        "quantization": "fp8",
        "endpoint_status": {"state": "serving", "replicas": 2},
    }


_SHAPES: tuple[Callable[[ModelInfo], dict[str, Any]], ...] = (
    _standard,
    _max_model_len,
    _standard,
    _context_window,
    _standard,
    _max_context_length,
    _per_token_only,
    _with_unknown_fields,
)


def _decimal(value: float) -> str:
    """``0.28`` rather than ``0.27999999999999997``: GMI-style price strings."""
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def model_ids(catalog: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Chat ids of a catalog, for callers that only need the names."""
    return sorted(k for k, v in catalog.items() if v.get("mode", "chat") == "chat")
