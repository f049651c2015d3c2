"""Deterministic stand-ins for what a model would say: words, thoughts, ids, token counts, JSON values.

Everything here is a pure function of its input, so the same request always gets the same answer and
cassettes recorded against the emulator replay byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

# fmt: off
_VOCABULARY = (
    "the", "emulator", "answers", "every", "request", "with", "words", "drawn", "from", "a", "small",
    "fixed", "list", "so", "tests", "can", "predict", "them", "while", "still", "looking", "like", "text",
    "that", "model", "might", "write", "about", "clouds", "rivers", "mountains", "code", "and", "tea",
)
# fmt: on


def digest(value: Any) -> str:
    """Stable hex hash of any JSON-able value (keys sorted, so key order does not matter)."""
    raw = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def words(seed: str, count: int) -> list[str]:
    """``count`` vocabulary words picked by ``seed``; a longer list always extends a shorter one."""
    start = int(seed[:8], 16)
    return [_VOCABULARY[(start + 7 * i) % len(_VOCABULARY)] for i in range(count)]


def thought(seed: str) -> list[str]:
    """A short fixed-shape reasoning trace, one word per streamed delta."""
    return ["Let", "me", "think:", "the", "user", "wants", *words(seed[8:], 4), "answer", "briefly."]


def text_tokens(text: str) -> int:
    """Rough token count: one per four characters, never zero for non-empty text."""
    return math.ceil(len(text) / 4)


def prompt_tokens(messages: Iterable[Any]) -> int:
    """``ceil(len(all message text) / 4) + 4`` per message: cheap, deterministic, good enough for limits."""
    count = 0
    text = []
    for message in messages:
        count += 1
        text.append(_message_text(message))
    return text_tokens("".join(text)) + 4 * count


def _message_text(message: Any) -> str:
    if not isinstance(message, Mapping):
        return str(message)
    parts = [_content_text(message.get("content"))]
    for call in message.get("tool_calls") or []:
        if isinstance(call, Mapping) and isinstance(call.get("function"), Mapping):
            parts.append(str(call["function"].get("name", "")) + str(call["function"].get("arguments", "")))
    return "".join(parts)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""


def content_text(content: Any) -> str:
    """The text of a message's ``content``, whether a string or a list of parts."""
    return _content_text(content)


def dummy_value(schema: Any) -> Any:
    """A value that satisfies a (simple) JSON schema: enums, consts, types, nested objects and arrays."""
    if not isinstance(schema, Mapping):
        return "example"
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return dummy_value(schema[key][0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return dummy_object(schema)
    if kind == "array":
        return [dummy_value(schema.get("items"))] * max(int(schema.get("minItems", 1)), 1)
    return _SCALARS.get(str(kind), "example")


_SCALARS: dict[str, Any] = {"string": "example", "integer": 1, "number": 1.5, "boolean": True, "null": None}


def dummy_object(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Fill the schema's required properties (all of them when it declares none)."""
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    required = schema.get("required")
    names = [n for n in required if n in properties] if isinstance(required, list) else list(properties)
    return {name: dummy_value(properties[name]) for name in names}
