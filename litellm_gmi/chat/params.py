"""The one table of chat parameters GMI accepts, and the checks that run before any network call.

LiteLLM does not call a custom provider's ``map_openai_params`` (extension notes §3a), so the handler
runs :func:`prepare_params` itself on the ``optional_params`` LiteLLM hands over. Each row says what the
caller writes, what GMI receives, and what is valid. The README's parameter table mirrors this one and a
test keeps the two in step.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from litellm.exceptions import BadRequestError, UnsupportedParamsError

from litellm_gmi.constants import CONTEXT_BEHAVIORS, MAX_STOP_SEQUENCES, PROVIDER, TOP_K_RANGE

logger = logging.getLogger("litellm_gmi")

Check = Callable[[Any], str | None]
"""Returns a reason when the value is invalid, ``None`` when it may be sent."""


def _number(low: float | None = None, high: float | None = None, *, integer: bool = False) -> Check:
    kind = "an integer" if integer else "a number"

    def check(value: Any) -> str | None:
        ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type:
            return f"must be {kind}"
        if isinstance(value, float) and not math.isfinite(
            value
        ):  # NaN and inf pass every range test, and are not JSON
            return f"must be a finite number, not {value!r}"
        if (low is not None and value < low) or (high is not None and value > high):
            return f"must be between {low} and {high}" if high is not None else f"must be at least {low}"
        return None

    return check


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(map(repr, choices))}"

    return check


def _of_type(kind: type | tuple[type, ...], label: str) -> Check:
    def check(value: Any) -> str | None:
        return None if isinstance(value, kind) else f"must be {label}"

    return check


def _stop(value: Any) -> str | None:
    sequences = [value] if isinstance(value, str) else value
    if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
        return "must be a string or a list of strings"
    if len(sequences) > MAX_STOP_SEQUENCES:
        return f"GMI accepts at most {MAX_STOP_SEQUENCES} stop sequences, got {len(sequences)}"
    return None


def _response_format(value: Any) -> str | None:
    if not isinstance(value, Mapping) or value.get("type") not in ("text", "json_object", "json_schema"):
        return "must be {'type': 'text' | 'json_object' | 'json_schema', ...}"
    return None


_ANY: Final[Check] = lambda _value: None  # noqa: E731 - a row's "no constraint"


@dataclass(frozen=True)
class Param:
    """One row of the table: the caller's name, GMI's name, the check, and a line for the README."""

    name: str
    check: Check
    doc: str
    sent_as: str | None = None
    gmi_only: bool = False

    @property
    def wire_name(self) -> str:
        return self.sent_as or self.name


REASONING_EFFORTS: Final = ("none", "minimal", "low", "medium", "high", "xhigh", "max")

PARAMS: Final[tuple[Param, ...]] = (
    Param("temperature", _number(0, 2), "0 to 2"),
    Param("top_p", _number(0, 1), "0 to 1"),
    Param("max_tokens", _number(1, integer=True), "at least 1; GMI enforces each model's own ceiling"),
    Param(
        "max_completion_tokens",
        _number(1, integer=True),
        "sent as `max_tokens`, the only name GMI documents",
        sent_as="max_tokens",
    ),
    Param("stop", _stop, f"a string or up to {MAX_STOP_SEQUENCES} strings"),
    Param("frequency_penalty", _number(-2, 2), "-2 to 2"),
    Param("presence_penalty", _number(-2, 2), "-2 to 2"),
    Param("seed", _number(integer=True), "integer"),
    Param("n", _number(1, integer=True), "at least 1"),
    Param("logprobs", _of_type(bool, "a boolean"), "boolean"),
    Param("top_logprobs", _number(0, 20, integer=True), "0 to 20"),
    Param("logit_bias", _of_type(dict, "a mapping of token id to bias"), "mapping"),
    Param(
        "response_format",
        _response_format,
        "`json_object` is sent; `json_schema` is sent to models the catalog marks "
        "`supports_response_schema`, and downgraded to `json_object` (with a warning, the schema then "
        "going in a last user turn) otherwise",
    ),
    Param("tools", _of_type(list, "a list"), "always sent, never dropped"),
    Param("tool_choice", _of_type((str, dict), "a string or an object"), "always sent with tools"),
    Param("parallel_tool_calls", _of_type(bool, "a boolean"), "always sent with tools"),
    Param("functions", _of_type(list, "a list"), "legacy; sent as given"),
    Param("function_call", _of_type((str, dict), "a string or an object"), "legacy; sent as given"),
    Param("stream", _of_type(bool, "a boolean"), "SSE streaming"),
    Param(
        "stream_options", _of_type(dict, "an object"), "`include_usage: true` is always sent when streaming"
    ),
    Param("user", _of_type(str, "a string"), "end-user id, sent as given"),
    Param(
        "reasoning_effort",
        _one_of(*REASONING_EFFORTS),
        "sent as given; MiniMax models also get `thinking` (their only switch). LiteLLM requires "
        '`allowed_openai_params=["reasoning_effort"]` or `extra_body` for custom providers',
    ),
    Param(
        "thinking",
        _of_type(dict, "an object like {'type': 'enabled'}"),
        "model-specific thinking switch (MiniMax, Claude); needs `allowed_openai_params` like above",
    ),
    Param("top_k", _number(*TOP_K_RANGE, integer=True), "GMI: 1 to 128", gmi_only=True),
    Param("ignore_eos", _of_type(bool, "a boolean"), "GMI: keep generating past EOS", gmi_only=True),
    Param(
        "context_length_exceeded_behavior",
        _one_of(*CONTEXT_BEHAVIORS),
        "GMI: `truncate` (GMI's default) or `error` (raises `ContextWindowExceededError`)",
        gmi_only=True,
    ),
    Param("repetition_penalty", _number(0.0, 2.0), "GMI: 0 to 2 (1 = off)", gmi_only=True),
    Param("min_p", _number(0, 1), "GMI: 0 to 1", gmi_only=True),
    Param("enable_thinking", _of_type(bool, "a boolean"), "GMI: Qwen-style thinking switch", gmi_only=True),
    Param(
        "chat_template_kwargs", _of_type(dict, "an object"), "GMI: passed to the chat template", gmi_only=True
    ),
)

BY_NAME: Final[Mapping[str, Param]] = {p.name: p for p in PARAMS}
SUPPORTED_OPENAI_PARAMS: Final[tuple[str, ...]] = tuple(p.name for p in PARAMS if not p.gmi_only)
GMI_PARAMS: Final[tuple[str, ...]] = tuple(p.name for p in PARAMS if p.gmi_only)

# Keys LiteLLM itself may leave in optional_params; they are handled elsewhere, not sent as parameters.
_PASSTHROUGH_KEYS: Final = frozenset({"extra_body", "json_mode", "max_retries", "extra_headers"})


def prepare_params(
    optional_params: Mapping[str, Any],
    *,
    model: str,
    stream: bool,
    drop_params: bool,
    supports_response_schema: bool,
) -> dict[str, Any]:
    """Validate and rename ``optional_params`` into the body fields GMI receives.

    Raises :class:`litellm.UnsupportedParamsError` for a name GMI does not accept (unless
    ``drop_params``) and :class:`litellm.BadRequestError` for an out-of-range value. Both happen
    before any network call.
    """
    out: dict[str, Any] = {}
    for name, value in optional_params.items():
        if name in _PASSTHROUGH_KEYS:
            out[name] = value
            continue
        param = BY_NAME.get(name)
        if param is None:
            if drop_params:
                logger.debug("litellm_gmi: dropping %r (drop_params=True)", name)
                continue
            raise UnsupportedParamsError(
                status_code=400,
                message=(
                    f"gmi does not accept the parameter {name!r}. Supported: "
                    f"{', '.join(sorted(BY_NAME))}. Send it anyway with extra_body={{{name!r}: ...}}, "
                    "or drop it with drop_params=True."
                ),
                model=model,
                llm_provider=PROVIDER,
            )
        if value is None:
            continue
        reason = param.check(value)
        if reason is not None:
            raise BadRequestError(
                message=f"gmi: invalid {name}={value!r}: {reason}", model=model, llm_provider=PROVIDER
            )
        out[param.wire_name] = value
    if isinstance(out.get("stop"), str):
        out["stop"] = [out["stop"]]
    _apply_response_format(out, model=model, supports_response_schema=supports_response_schema)
    _apply_reasoning(out, model=model)
    if stream:
        out["stream_options"] = {**(out.get("stream_options") or {}), "include_usage": True}
    return out


SCHEMA_TURN = "Answer with a JSON object that follows this JSON schema:\n```json\n{schema}\n```"
"""The turn that carries a downgraded schema to the model."""


def schema_turn(requested: Any, sent: Any) -> dict[str, str] | None:
    """A user turn carrying the JSON schema when ``json_schema`` was downgraded to ``json_object``.

    JSON mode alone only promises some JSON object; the model can follow the caller's shape only if it
    sees the schema. LiteLLM does the same for Gemini models without response-schema support (a user
    turn with the schema appended to the messages).
    """
    if not (isinstance(requested, Mapping) and requested.get("type") == "json_schema"):
        return None
    if not (isinstance(sent, Mapping) and sent.get("type") == "json_object"):
        return None
    spec = requested.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, Mapping) else None
    if not isinstance(schema, Mapping):
        return None
    return {"role": "user", "content": SCHEMA_TURN.format(schema=json.dumps(schema, indent=2))}


def _apply_response_format(out: dict[str, Any], *, model: str, supports_response_schema: bool) -> None:
    """GMI documents only ``json_object``; GMI's own AI-SDK provider downgrades schemas (facts §1.3).

    We send ``json_schema`` where the catalog says the model honours it, and downgrade elsewhere, so a
    schema request never fails on a model that would reject the field; :func:`schema_turn` then hands
    the schema to the model in the messages.
    """
    fmt = out.get("response_format")
    if not isinstance(fmt, Mapping) or fmt.get("type") != "json_schema" or supports_response_schema:
        return
    logger.warning(
        "litellm_gmi: %s is not marked supports_response_schema; sending response_format json_object "
        "instead of json_schema, with the schema in a last user turn",
        model,
    )
    out["response_format"] = {"type": "json_object"}


def _apply_reasoning(out: dict[str, Any], *, model: str) -> None:
    """MiniMax ignores ``reasoning_effort`` and reasons only with ``thinking`` ([V-live], facts §1.3)."""
    effort = out.get("reasoning_effort")
    if effort is None or "thinking" in out or not model.startswith("MiniMaxAI/"):
        return
    out["thinking"] = {"type": "disabled" if effort == "none" else "enabled"}
