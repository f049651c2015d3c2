"""An :class:`Answer` in Anthropic's shapes: the ``message`` body and its SSE event stream.

Content blocks come in Anthropic's order: a ``thinking`` block (with its ``signature``) when the model
thought, then a ``text`` block, then ``tool_use`` blocks. The stream is ``message_start``, ``ping``, per
block ``content_block_start`` / ``content_block_delta`` (``thinking_delta``, ``signature_delta``,
``text_delta``, ``input_json_delta``) / ``content_block_stop``, then ``message_delta`` (stop reason and
output usage) and ``message_stop``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gmi_emulator.answer import Answer
from gmi_emulator.chat.render import halves
from gmi_emulator.messages.parse import signature

_STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}


@dataclass(frozen=True)
class Cache:
    """Prompt-cache tokens for this answer: written now, or read from an earlier request."""

    created: int = 0
    read: int = 0


def usage(answer: Answer, cache: Cache, *, output_tokens: int | None = None) -> dict[str, Any]:
    """Anthropic usage: ``input_tokens`` excludes what the cache wrote or read."""
    cached = min(cache.created + cache.read, answer.prompt_tokens)
    return {
        "input_tokens": answer.prompt_tokens - cached,
        "cache_creation_input_tokens": min(cache.created, cached),
        "cache_read_input_tokens": min(cache.read, cached),
        "output_tokens": answer.completion_tokens if output_tokens is None else output_tokens,
    }


def message_id(answer: Answer) -> str:
    return "msg_" + answer.key[:24]


def stop_reason(answer: Answer) -> str:
    return "stop_sequence" if answer.stop_sequence is not None else _STOP_REASONS[answer.finish]


def blocks(answer: Answer) -> list[dict[str, Any]]:
    """The content blocks of the finished message."""
    content: list[dict[str, Any]] = []
    if answer.reasoning:
        text = answer.reasoning_text
        content.append({"type": "thinking", "thinking": text, "signature": signature(text)})
    if answer.pieces or not answer.tool_calls:
        content.append({"type": "text", "text": answer.text})
    content += [
        {"type": "tool_use", "id": "toolu_" + call.key, "name": call.name, "input": call.input}
        for call in answer.tool_calls
    ]
    return content


def message_body(answer: Answer, model: str, cache: Cache) -> dict[str, Any]:
    """The non-streaming answer."""
    return {
        "id": message_id(answer),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks(answer),
        "stop_reason": stop_reason(answer),
        "stop_sequence": answer.stop_sequence,
        "usage": usage(answer, cache),
    }


def stream_events(answer: Answer, model: str, cache: Cache) -> tuple[list[bytes], list[bytes]]:
    """``(body, closing)`` SSE events; faults cut the body and never send the closing ones."""
    start = message_body(answer, model, cache) | {"content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = usage(answer, cache, output_tokens=1)
    body = [event("message_start", {"message": start}), event("ping", {})]
    for index, block in enumerate(blocks(answer)):
        body += _block_events(index, block, answer)
    delta = {"stop_reason": stop_reason(answer), "stop_sequence": answer.stop_sequence}
    closing = [
        event("message_delta", {"delta": delta, "usage": {"output_tokens": answer.completion_tokens}}),
        event("message_stop", {}),
    ]
    return body, closing


def _block_events(index: int, block: dict[str, Any], answer: Answer) -> list[bytes]:
    kind = block["type"]
    opening: dict[str, Any]
    if kind == "thinking":
        opening = {"type": "thinking", "thinking": "", "signature": ""}
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in answer.reasoning]
        deltas.append({"type": "signature_delta", "signature": block["signature"]})
    elif kind == "text":
        opening = {"type": "text", "text": ""}
        deltas = [{"type": "text_delta", "text": piece} for piece in answer.pieces]
    else:
        opening = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        deltas = [
            {"type": "input_json_delta", "partial_json": part} for part in halves(json.dumps(block["input"]))
        ]
    return [
        event("content_block_start", {"index": index, "content_block": opening}),
        *(event("content_block_delta", {"index": index, "delta": d}) for d in deltas),
        event("content_block_stop", {"index": index}),
    ]


def event(kind: str, data: dict[str, Any]) -> bytes:
    """One Anthropic SSE event: an ``event:`` line naming the type, and the data carrying it too."""
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n".encode()
