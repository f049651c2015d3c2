"""The "cooperative model": JSON answers that satisfy a JSON Schema, so client libraries can validate them.

With a schema (chat ``response_format.json_schema``, Responses ``text.format``), the answer is an instance
of it. In plain JSON mode, the schema is looked for in the conversation's text, where libraries such as
instructor and LangChain put it (a fenced block, or an inline object); the last one found wins, because
LangChain's instructions show an example schema before the real one. Without any, a small fixed object.

Covered: ``$ref`` into ``$defs``/``definitions`` (pydantic), ``const``, ``enum``, ``anyOf``/``oneOf``/
``allOf``, types (a list of types too), required properties (all of them when ``required`` is absent),
nested objects and arrays with ``minItems``/``maxItems``, string ``minLength``/``maxLength``/``format``
and numeric bounds. Patterns are not generated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

JSON_MODE_FALLBACK: dict[str, Any] = {"answer": "emulated", "ok": True}
"""What JSON mode answers when the conversation holds no schema."""

_FORMATS = {
    "date": "2025-01-01",
    "date-time": "2025-01-01T00:00:00Z",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
}
_MAX_DEPTH = 12
"""Recursive schemas (a tree node holding nodes) stop here, with the smallest valid value."""
_FENCED = re.compile(r"```[a-zA-Z]*\s*\n(.*?)```", re.DOTALL)


def instance(schema: Any, root: Mapping[str, Any] | None = None, depth: int = 0) -> Any:
    """A value valid against ``schema``; ``root`` holds the ``$defs`` that ``$ref`` points into."""
    if not isinstance(schema, Mapping):
        return "example"
    root = root if root is not None else schema
    if isinstance(schema.get("$ref"), str):
        return instance(_resolve(root, schema["$ref"]), root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if isinstance(schema.get("allOf"), list) and schema["allOf"]:
        return _all_of(schema, root, depth)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            chosen = next((o for o in options if not _is_null(o)), options[0])
            return instance(chosen, root, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), Mapping)):
        return _object(schema, root, depth)
    if kind == "array":
        return _array(schema, root, depth)
    if kind == "string" or kind is None:
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    return {"boolean": True, "null": None}.get(str(kind), "example")


def _resolve(root: Mapping[str, Any], ref: str) -> Any:
    """``#/$defs/Name`` (or any ``#/a/b`` pointer); an unresolvable ref gives an empty schema."""
    node: Any = root
    for part in ref.removeprefix("#/").split("/") if ref.startswith("#/") else []:
        node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def _is_null(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("type") == "null"


def _all_of(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    merged: dict[str, Any] = {}
    for part in schema["allOf"]:
        value = instance(part, root, depth + 1)
        if not isinstance(value, dict):
            return value
        merged.update(value)
    return merged


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping) or depth > _MAX_DEPTH:
        return {}
    required = schema.get("required")
    names = [n for n in required if n in properties] if isinstance(required, list) else list(properties)
    return {name: instance(properties[name], root, depth + 1) for name in names}


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[Any]:
    low = schema.get("minItems", 1)
    high = schema.get("maxItems")
    count = max(int(low), 1 if depth <= _MAX_DEPTH else int(low))
    if isinstance(high, int):
        count = min(count, high)
    return [instance(schema.get("items"), root, depth + 1) for _ in range(count)]


def _string(schema: Mapping[str, Any]) -> str:
    text = _FORMATS.get(str(schema.get("format")), "example")
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        text = text + "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high:
        text = text[:high]
    return text


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    value: float = 1 if integer else 1.5
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = 1 if integer else 0.5
    if isinstance(low, int | float) and value < low:
        value = low
    if isinstance(ex_low, int | float) and value <= ex_low:
        value = ex_low + step
    if isinstance(high, int | float) and value > high:
        value = high
    if isinstance(ex_high, int | float) and value >= ex_high:
        value = ex_high - step
    return int(value) if integer else float(value)


# ------------------------------------------------------------------------------ schemas in the text ---
def find_schema(texts: Iterable[str]) -> Mapping[str, Any] | None:
    """The last JSON Schema written in ``texts``: fenced blocks first, then inline objects."""
    fenced: list[Mapping[str, Any]] = []
    inline: list[Mapping[str, Any]] = []
    for text in texts:
        for block in _FENCED.findall(text):
            fenced += [c for c in _objects(block) if looks_like_schema(c)]
        inline += [c for c in _objects(_FENCED.sub(" ", text)) if looks_like_schema(c)]
    found = fenced or inline
    return found[-1] if found else None


def looks_like_schema(value: Any) -> bool:
    """A JSON Schema object rather than an instance: it has ``properties`` of schema objects, or a
    ``$schema``/``$defs`` key, or ``type: object``."""
    if not isinstance(value, Mapping):
        return False
    properties = value.get("properties")
    if isinstance(properties, Mapping) and properties:
        return all(isinstance(p, Mapping) for p in properties.values())
    return "$schema" in value or "$defs" in value or value.get("type") == "object"


def _objects(text: str) -> list[Any]:
    """Every top-level ``{...}`` in ``text`` that parses as JSON (braces inside strings respected)."""
    found = []
    decoder = json.JSONDecoder()
    index = text.find("{")
    while index >= 0:
        try:
            value, end = decoder.raw_decode(text, index)
        except ValueError:
            index = text.find("{", index + 1)
            continue
        found.append(value)
        index = text.find("{", end)
    return found


def json_answer(schema: Mapping[str, Any] | None) -> str:
    """The answer text: an instance of ``schema``, or the fallback object."""
    return json.dumps(instance(schema) if schema is not None else JSON_MODE_FALLBACK)
