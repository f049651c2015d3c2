"""Turn a chat request body into a :class:`ChatRequest`, refusing it the way GMI's engine does.

Rules follow GMI's documented limits (gmi_api_facts.md §1.3): ``top_k`` in 1-128, at most four ``stop``
sequences, ``context_length_exceeded_behavior`` in truncate/error, ``max_tokens`` in ``[1, model max]``,
and no ``image_url`` parts for text-only models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litellm_gmi.constants import CONTEXT_BEHAVIORS, MAX_STOP_SEQUENCES, TOP_K_RANGE
from litellm_gmi.testing.content import prompt_tokens
from litellm_gmi.testing.model_table import ModelInfo


class InvalidRequest(ValueError):
    """Raised with the reason GMI would put after ``The request is invalid:``."""


class ContextOverflow(ValueError):
    """Raised, with vLLM's wording, when the prompt is too long and the caller asked for ``error``."""


@dataclass(frozen=True)
class ChatRequest:
    """The parts of a valid body that shape the answer."""

    model: ModelInfo
    body: Mapping[str, Any]
    messages: list[Any]
    stream: bool
    max_tokens: int | None
    stop: list[str]
    context_behavior: str
    tools: list[Mapping[str, Any]]
    tool_choice: Any
    parallel_tool_calls: bool
    response_format: Mapping[str, Any] | None
    thinking_enabled: bool
    prompt_tokens: int
    """Estimated prompt size, already clipped to the context limit when GMI would truncate."""


def parse_chat_request(body: Mapping[str, Any], model: ModelInfo) -> ChatRequest:
    """Validate ``body`` for ``model``; raise :class:`InvalidRequest` on the first problem."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("`messages` must be a non-empty array")
    _check_top_k(body.get("top_k"))
    behavior = body.get("context_length_exceeded_behavior", "truncate")
    if behavior not in CONTEXT_BEHAVIORS:
        raise InvalidRequest(
            f"unknown variant `{behavior}`, expected one of {', '.join(f'`{b}`' for b in CONTEXT_BEHAVIORS)}"
        )
    if not model.vision and _has_image(messages):
        raise InvalidRequest("unknown variant `image_url`, expected `text`")
    tools = body.get("tools") or []
    if not isinstance(tools, list) or not all(isinstance(t, Mapping) for t in tools):
        raise InvalidRequest("`tools` must be an array of objects")
    response_format = body.get("response_format")
    thinking = body.get("thinking")
    tokens = _prompt_tokens(messages, model, str(behavior))
    return ChatRequest(
        model=model,
        body=body,
        messages=messages,
        stream=bool(body.get("stream")),
        max_tokens=_max_tokens(body, model),
        stop=_stop(body.get("stop")),
        context_behavior=str(behavior),
        tools=tools,
        tool_choice=body.get("tool_choice", "auto"),
        parallel_tool_calls=bool(body.get("parallel_tool_calls")),
        response_format=response_format if isinstance(response_format, Mapping) else None,
        thinking_enabled=isinstance(thinking, Mapping) and thinking.get("type") == "enabled",
        prompt_tokens=tokens,
    )


def _prompt_tokens(messages: list[Any], model: ModelInfo, behavior: str) -> int:
    """GMI truncates over-long prompts unless told ``error`` (its documented default differs from OpenAI)."""
    tokens = prompt_tokens(messages)
    limit = model.context_limit
    if limit is None or tokens <= limit:
        return tokens
    if behavior == "error":
        raise ContextOverflow(
            f"This model's maximum context length is {limit} tokens. However, you requested {tokens} "
            "tokens. Please reduce the length of the messages."
        )
    return limit


def _check_top_k(top_k: Any) -> None:
    low, high = TOP_K_RANGE
    if top_k is None:
        return
    if not isinstance(top_k, int) or isinstance(top_k, bool) or not low <= top_k <= high:
        raise InvalidRequest(f"top_k must be an integer between {low} and {high}, got {top_k!r}")


def _stop(stop: Any) -> list[str]:
    if stop is None:
        return []
    sequences = [stop] if isinstance(stop, str) else stop
    if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
        raise InvalidRequest("`stop` must be a string or an array of strings")
    if len(sequences) > MAX_STOP_SEQUENCES:
        raise InvalidRequest(f"at most {MAX_STOP_SEQUENCES} stop sequences are allowed, got {len(sequences)}")
    return [s for s in sequences if s]


def _max_tokens(body: Mapping[str, Any], model: ModelInfo) -> int | None:
    """``max_tokens``, or ``max_completion_tokens`` when only that was sent."""
    value = body.get("max_tokens", body.get("max_completion_tokens"))
    if value is None:
        return None
    upper = model.max_output
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or (upper and value > upper):
        bound = upper if upper else "inf"
        raise InvalidRequest(f"Invalid max_tokens value, the valid range of max_tokens is [1, {bound}]")
    return value


def _has_image(messages: list[Any]) -> bool:
    for message in messages:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list) and any(
            isinstance(p, Mapping) and p.get("type") == "image_url" for p in content
        ):
            return True
    return False
