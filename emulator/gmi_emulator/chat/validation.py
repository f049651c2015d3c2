"""Turn a chat request body into a :class:`Prompt`, refusing it the way GMI's engine does.

Rules follow GMI's LLM API reference (docs.gmicloud.ai/inference-engine/api-reference/llm-api-reference,
Parameters table) and the errors recorded in Vercel's AI SDK GMI provider tests (vercel/ai
``packages/gmicloud``): ``top_k`` in 1-128, at most four ``stop`` sequences,
``context_length_exceeded_behavior`` in truncate/error, ``max_tokens`` in ``[1, model ceiling]``, and no
``image_url`` parts for text-only models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gmi_emulator.answer import Prompt, Structured, ToolSpec
from gmi_emulator.content import content_text, prompt_tokens
from gmi_emulator.limits import (
    CONTEXT_BEHAVIORS,
    DEFAULT_CONTEXT_BEHAVIOR,
    MAX_STOP_SEQUENCES,
    MAX_TOKENS_MESSAGE,
    TOP_K_RANGE,
)
from gmi_emulator.model_table import ChatModel
from gmi_emulator.structured import find_schema


class InvalidRequest(ValueError):
    """Raised with the reason GMI would put after ``The request is invalid:``."""


class ContextOverflow(ValueError):
    """Raised, with vLLM's wording, when the prompt is too long and the caller asked for ``error``."""


def parse_chat_request(body: Mapping[str, Any], model: ChatModel) -> Prompt:
    """Validate ``body`` for ``model``; raise :class:`InvalidRequest` on the first problem."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("`messages` must be a non-empty array")
    _check_top_k(body.get("top_k"))
    behavior = body.get("context_length_exceeded_behavior", DEFAULT_CONTEXT_BEHAVIOR)
    if behavior not in CONTEXT_BEHAVIORS:
        raise InvalidRequest(
            f"unknown variant `{behavior}`, expected one of {', '.join(f'`{b}`' for b in CONTEXT_BEHAVIORS)}"
        )
    if not model.vision and _has_image(messages):
        raise InvalidRequest("unknown variant `image_url`, expected `text`")
    tools = body.get("tools") or []
    if not isinstance(tools, list) or not all(isinstance(t, Mapping) for t in tools):
        raise InvalidRequest("`tools` must be an array of objects")
    thinking = _thinks(body, model)
    tool_choice = _tool_choice(body.get("tool_choice", "auto"))
    if thinking and tools and tool_choice not in ("auto", "none") and model.reasoning != "hidden":
        # Seen on GMI with a forced tool_choice on a thinking model (vercel/ai ``packages/gmicloud``'s test
        # messages).
        raise InvalidRequest("Thinking mode does not support this tool_choice")
    return Prompt(
        model_id=model.id,
        body=body,
        conversation=messages,
        prompt_tokens=_prompt_tokens(messages, model, str(behavior)),
        stream=bool(body.get("stream")),
        max_tokens=_max_tokens(body, model),
        stop=tuple(_stop(body.get("stop"))),
        thinking=thinking,
        tools=tuple(_tool_specs(tools)),
        tool_choice=tool_choice,
        parallel_tools=bool(body.get("parallel_tool_calls")),
        tool_result=_tool_result(messages[-1]),
        structured=_structured(body.get("response_format"), messages),
    )


def message_texts(messages: list[Any]) -> list[str]:
    """One string per message: its text plus any tool calls' names and arguments."""
    texts = []
    for message in messages:
        if not isinstance(message, Mapping):
            texts.append(str(message))
            continue
        parts = [content_text(message.get("content"))]
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, Mapping) else None
            if isinstance(function, Mapping):
                parts.append(str(function.get("name", "")) + str(function.get("arguments", "")))
        texts.append("".join(parts))
    return texts


def _thinks(body: Mapping[str, Any], model: ChatModel) -> bool:
    """Reasoning models think; ``switch`` models (MiniMax) only with ``thinking: {type: enabled}``.

    Others stop on ``reasoning_effort: "none"`` or a chat-template switch set to false."""
    if model.reasoning == "switch":
        thinking = body.get("thinking")
        return isinstance(thinking, Mapping) and thinking.get("type") == "enabled"
    if model.reasoning == "none" or body.get("reasoning_effort") == "none":
        return False
    template = body.get("chat_template_kwargs")
    switches = (
        [template.get(k) for k in ("enable_thinking", "thinking")] if isinstance(template, Mapping) else []
    )
    return False not in switches


def _prompt_tokens(messages: list[Any], model: ChatModel, behavior: str) -> int:
    """GMI truncates over-long prompts unless told ``error`` (its documented default differs from OpenAI)."""
    tokens = prompt_tokens(message_texts(messages))
    limit = model.context
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


def _max_tokens(body: Mapping[str, Any], model: ChatModel) -> int | None:
    """``max_tokens``, or ``max_completion_tokens`` when only that was sent (GMI's own GPT-5.2 and
    hy3-preview examples on docs.gmicloud.ai send it)."""
    value = body.get("max_tokens", body.get("max_completion_tokens"))
    if value is None:
        return None
    upper = model.max_output
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or (upper and value > upper):
        raise InvalidRequest(MAX_TOKENS_MESSAGE.format(upper=upper if upper else "inf"))
    return value


def _has_image(messages: list[Any]) -> bool:
    for message in messages:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list) and any(
            isinstance(p, Mapping) and p.get("type") == "image_url" for p in content
        ):
            return True
    return False


def _tool_specs(tools: list[Mapping[str, Any]]) -> list[ToolSpec]:
    specs = []
    for tool in tools:
        function = tool.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            parameters = function.get("parameters")
            specs.append(ToolSpec(function["name"], parameters if isinstance(parameters, Mapping) else None))
    return specs


def _tool_choice(choice: Any) -> str:
    """OpenAI's ``tool_choice``: a word, or ``{"type": "function", "function": {"name": ...}}``."""
    if isinstance(choice, Mapping):
        function = choice.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            return str(function["name"])
        return "auto"
    return choice if choice in ("auto", "none", "required") else "auto"


def _tool_result(last: Any) -> str | None:
    if isinstance(last, Mapping) and last.get("role") == "tool":
        return content_text(last.get("content"))
    return None


def _structured(response_format: Any, messages: list[Any]) -> Structured | None:
    """``json_schema`` answers the schema; ``json_object`` answers a schema written in the messages."""
    if not isinstance(response_format, Mapping):
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        spec = response_format.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
        return Structured(schema if isinstance(schema, Mapping) else {"type": "object"})
    if kind == "json_object":
        return Structured(find_schema(message_texts(messages)))
    return None
