"""Decide what the emulated model says to a valid request: text, JSON, tool calls, reasoning, usage.

The answer is computed once as a list of pieces so that the plain JSON body and the SSE stream are two
renderings of the same thing (a stream's pieces concatenate to the non-stream content).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litellm_gmi.testing.content import content_text, digest, dummy_object, text_tokens, thought, words
from litellm_gmi.testing.validation import ChatRequest

DEFAULT_WORDS = 16


@dataclass(frozen=True)
class ToolCall:
    """One function call the model makes; ``arguments`` is a JSON string as in OpenAI's API."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Answer:
    """Everything both renderings need."""

    id: str
    pieces: list[str]
    """Content deltas in order; empty when the answer is a tool call."""
    reasoning: list[str]
    """``reasoning_content`` deltas; empty for non-reasoning models and ``<think>``-style models."""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int | None = None

    @property
    def content(self) -> str | None:
        """The message content, ``None`` for tool calls as OpenAI sends it."""
        return None if self.tool_calls else "".join(self.pieces)


def build_answer(request: ChatRequest) -> Answer:
    """The deterministic answer to ``request``: ids hash the whole body, words hash model and messages."""
    body_hash = digest(request.body)
    seed = digest({"model": request.model.id, "messages": request.messages})
    trace = thought(seed) if _reasons(request) else []
    think_tags = bool(trace) and "DeepSeek-R1" in request.model.id
    calls = _tool_calls(request, body_hash)
    if calls:
        pieces: list[str] = []
        finish = "tool_calls"
        produced = sum(text_tokens(c.name + c.arguments) for c in calls)
    else:
        pieces, finish = _content_pieces(request, seed)
        produced = len(pieces)
    if think_tags:
        pieces = ["<think>", *_spaced(trace), "</think>", *pieces]
    reasoning_tokens = len(trace) if trace else None
    return Answer(
        id="chatcmpl-" + body_hash[:24],
        pieces=pieces,
        reasoning=[] if think_tags else _spaced(trace),
        tool_calls=calls,
        finish_reason=finish,
        prompt_tokens=request.prompt_tokens,
        completion_tokens=produced + (reasoning_tokens or 0),
        reasoning_tokens=reasoning_tokens,
    )


def _reasons(request: ChatRequest) -> bool:
    """Catalog reasoning models think; MiniMax only when the body has ``thinking: {type: enabled}``."""
    if not request.model.reasoning:
        return False
    return "minimax" not in request.model.id.lower() or request.thinking_enabled


def _spaced(tokens: list[str]) -> list[str]:
    return [token if i == 0 else " " + token for i, token in enumerate(tokens)]


def _content_pieces(request: ChatRequest, seed: str) -> tuple[list[str], str]:
    structured = _structured(request.response_format)
    if structured is not None:
        text = json.dumps(structured)
        return [text[i : i + 8] for i in range(0, len(text), 8)], "stop"
    limit = request.max_tokens
    count = (limit or DEFAULT_WORDS) if request.stream else min(limit or DEFAULT_WORDS, DEFAULT_WORDS)
    finish = "length" if limit is not None and count == limit else "stop"
    pieces = _spaced(words(seed, count))
    last = request.messages[-1]
    if isinstance(last, Mapping) and last.get("role") == "tool":
        result = content_text(last.get("content")).strip()[:80]
        pieces = [f"The tool returned: {result}.", *(" " + p.lstrip() for p in pieces)]
    return _apply_stop(pieces, request.stop, finish)


def _structured(response_format: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """JSON mode answers a fixed object; ``json_schema`` answers the schema's required fields."""
    if response_format is None:
        return None
    kind = response_format.get("type")
    if kind == "json_object":
        return {"answer": "emulated", "ok": True}
    if kind == "json_schema":
        spec = response_format.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
        return dummy_object(schema) if isinstance(schema, Mapping) else {}
    return None


def _apply_stop(pieces: list[str], stop: list[str], finish: str) -> tuple[list[str], str]:
    """Cut at the earliest stop sequence (not included), as OpenAI-style servers do."""
    text = "".join(pieces)
    cuts = [i for i in (text.find(s) for s in stop) if i >= 0]
    if not cuts:
        return pieces, finish
    remaining = min(cuts)
    kept = []
    for piece in pieces:
        if remaining <= 0:
            break
        kept.append(piece[:remaining])
        remaining -= len(piece)
    return kept, "stop"


def _tool_calls(request: ChatRequest, body_hash: str) -> list[ToolCall]:
    """Call tools unless told not to or unless the last message already is a tool result."""
    last = request.messages[-1]
    if not request.tools or request.tool_choice == "none":
        return []
    if isinstance(last, Mapping) and last.get("role") == "tool":
        return []
    functions = [t.get("function") for t in request.tools]
    defs = [f for f in functions if isinstance(f, Mapping) and isinstance(f.get("name"), str)]
    chosen = _forced_name(request.tool_choice)
    if chosen is not None:
        defs = [f for f in defs if f["name"] == chosen] or [{"name": chosen}]
    else:
        defs = defs[: 2 if request.parallel_tool_calls else 1]
    calls = []
    for index, fn in enumerate(defs):
        params = fn.get("parameters")
        arguments = json.dumps(dummy_object(params) if isinstance(params, Mapping) else {})
        calls.append(ToolCall("call_" + digest([body_hash, index])[:24], str(fn["name"]), arguments))
    return calls


def _forced_name(tool_choice: Any) -> str | None:
    if isinstance(tool_choice, Mapping):
        fn = tool_choice.get("function")
        if isinstance(fn, Mapping) and isinstance(fn.get("name"), str):
            return str(fn["name"])
    return None
