"""Two renderings of one :class:`Answer`: the ``chat.completion`` body and the ``chat.completion.chunk`` list.

The chunk list follows GMI's documented stream: a role chunk, reasoning deltas, content (or tool-call)
deltas, a finish chunk, then a usage-only chunk with ``choices: []`` that GMI always sends, with or
without ``stream_options.include_usage`` (gmi_api_facts.md §1.6).
"""

from __future__ import annotations

from typing import Any

from litellm_gmi.testing.answer import Answer
from litellm_gmi.testing.state import CREATED


def usage(answer: Answer) -> dict[str, Any]:
    """OpenAI usage, with reasoning tokens broken out for models that think."""
    body: dict[str, Any] = {
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "total_tokens": answer.prompt_tokens + answer.completion_tokens,
    }
    if answer.reasoning_tokens is not None:
        body["completion_tokens_details"] = {"reasoning_tokens": answer.reasoning_tokens}
    return body


def completion_body(answer: Answer, model: str) -> dict[str, Any]:
    """The non-streaming answer."""
    message: dict[str, Any] = {"role": "assistant", "content": answer.content}
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": answer.finish_reason}
    if answer.reasoning:
        message["reasoning_content"] = "".join(answer.reasoning)
    if answer.tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in answer.tool_calls
        ]
    return {
        "id": answer.id,
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [choice],
        "usage": usage(answer),
    }


def stream_chunks(answer: Answer, model: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(body_chunks, closing_chunks)``: role/reasoning/content deltas, then the finish and usage chunks.

    Split in two so that stream faults can count content chunks and cut before the closing ones.
    """

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return {
            "id": answer.id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": [choice],
        }

    body = [chunk({"role": "assistant", "content": ""})]
    body += [chunk({"reasoning_content": piece}) for piece in answer.reasoning]
    body += [chunk({"content": piece}) for piece in answer.pieces]
    for index, call in enumerate(answer.tool_calls):
        opening = {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        body.append(chunk({"tool_calls": [opening]}))
        body += [
            chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
            for part in _halves(call.arguments)
        ]
    final_usage = {
        "id": answer.id,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "choices": [],
        "usage": usage(answer),
    }
    return body, [chunk({}, answer.finish_reason), final_usage]


def _halves(arguments: str) -> list[str]:
    """Arguments arrive in at least two pieces, as real servers split them."""
    middle = max(len(arguments) // 2, 1)
    return [arguments[:middle], arguments[middle:]]
