"""How a ``json_schema`` response format reaches GMI without losing the schema.

GMI documents only ``{"type": "json_object"}``, and GMI's own AI-SDK provider downgrades every schema to it
(GMISWE/ai-sdk-provider-gmicloud, ``src/gmicloud-chat-language-model.ts``). Downgrading alone drops the
schema: the model answers JSON with keys of its own. So a model is sent one of two things:

``native``
    ``response_format`` exactly as given, for models the catalog marks ``supports_response_schema``
    (each such row cites where that was shown).
``instruction``
    ``{"type": "json_object"}`` plus the schema stated in a system instruction the model can follow,
    the way Vercel's AI SDK treats providers without native structured outputs
    (``injectJsonInstructionIntoMessages``): the caller's system prompt, a blank line,
    ``JSON schema:``, the schema as compact JSON, and an order to answer with a matching object.

``auto`` (the default) picks ``native`` where the catalog shows the model honours schemas and
``instruction`` everywhere else: a model that does not enforce a schema still sees it, and one that
would reject an unknown ``json_schema`` field never receives it. ``gmi_structured_output="native"`` or
``"instruction"`` on a call forces either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Literal

from litellm_gmi.catalog import capabilities

STRUCTURED_OUTPUT_KWARG: Final = "gmi_structured_output"
"""``litellm.completion(..., gmi_structured_output="native" | "instruction" | "auto")``."""

Mode = Literal["auto", "native", "instruction"]
MODES: Final[tuple[Mode, ...]] = ("auto", "native", "instruction")

SCHEMA_PREFIX: Final = "JSON schema:"
SCHEMA_SUFFIX: Final = "You MUST answer with a JSON object that matches the JSON schema above."
GENERIC_SUFFIX: Final = "You MUST answer with JSON."


def resolve(requested: str | None, model: str) -> Literal["native", "instruction"]:
    """The mode a call runs in: the caller's choice, else what the catalog says of ``model``."""
    if requested in ("native", "instruction"):
        return requested  # type: ignore[return-value]
    return "native" if capabilities.supports_response_schema(model) else "instruction"


def apply(params: dict[str, Any], messages: list[Any], *, model: str, requested: str | None) -> list[Any]:
    """Rewrite ``params["response_format"]`` for GMI; return the messages to send (maybe instructed).

    Only ``json_schema`` formats change; ``text`` and ``json_object`` go as given.
    """
    fmt = params.get("response_format")
    if not isinstance(fmt, Mapping) or fmt.get("type") != "json_schema":
        return messages
    if resolve(requested, model) == "native":
        return messages
    params["response_format"] = {"type": "json_object"}
    spec = fmt.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    return with_instruction(messages, schema if isinstance(schema, Mapping) else None)


def instruction(schema: Mapping[str, Any] | None, prompt: str | None = None) -> str:
    """``prompt``, then the schema and the order to follow it (or a generic order without a schema)."""
    lines = [prompt, ""] if prompt else []
    if schema is not None:
        lines += [SCHEMA_PREFIX, json.dumps(schema, separators=(",", ":")), SCHEMA_SUFFIX]
    else:
        lines.append(GENERIC_SUFFIX)
    return "\n".join(lines)


def with_instruction(messages: list[Any], schema: Mapping[str, Any] | None) -> list[Any]:
    """``messages`` with the instruction merged into a leading system message, or one put first.

    A new list is returned; the caller's messages are never modified.
    """
    first = messages[0] if messages else None
    if isinstance(first, Mapping) and first.get("role") in ("system", "developer"):
        content = first.get("content")
        if isinstance(content, list):
            merged: Any = [*content, {"type": "text", "text": instruction(schema)}]
        else:
            merged = instruction(schema, content if isinstance(content, str) else None)
        return [{**first, "content": merged}, *messages[1:]]
    return [{"role": "system", "content": instruction(schema)}, *messages]
