"""A valid JSON instance of a JSON Schema, for the fault server's cooperative answers.

Standard library only, written from the JSON Schema spec for the subset pydantic and the OpenAI tool
format emit: ``type`` (or a list of types), ``properties``/``required``, ``additionalProperties``,
``items``/``prefixItems``, ``enum``, ``const``, ``anyOf``/``oneOf``/``allOf``, ``$ref`` into ``$defs``
or ``definitions``, and the common string formats and numeric bounds. Every property is filled in
(not only the required ones), because strict schemas require them all.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

_MAX_DEPTH = 16
_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def instance(schema: Any, root: Mapping[str, Any] | None = None, depth: int = 0) -> Any:
    """An instance of ``schema`` (``root`` resolves ``$ref``)."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return None
    root = root if root is not None else schema
    if "$ref" in schema:
        return instance(_resolve(schema["$ref"], root), root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            options = [o for o in schema[key] if not (isinstance(o, Mapping) and o.get("type") == "null")]
            return instance((options or schema[key])[0], root, depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            resolved = _resolve(part["$ref"], root) if isinstance(part, Mapping) and "$ref" in part else part
            merged = _merge(merged, resolved)
        return instance(_merge(merged, {k: v for k, v in schema.items() if k != "allOf"}), root, depth + 1)
    kind = _type(schema)
    if kind == "object":
        return _object(schema, root, depth)
    if kind == "array":
        return _array(schema, root, depth)
    if kind == "integer":
        return int(_number(schema, 1, integer=True))
    if kind == "number":
        return _number(schema, 1.5, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def find_schema(texts: Iterable[str]) -> dict[str, Any] | None:
    """The largest JSON object in ``texts`` that looks like a JSON Schema, if any."""
    decoder = json.JSONDecoder()
    best: dict[str, Any] | None = None
    best_size = -1
    for text in texts:
        start = text.find("{")
        while start != -1:
            try:
                value, end = decoder.raw_decode(text, start)
            except ValueError:
                start = text.find("{", start + 1)
                continue
            if isinstance(value, dict) and _looks_like_schema(value) and end - start > best_size:
                best, best_size = value, end - start
            start = text.find("{", end)
    return best


def _looks_like_schema(value: Mapping[str, Any]) -> bool:
    return "properties" in value or "$defs" in value or value.get("type") == "object"


def _resolve(ref: str, root: Mapping[str, Any]) -> Any:
    node: Any = root
    for part in ref.lstrip("#/").split("/"):
        if not part:
            continue
        node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, Mapping) else None
    return node


def _merge(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(left)
    for key, value in right.items():
        if key == "properties":
            out[key] = {**out.get(key, {}), **value}
        elif key == "required":
            out[key] = [*out.get(key, []), *value]
        else:
            out[key] = value
    return out


def _type(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "string"


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    out = {name: instance(sub, root, depth + 1) for name, sub in properties.items()}
    extra = schema.get("additionalProperties")
    if not properties and isinstance(extra, Mapping):
        out["key"] = instance(extra, root, depth + 1)
    return out


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[Any]:
    prefix = [instance(sub, root, depth + 1) for sub in schema.get("prefixItems") or []]
    count = max(int(schema.get("minItems", 1)), len(prefix))
    if "maxItems" in schema:
        count = min(count, int(schema["maxItems"]))
    items = schema.get("items")
    rest = (
        [instance(items, root, depth + 1) for _ in range(count - len(prefix))]
        if isinstance(items, Mapping)
        else []
    )
    return (prefix + rest)[:count] if count else []


def _number(schema: Mapping[str, Any], default: float, *, integer: bool) -> float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value = float(default)
    if low is not None:
        value = max(
            value, float(low) + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0)
        )
    if high is not None:
        value = min(
            value, float(high) - (1 if "exclusiveMaximum" in schema and "maximum" not in schema else 0)
        )
    return float(math.ceil(value)) if integer else value


def _string(schema: Mapping[str, Any]) -> str:
    text = _FORMATS.get(str(schema.get("format")), "text")
    minimum = int(schema.get("minLength", 0))
    if len(text) < minimum:
        text += "x" * (minimum - len(text))
    if "maxLength" in schema:
        text = text[: int(schema["maxLength"])]
    return text
