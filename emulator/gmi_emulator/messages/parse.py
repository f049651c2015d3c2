"""Turn an Anthropic Messages body into a :class:`Prompt`, refusing it the way Anthropic's API does.

GMI serves this endpoint for Claude with native ``thinking {type: enabled, budget_tokens}`` (models.dev
``providers/gmicloud/provider.toml``) and for MiniMax (GMI's MiniMax-M2.7 page on docs.gmicloud.ai). The rules
are Anthropic's public ones: ``max_tokens`` is required, ``budget_tokens`` is at least 1,024 and below
``max_tokens``, thinking cannot be combined with a forced tool, and when thinking is on, an assistant turn
that used tools must start with its (signed) thinking block.

Prompt caching: a ``cache_control`` mark on a tool, system block or content block caches the prefix up
to it (tools, then system, then messages). Prefixes under 1,024 tokens are not cached (Anthropic's
minimum for Opus and Sonnet; the same is assumed for MiniMax [I]).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gmi_emulator.answer import Prompt, Structured, ToolSpec
from gmi_emulator.content import content_text, digest, prompt_tokens
from gmi_emulator.model_table import ChatModel

MIN_THINKING_BUDGET = 1024
MIN_CACHEABLE_TOKENS = 1024


class MessagesError(ValueError):
    """A 400 ``invalid_request_error`` with Anthropic's wording."""


@dataclass(frozen=True)
class CacheUse:
    """How much of the prompt was written to or read from the prompt cache."""

    prefix_key: str | None
    prefix_tokens: int


@dataclass(frozen=True)
class MessagesRequest:
    """A valid body: the neutral prompt plus what only this API reports."""

    prompt: Prompt
    cache: CacheUse


