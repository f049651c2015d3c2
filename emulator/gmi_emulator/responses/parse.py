"""Turn an OpenAI Responses body into a :class:`Prompt`, refusing it the way OpenAI's API does.

GMI documents ``/v1/responses`` on its GPT-5.2 page (reasoning, function tools, image and file input,
``web_search_preview``; docs.gmicloud.ai). The rules are OpenAI's public ones: ``input`` is a string or
a list of items, ``max_output_tokens`` is at least 16, a ``function_call_output`` must answer a call the
conversation holds, ``text.format`` json_schema needs a ``name`` and a ``schema``, and
``previous_response_id`` must name a stored response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gmi_emulator.answer import Prompt, Structured, ToolSpec
from gmi_emulator.content import content_text, prompt_tokens
from gmi_emulator.model_table import ChatModel
from gmi_emulator.structured import find_schema

MIN_OUTPUT_TOKENS = 16
EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
SUMMARIES = ("auto", "concise", "detailed")


class ResponsesError(ValueError):
    """A 400 ``invalid_request_error``; ``param`` names the offending field as OpenAI does."""

    def __init__(self, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.code = code


@dataclass(frozen=True)
class ResponsesRequest:
    """A valid body: the neutral prompt, the conversation so far (for storing), and the echoed settings."""

    prompt: Prompt
    items: list[Mapping[str, Any]]
    """Earlier turns (from ``previous_response_id``) followed by this request's input items."""
    reasoning: Mapping[str, Any] | None
    summary: bool
    text_format: Mapping[str, Any]


def parse_responses_request(
    body: Mapping[str, Any], model: ChatModel, previous: list[Mapping[str, Any]] | None
) -> ResponsesRequest:
    """Validate ``body``; ``previous`` is the stored conversation of ``previous_response_id``."""
    items = [*(previous or []), *_input_items(body.get("input"))]
    instructions = body.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        raise ResponsesError("Invalid type for 'instructions': expected a string.", "instructions")
    if not model.vision and any(_has_image(item) for item in items):
        raise ResponsesError(f"{model.id} does not support image inputs.", "input")
    _check_call_outputs(items)
    reasoning, thinks, summary = _reasoning(body.get("reasoning"))
    text_format = _text_format(body.get("text"))
    tools = _tools(body.get("tools"))
    texts = [instructions or "", *(_item_text(item) for item in items)]
    prompt = Prompt(
        model_id=model.id,
        body=body,
        conversation={"instructions": instructions, "items": items},
        prompt_tokens=prompt_tokens(texts),
        stream=bool(body.get("stream")),
        max_tokens=_max_output_tokens(body.get("max_output_tokens"), model),
        thinking=thinks,
        tools=tuple(tools),
        tool_choice=_tool_choice(body.get("tool_choice")),
        parallel_tools=body.get("parallel_tool_calls") is True,
        tool_result=_tool_result(items[-1]),
        structured=_structured(text_format, texts),
    )
    return ResponsesRequest(prompt, items, reasoning, summary, text_format)


def _input_items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, str):
        return [{"type": "message", "role": "user", "content": value}]
    if not isinstance(value, list) or not value:
        raise ResponsesError("Missing required parameter: 'input'.", "input", "missing_required_parameter")
    items: list[Mapping[str, Any]] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ResponsesError(f"Invalid type for 'input[{index}]': expected an object.", f"input[{index}]")
        kind = item.get("type", "message")
        if kind == "message" and item.get("role") not in ("user", "assistant", "system", "developer"):
            raise ResponsesError(f"Invalid value for 'input[{index}].role'.", f"input[{index}].role")
        if kind not in ("message", "function_call", "function_call_output", "reasoning"):
            raise ResponsesError(
                f"Invalid value: '{kind}'. Unsupported input item type.", f"input[{index}].type"
            )
        items.append({"type": kind, **item})
    return items


def _item_text(item: Mapping[str, Any]) -> str:
    kind = item["type"]
    if kind == "message":
        return content_text(item.get("content"))
    if kind == "function_call":
        return str(item.get("name", "")) + str(item.get("arguments", ""))
    if kind == "function_call_output":
        return str(item.get("output", ""))
    return ""


