"""Two renderings of one :class:`Answer`: the ``chat.completion`` body and the ``chat.completion.chunk`` list.

The chunk list follows GMI's documented stream: a role chunk, reasoning deltas, content (or tool-call)
deltas, a finish chunk, then a usage-only chunk with ``choices: []`` that GMI always sends, with or
without ``stream_options.include_usage`` ("Streaming responses include usage stats in final chunk",
GMI's LLM API reference, Important Notes 2).

How reasoning shows depends on the model's row (:data:`gmi_emulator.model_table.Reasoning`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gmi_emulator.answer import Answer
from gmi_emulator.model_table import ChatModel
from gmi_emulator.state import CREATED


@dataclass(frozen=True)
class ChatView:
    """The answer as chat completions shows it: ``<think>`` tags folded into the content, or
    ``reasoning_content`` apart, or reasoning hidden (counted in usage only)."""

    answer: Answer
    model: str
    pieces: list[str]
    reasoning: list[str]

    @classmethod
    def of(cls, answer: Answer, model: ChatModel, requested: str) -> ChatView:
        trace = answer.reasoning
        if not trace or model.reasoning == "hidden":
            return cls(answer, requested, answer.pieces, [])
        if model.reasoning == "think_tags":
            return cls(answer, requested, ["<think>", *trace, "</think>", *answer.pieces], [])
        return cls(answer, requested, answer.pieces, trace)

    @property
    def id(self) -> str:
        return "chatcmpl-" + self.answer.key[:24]

    @property
    def content(self) -> str | None:
        """The message content, ``None`` for tool calls as OpenAI sends it."""
        return None if self.answer.tool_calls else "".join(self.pieces)


def usage(answer: Answer) -> dict[str, Any]:
    """OpenAI usage, with reasoning tokens broken out for models that think."""
    body: dict[str, Any] = {
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "total_tokens": answer.prompt_tokens + answer.completion_tokens,
    }
    if answer.reasoning:
        body["completion_tokens_details"] = {"reasoning_tokens": answer.reasoning_tokens}
    return body


def completion_body(view: ChatView) -> dict[str, Any]:
    """The non-streaming answer."""
    answer = view.answer
    message: dict[str, Any] = {"role": "assistant", "content": view.content}
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": answer.finish}
    if view.reasoning:
        message["reasoning_content"] = "".join(view.reasoning)
    if answer.tool_calls:
        message["tool_calls"] = [
            {
                "id": "call_" + c.key,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for c in answer.tool_calls
        ]
    return {
        "id": view.id,
        "object": "chat.completion",
        "created": CREATED,
        "model": view.model,
        "choices": [choice],
        "usage": usage(answer),
    }


def stream_chunks(view: ChatView) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(body_chunks, closing_chunks)``: role/reasoning/content deltas, then the finish and usage chunks.

    Split in two so that stream faults can count content chunks and cut before the closing ones.
    """
    answer = view.answer

    def chunk(delta: dict[str, Any] | None, finish: str | None = None) -> dict[str, Any]:
        choices = (
            [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
        )
        return {
            "id": view.id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": view.model,
            "choices": choices,
        }

    body = [chunk({"role": "assistant", "content": ""})]
    body += [chunk({"reasoning_content": piece}) for piece in view.reasoning]
    body += [chunk({"content": piece}) for piece in view.pieces]
    for index, call in enumerate(answer.tool_calls):
        opening = {
            "index": index,
            "id": "call_" + call.key,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        body.append(chunk({"tool_calls": [opening]}))
        body += [
            chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
            for part in halves(call.arguments)
        ]
    final_usage = chunk(None) | {"usage": usage(answer)}
    return body, [chunk({}, answer.finish), final_usage]


def halves(arguments: str) -> list[str]:
    """Arguments arrive in at least two pieces, as real servers split them."""
    middle = max(len(arguments) // 2, 1)
    return [arguments[:middle], arguments[middle:]]