def parse_messages_request(body: Mapping[str, Any], model: ChatModel) -> MessagesRequest:
    """Validate ``body``; raise :class:`MessagesError` on the first problem."""
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise MessagesError("max_tokens: Field required (a positive integer)")
    if model.max_output is not None and max_tokens > model.max_output:
        raise MessagesError(
            f"max_tokens: {max_tokens} > {model.max_output}, which is the maximum allowed number of output "
            f"tokens for {model.id}"
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not all(_is_message(m) for m in messages):
        raise MessagesError("messages: each message needs a role of 'user' or 'assistant' and content")
    if not model.vision and any(_blocks_of(m, "image") for m in messages):
        raise MessagesError(f"{model.id} does not support image input")
    tools = _tools(body.get("tools"))
    tool_choice, parallel = _tool_choice(body.get("tool_choice"))
    thinking = _thinking(body.get("thinking"), max_tokens)
    if thinking and tool_choice not in ("auto", "none"):
        raise MessagesError("Thinking may not be enabled when tool_choice forces tool use.")
    if thinking:
        _check_thinking_turns(messages)
    texts = [_system_text(body.get("system")), *(_message_text(m) for m in messages)]
    prompt = Prompt(
        model_id=model.id,
        body=body,
        conversation={"system": body.get("system"), "messages": messages},
        prompt_tokens=prompt_tokens(texts),
        stream=bool(body.get("stream")),
        max_tokens=max_tokens,
        stop=tuple(_stop_sequences(body.get("stop_sequences"))),
        thinking=thinking,
        tools=tuple(tools),
        tool_choice=tool_choice,
        parallel_tools=parallel,
        tool_result=_tool_result(messages[-1]),
        structured=_output_format(body.get("output_format")),
    )
    return MessagesRequest(prompt, _cache_prefix(body, model))


def signature(thinking: str) -> str:
    """The signature of a thinking block: tied to its text, so an edited block fails verification."""
    return base64.b64encode(hashlib.sha256(b"gmi-emulator:" + thinking.encode()).digest()).decode()


# ---------------------------------------------------------------------------------------- pieces ---
def _is_message(message: Any) -> bool:
    return (
        isinstance(message, Mapping)
        and message.get("role") in ("user", "assistant")
        and isinstance(message.get("content"), str | list)
    )


def _blocks_of(message: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    content = message.get("content")
    if not isinstance(content, list):
        return []
    return [b for b in content if isinstance(b, Mapping) and b.get("type") == kind]


def _message_text(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts = []
    for block in content if isinstance(content, list) else []:
        if not isinstance(block, Mapping):
            continue
        kind = block.get("type")
        if kind == "text":
            parts.append(str(block.get("text", "")))
        elif kind == "tool_use":
            parts.append(str(block.get("name", "")) + json.dumps(block.get("input", {})))
        elif kind == "tool_result":
            parts.append(content_text(block.get("content")))
    return "".join(parts)


def _system_text(system: Any) -> str:
    if system is None or isinstance(system, str):
        return system or ""
    if isinstance(system, list) and all(isinstance(b, Mapping) and b.get("type") == "text" for b in system):
        return content_text(system)
    raise MessagesError("system: Input should be a valid string or a list of text blocks")


def _tools(tools: Any) -> list[ToolSpec]:
    if tools is None:
        return []
    if not isinstance(tools, list) or not all(isinstance(t, Mapping) for t in tools):
        raise MessagesError("tools: Input should be a valid list")
    specs = []
    for tool in tools:
        name = tool.get("name")
        if not isinstance(name, str) or not name:
            raise MessagesError("tools: each tool needs a name")
        if "type" in tool and tool["type"] != "custom":
            continue  # Anthropic's server tools (web search...) run server-side; the emulator skips them
        schema = tool.get("input_schema")
        if not isinstance(schema, Mapping):
            raise MessagesError(f"tools.{name}.input_schema: Field required")
        specs.append(ToolSpec(name, schema))
    return specs


def _tool_choice(choice: Any) -> tuple[str, bool]:
    """``{type: auto|any|tool|none, name?, disable_parallel_tool_use?}`` as (choice, parallel)."""
    if choice is None:
        return "auto", False
    if not isinstance(choice, Mapping) or choice.get("type") not in ("auto", "any", "tool", "none"):
        raise MessagesError("tool_choice: Input tag does not match any of 'auto', 'any', 'tool', 'none'")
    parallel = choice.get("disable_parallel_tool_use") is False
    kind = choice["type"]
    if kind == "tool":
        name = choice.get("name")
        if not isinstance(name, str):
            raise MessagesError("tool_choice.tool.name: Field required")
        return name, False
    return ("required" if kind == "any" else str(kind)), parallel


def _thinking(thinking: Any, max_tokens: int) -> bool:
    if thinking is None:
        return False
    if not isinstance(thinking, Mapping) or thinking.get("type") not in ("enabled", "disabled"):
        raise MessagesError("thinking: Input tag does not match any of 'enabled', 'disabled'")
    if thinking["type"] == "disabled":
        return False
    budget = thinking.get("budget_tokens")
    if not isinstance(budget, int) or isinstance(budget, bool):
        raise MessagesError("thinking.enabled.budget_tokens: Field required")
    if budget < MIN_THINKING_BUDGET:
        raise MessagesError(
            f"thinking.enabled.budget_tokens: Input should be greater than or equal to {MIN_THINKING_BUDGET}"
        )
    if budget >= max_tokens:
        raise MessagesError("`max_tokens` must be greater than `thinking.budget_tokens`.")
    return True


def _check_thinking_turns(messages: list[Any]) -> None:
    """With thinking on, the last assistant turn that used tools must open with its signed thinking."""
    for message in reversed(messages):
        if message.get("role") != "assistant":
            continue
        content = message.get("content")
        if not _blocks_of(message, "tool_use"):
            return
        first = content[0] if isinstance(content, list) and content else None
        if not isinstance(first, Mapping) or first.get("type") not in ("thinking", "redacted_thinking"):
            kind = first.get("type") if isinstance(first, Mapping) else "text"
            raise MessagesError(
                f"messages: Expected `thinking` or `redacted_thinking`, but found `{kind}`. When `thinking` "
                "is enabled, a final `assistant` message must start with a thinking block."
            )
        if first.get("type") == "thinking" and first.get("signature") != signature(
            str(first.get("thinking"))
        ):
            raise MessagesError("messages: Invalid `signature` in `thinking` block")
        return


def _stop_sequences(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise MessagesError("stop_sequences: Input should be a valid list of strings")
    return value


def _tool_result(last: Mapping[str, Any]) -> str | None:
    results = _blocks_of(last, "tool_result") if last.get("role") == "user" else []
    return content_text(results[-1].get("content")) if results else None


def _output_format(value: Any) -> Structured | None:
    """Anthropic's structured outputs: ``output_format: {type: json_schema, schema}``."""
    if not isinstance(value, Mapping):
        return None
    if value.get("type") != "json_schema" or not isinstance(value.get("schema"), Mapping):
        raise MessagesError("output_format: expected {type: 'json_schema', schema: {...}}")
    return Structured(value["schema"])


def _cache_prefix(body: Mapping[str, Any], model: ChatModel) -> CacheUse:
    """The prompt prefix up to the last ``cache_control`` mark (tools, system, messages in that order)."""
    parts: list[Any] = []
    marked: list[Any] | None = None
    for tool in body.get("tools") or []:
        parts.append(tool)
        if isinstance(tool, Mapping) and "cache_control" in tool:
            marked = list(parts)
    system = body.get("system")
    for block in system if isinstance(system, list) else [system] if system else []:
        parts.append(block)
        if isinstance(block, Mapping) and "cache_control" in block:
            marked = list(parts)
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, Mapping) else None
        for block in content if isinstance(content, list) else [content]:
            parts.append(block)
            if isinstance(block, Mapping) and "cache_control" in block:
                marked = list(parts)
    if marked is None:
        return CacheUse(None, 0)
    tokens = prompt_tokens([_part_text(p) for p in marked])
    if tokens < MIN_CACHEABLE_TOKENS:
        return CacheUse(None, 0)
    strip = [
        {k: v for k, v in p.items() if k != "cache_control"} if isinstance(p, Mapping) else p for p in marked
    ]
    return CacheUse(digest({"model": model.id, "prefix": strip}), tokens)


def _part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Mapping):
        if "input_schema" in part:
            return json.dumps(part)
        return str(part.get("text", "")) or content_text(part.get("content"))
    return ""