def _has_image(item: Mapping[str, Any]) -> bool:
    content = item.get("content")
    return isinstance(content, list) and any(
        isinstance(p, Mapping) and p.get("type") == "input_image" for p in content
    )


def _check_call_outputs(items: list[Mapping[str, Any]]) -> None:
    calls = {item.get("call_id") for item in items if item["type"] == "function_call"}
    for item in items:
        if item["type"] == "function_call_output" and item.get("call_id") not in calls:
            raise ResponsesError(
                f"No tool call found for function call output with call_id {item.get('call_id')}.", "input"
            )


def _reasoning(value: Any) -> tuple[Mapping[str, Any] | None, bool, bool]:
    """``(echo, thinks, with_summary)``: the model reasons when asked with an effort other than none."""
    if value is None:
        return None, False, False
    if not isinstance(value, Mapping):
        raise ResponsesError("Invalid type for 'reasoning': expected an object.", "reasoning")
    effort = value.get("effort", "medium")
    if effort not in EFFORTS:
        raise ResponsesError(
            f"Invalid value: '{effort}'. Supported values are: {', '.join(map(repr, EFFORTS))}.",
            "reasoning.effort",
        )
    summary = value.get("summary")
    if summary is not None and summary not in SUMMARIES:
        raise ResponsesError(f"Invalid value: '{summary}'.", "reasoning.summary")
    return {"effort": effort, "summary": summary}, effort != "none", summary is not None


def _text_format(value: Any) -> Mapping[str, Any]:
    fmt = value.get("format") if isinstance(value, Mapping) else None
    if fmt is None:
        return {"type": "text"}
    if not isinstance(fmt, Mapping) or fmt.get("type") not in ("text", "json_object", "json_schema"):
        raise ResponsesError("Invalid value for 'text.format.type'.", "text.format.type")
    if fmt["type"] == "json_schema":
        for key in ("name", "schema"):
            if key not in fmt:
                raise ResponsesError(
                    f"Missing required parameter: 'text.format.{key}'.",
                    f"text.format.{key}",
                    "missing_required_parameter",
                )
    return fmt


def _structured(fmt: Mapping[str, Any], texts: list[str]) -> Structured | None:
    if fmt["type"] == "json_schema":
        schema = fmt["schema"]
        return Structured(schema if isinstance(schema, Mapping) else {"type": "object"})
    if fmt["type"] == "json_object":
        return Structured(find_schema(texts))
    return None


def _tools(value: Any) -> list[ToolSpec]:
    """Function tools; built-in tools (``web_search_preview`` ...) are accepted and not called."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, Mapping) for t in value):
        raise ResponsesError("Invalid type for 'tools': expected an array of objects.", "tools")
    specs = []
    for index, tool in enumerate(value):
        if tool.get("type") != "function":
            continue
        if not isinstance(tool.get("name"), str):
            raise ResponsesError(
                f"Missing required parameter: 'tools[{index}].name'.", f"tools[{index}].name"
            )
        parameters = tool.get("parameters")
        specs.append(ToolSpec(tool["name"], parameters if isinstance(parameters, Mapping) else None))
    return specs


def _tool_choice(value: Any) -> str:
    if isinstance(value, Mapping) and value.get("type") == "function" and isinstance(value.get("name"), str):
        return str(value["name"])
    return value if value in ("auto", "none", "required") else "auto"


def _tool_result(last: Mapping[str, Any]) -> str | None:
    return str(last.get("output", "")) if last["type"] == "function_call_output" else None


def _max_output_tokens(value: Any, model: ChatModel) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < MIN_OUTPUT_TOKENS:
        raise ResponsesError(
            "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= "
            f"{MIN_OUTPUT_TOKENS}, but got {value} instead.",
            "max_output_tokens",
            "integer_below_min_value",
        )
    if model.max_output is not None and value > model.max_output:
        raise ResponsesError(
            f"max_output_tokens is too large: {value}. This model supports at most {model.max_output} "
            "output tokens.",
            "max_output_tokens",
        )
    return value
