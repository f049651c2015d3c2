"""An :class:`Answer` in OpenAI's Responses shapes: the ``response`` object and its event stream.

Output items come in OpenAI's order: ``reasoning`` (with ``summary_text`` parts when a summary was
asked for), then a ``message`` with one ``output_text`` part, or ``function_call`` items. The stream is
``response.created``, ``response.in_progress``, per item ``response.output_item.added``, its deltas
(``response.reasoning_summary_text.delta``, ``response.output_text.delta``,
``response.function_call_arguments.delta``) and ``.done`` events, ``response.output_item.done``, then
``response.completed`` (``response.incomplete`` when ``max_output_tokens`` cut the answer).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gmi_emulator.answer import Answer
from gmi_emulator.chat.render import halves
from gmi_emulator.responses.parse import ResponsesRequest
from gmi_emulator.state import CREATED


@dataclass(frozen=True)
class ResponseView:
    """The answer plus the request settings a response object echoes."""

    answer: Answer
    request: ResponsesRequest
    model: str
    body: Mapping[str, Any]

    @property
    def id(self) -> str:
        return "resp_" + self.answer.key[:32]

    @property
    def status(self) -> str:
        return "incomplete" if self.answer.finish == "length" else "completed"

    def items(self) -> list[dict[str, Any]]:
        """The finished output items."""
        answer = self.answer
        items: list[dict[str, Any]] = []
        if answer.reasoning:
            summary = (
                [{"type": "summary_text", "text": answer.reasoning_text}] if self.request.summary else []
            )
            items.append({"id": "rs_" + answer.key[:32], "type": "reasoning", "summary": summary})
        if answer.pieces or not answer.tool_calls:
            items.append(
                {
                    "id": "msg_" + answer.key[:32],
                    "type": "message",
                    "status": self.status,
                    "role": "assistant",
                    "content": [_text_part(answer.text)],
                }
            )
        items += [
            {
                "id": "fc_" + call.key,
                "type": "function_call",
                "status": "completed",
                "call_id": "call_" + call.key,
                "name": call.name,
                "arguments": call.arguments,
            }
            for call in answer.tool_calls
        ]
        return items

    def response(self, *, status: str | None = None, output: list[Any] | None = None) -> dict[str, Any]:
        """The response object; ``status``/``output`` override the finished ones for stream openers."""
        status = status or self.status
        body = self.body
        finished = status in ("completed", "incomplete")
        return {
            "id": self.id,
            "object": "response",
            "created_at": CREATED,
            "status": status,
            "error": None,
            "incomplete_details": {"reason": "max_output_tokens"} if status == "incomplete" else None,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "model": self.model,
            "output": self.items() if output is None else output,
            "parallel_tool_calls": body.get("parallel_tool_calls", True),
            "previous_response_id": body.get("previous_response_id"),
            "reasoning": self.request.reasoning or {"effort": None, "summary": None},
            "store": body.get("store", True),
            "temperature": body.get("temperature", 1.0),
            "text": {"format": self.request.text_format},
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools", []),
            "top_p": body.get("top_p", 1.0),
            "truncation": body.get("truncation", "disabled"),
            "usage": self.usage() if finished else None,
            "user": body.get("user"),
            "metadata": body.get("metadata", {}),
        }

    def usage(self) -> dict[str, Any]:
        answer = self.answer
        return {
            "input_tokens": answer.prompt_tokens,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": answer.completion_tokens,
            "output_tokens_details": {"reasoning_tokens": answer.reasoning_tokens},
            "total_tokens": answer.prompt_tokens + answer.completion_tokens,
        }


def stream_events(view: ResponseView) -> tuple[list[bytes], list[bytes]]:
    """``(body, closing)`` SSE events, numbered by ``sequence_number``."""
    numbered: list[tuple[str, dict[str, Any]]] = [
        ("response.created", {"response": view.response(status="in_progress", output=[])}),
        ("response.in_progress", {"response": view.response(status="in_progress", output=[])}),
    ]
    for index, item in enumerate(view.items()):
        numbered += _item_events(index, item, view.answer)
    final = "response.incomplete" if view.status == "incomplete" else "response.completed"
    events = [_event(kind, data, n) for n, (kind, data) in enumerate(numbered)]
    return events, [_event(final, {"response": view.response()}, len(numbered))]


def _item_events(index: int, item: dict[str, Any], answer: Answer) -> list[tuple[str, dict[str, Any]]]:
    where = {"item_id": item["id"], "output_index": index}
    kind = item["type"]
    events: list[tuple[str, dict[str, Any]]]
    if kind == "reasoning":
        events = [("response.output_item.added", {"output_index": index, "item": item | {"summary": []}})]
        for n, part in enumerate(item["summary"]):
            at = where | {"summary_index": n}
            events += [
                (
                    "response.reasoning_summary_part.added",
                    at | {"part": {"type": "summary_text", "text": ""}},
                ),
                *(("response.reasoning_summary_text.delta", at | {"delta": d}) for d in answer.reasoning),
                ("response.reasoning_summary_text.done", at | {"text": part["text"]}),
                ("response.reasoning_summary_part.done", at | {"part": part}),
            ]
    elif kind == "message":
        at = where | {"content_index": 0}
        text = item["content"][0]["text"]
        events = [
            (
                "response.output_item.added",
                {"output_index": index, "item": item | {"status": "in_progress", "content": []}},
            ),
            ("response.content_part.added", at | {"part": _text_part("")}),
            *(("response.output_text.delta", at | {"delta": d, "logprobs": []}) for d in answer.pieces),
            ("response.output_text.done", at | {"text": text, "logprobs": []}),
            ("response.content_part.done", at | {"part": _text_part(text)}),
        ]
    else:
        events = [
            (
                "response.output_item.added",
                {"output_index": index, "item": item | {"status": "in_progress", "arguments": ""}},
            ),
            *(
                ("response.function_call_arguments.delta", where | {"delta": d})
                for d in halves(item["arguments"])
            ),
            (
                "response.function_call_arguments.done",
                where | {"arguments": item["arguments"], "name": item["name"]},
            ),
        ]
    return [*events, ("response.output_item.done", {"output_index": index, "item": item})]


def _text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}


def _event(kind: str, data: dict[str, Any], number: int) -> bytes:
    payload = {"type": kind, "sequence_number": number, **data}
    return f"event: {kind}\ndata: {json.dumps(payload)}\n\n".encode()


def error_event(message: str) -> bytes:
    """The ``error`` event a failing stream ends with."""
    payload = {
        "type": "error",
        "code": "server_error",
        "message": message,
        "param": None,
        "sequence_number": 0,
    }
    return f"event: error\ndata: {json.dumps(payload)}\n\n".encode()
