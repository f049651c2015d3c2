"""The one table of chat parameters GMI accepts, and the checks that run before any network call.

LiteLLM does not call a custom provider's ``map_openai_params`` (measured by this project on 1.81.1 to
1.106.2: ``get_optional_params`` in litellm/utils.py maps a provider in ``_custom_providers`` through
``OpenAILikeChatConfig``, see litellm/litellm_core_utils/get_supported_openai_params.py), so the handler
calls ``GMIChatConfig.map_openai_params`` (:mod:`litellm_gmi.chat.transformation`)
itself, which runs :func:`prepare_params` on the parameters the caller passed. Each row says what the
caller writes, what GMI receives, and what is valid. The same table answers LiteLLM's
``get_supported_openai_params`` for ``gmi`` (:func:`supported_openai_params`, installed by
:mod:`litellm_gmi.litellm_seams.supported_params`), so what a client is told and what is accepted
never differ. The README's parameter table mirrors this one and a test keeps the two in step.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from litellm.constants import DEFAULT_CHAT_COMPLETION_PARAM_VALUES
from litellm.exceptions import BadRequestError, UnsupportedParamsError

from litellm_gmi.catalog import capabilities
from litellm_gmi.chat import thinking
from litellm_gmi.chat.structured_output import MODES as STRUCTURED_OUTPUT_MODES
from litellm_gmi.chat.structured_output import STRUCTURED_OUTPUT_KWARG
from litellm_gmi.constants import CONTEXT_BEHAVIORS, MAX_STOP_SEQUENCES, PROVIDER, TOP_K_RANGE

logger = logging.getLogger("litellm_gmi")

MAX_CHOICES: Final = 128
"""Most completions one call may ask for (``n``): OpenAI's chat API refuses more ("Invalid 'n': integer
above maximum value. Expected a value <= 128"), and GMI publishes no cap of its own; ``n=10**9`` was sent
(issue 21, item 11)."""

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
    """One row of the table: the caller's name, GMI's name, the check, and a line for the README.

    ``reasoning`` rows are refused only for models the catalog marks ``supports_reasoning: false``
    (a source shows GMI refuses them); ``control`` rows steer this package and are never sent to GMI.
    """

    name: str
    check: Check
    doc: str
    sent_as: str | None = None
    gmi_only: bool = False
    reasoning: bool = False
    control: bool = False

    @property
    def wire_name(self) -> str:
        return self.sent_as or self.name

    def accepted_for(self, model: str) -> bool:
        return self.accepted(reasoning_model=capabilities.supports_reasoning(model))

    def accepted(self, *, reasoning_model: bool) -> bool:
        """Whether this row applies to a model that does (or does not) reason."""
        return not self.reasoning or reasoning_model


REASONING_EFFORTS: Final = ("none", "minimal", "low", "medium", "high", "xhigh", "max")

PARAMS: Final[tuple[Param, ...]] = (
    Param("temperature", _number(0, 2), "0 to 2"),
    Param("top_p", _number(0, 1), "0 to 1"),
    Param(
        "max_tokens",
        _number(1, integer=True),
        "at least 1; GMI enforces each model's own ceiling. Sent as `max_completion_tokens` to models "
        "whose catalog row says so (OpenAI's GPT-5 family)",
    ),
    Param(
        "max_completion_tokens",
        _number(1, integer=True),
        "the same limit as `max_tokens` and sent the same way: as `max_tokens` (the only name GMI "
        "documents), or as `max_completion_tokens` where the catalog says so (unverified against GMI live)",
        sent_as="max_tokens",
    ),
    Param("stop", _stop, f"a string or up to {MAX_STOP_SEQUENCES} strings"),
    Param("frequency_penalty", _number(-2, 2), "-2 to 2"),
    Param("presence_penalty", _number(-2, 2), "-2 to 2"),
    Param("seed", _number(integer=True), "integer"),
    Param("n", _number(1, MAX_CHOICES, integer=True), f"1 to {MAX_CHOICES}"),
    Param("logprobs", _of_type(bool, "a boolean"), "boolean"),
    Param("top_logprobs", _number(0, 20, integer=True), "0 to 20"),
    Param("logit_bias", _of_type(dict, "a mapping of token id to bias"), "mapping"),
    Param(
        "response_format",
        _response_format,
        "`json_object` is sent; `json_schema` is sent as given to models the catalog marks "
        "`supports_response_schema`, and to every other model as `json_object` plus the schema in a "
        "system instruction (see `gmi_structured_output`)",
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
        "sent to every model the catalog does not mark `supports_reasoning: false` (none today: only "
        "a source showing GMI refuses it would); MiniMax models also get `thinking` (their only "
        "switch), Qwen3 hybrids and GLM-4.5+ `chat_template_kwargs.enable_thinking`, DeepSeek-V3.1+ "
        "`chat_template_kwargs.thinking`. Where refused: `UnsupportedParamsError`, or dropped under "
        "`drop_params`",
        reasoning=True,
    ),
    Param(
        "thinking",
        _of_type(dict, "an object like {'type': 'enabled'}"),
        "model-specific thinking switch (MiniMax, Claude `budget_tokens`); sent like `reasoning_effort`, "
        "and switches the same chat-template families on or off",
        reasoning=True,
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
    Param(
        STRUCTURED_OUTPUT_KWARG,
        _one_of(*STRUCTURED_OUTPUT_MODES),
        "this package: how `json_schema` reaches GMI. `auto` (default) follows the catalog; `native` "
        "sends `json_schema` as given; `instruction` sends `json_object` plus the schema as a system "
        "instruction",
        control=True,
    ),
)

BY_NAME: Final[Mapping[str, Param]] = {p.name: p for p in PARAMS}
CONTROL_PARAMS: Final[tuple[str, ...]] = tuple(p.name for p in PARAMS if p.control)


_ADVERTISED: Final[Mapping[bool, tuple[str, ...]]] = {
    reasoning: tuple(p.name for p in PARAMS if not p.control and p.accepted(reasoning_model=reasoning))
    for reasoning in (False, True)
}
"""The two lists there are, by whether the model reasons: built once, as LiteLLM asks twice per call."""


def supported_openai_params(model: str) -> list[str]:
    """Every name ``gmi/<model>`` accepts, GMI's own included (as Fireworks' config lists its own).

    This is LiteLLM's ``get_supported_openai_params`` for ``gmi``; control rows are this package's
    switches, not request parameters, so they are not advertised. A new list each time: callers may
    change it.
    """
    return list(_ADVERTISED[capabilities.supports_reasoning(model)])


# Keys LiteLLM itself may leave in optional_params; they are handled elsewhere, not sent as parameters.
_PASSTHROUGH_KEYS: Final = frozenset({"extra_body", "json_mode", "max_retries", "extra_headers"})


def prepare_params(
    optional_params: Mapping[str, Any],
    *,
    model: str,
    stream: bool,
    drop_params: bool,
    allowed: Collection[str] = (),
) -> dict[str, Any]:
    """Validate and rename ``optional_params`` into the fields :class:`GMIChatConfig` sends.

    Raises :class:`UnsupportedParamsError` for a name GMI does not accept, or a reasoning
    parameter for a model that does not reason (unless ``drop_params``, or the name is in ``allowed``:
    the caller's ``allowed_openai_params``), and :class:`BadRequestError` for an out-of-range
    value. Both happen before any network call. Control rows are kept under their own name for the
    config, which removes them from the body.
    """
    out: dict[str, Any] = {}
    for name, value in optional_params.items():
        if name in _PASSTHROUGH_KEYS:
            if name == "extra_body":
                _refuse_non_finite(name, value, model=model)
            out[name] = value
            continue
        param = BY_NAME.get(name)
        if name not in allowed and (param is None or not param.accepted_for(model)):
            if drop_params:
                logger.debug("litellm_gmi: dropping %r (drop_params=True)", name)
                continue
            raise _unsupported(name, model, known=param is not None)
        if value is None:
            continue
        if param is None:  # let through by allowed_openai_params: no row checks it, JSON still must hold it
            _refuse_non_finite(name, value, model=model)
        reason = param.check(value) if param is not None else None
        if reason is not None:
            raise BadRequestError(
                message=f"gmi: invalid {name}={value!r}: {reason}", model=model, llm_provider=PROVIDER
            )
        out[param.wire_name if param is not None else name] = value
    _apply_max_tokens(out, optional_params, model=model)
    if isinstance(out.get("stop"), str):
        out["stop"] = [out["stop"]]
    thinking.apply_switches(out, model=model)
    if stream:
        out["stream_options"] = {**(out.get("stream_options") or {}), "include_usage": True}
    return out


def _refuse_non_finite(name: str, value: Any, *, model: str) -> None:
    """Refuse NaN or inf anywhere in a value no row checks (``extra_body``, an allowed extra).

    LiteLLM serialises the body with ``json.dumps``, which writes them as the bare words ``NaN`` and
    ``Infinity``: not JSON, so GMI would answer a 400 about the body, not about the parameter.
    """
    path = _non_finite_path(value, name)
    if path is not None:
        raise BadRequestError(
            message=f"gmi: invalid {path}: must be a finite number (NaN and inf are not JSON)",
            model=model,
            llm_provider=PROVIDER,
        )


def _non_finite_path(value: Any, path: str) -> str | None:
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path}={value!r}"
    if isinstance(value, Mapping):
        items: Iterable[tuple[object, Any]] = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _non_finite_path(item, f"{path}[{key!r}]")
        if found is not None:
            return found
    return None


def _unsupported(name: str, model: str, *, known: bool) -> UnsupportedParamsError:
    reason = (
        f"the catalog records that GMI refuses {name!r} for {model} (supports_reasoning: false)"
        if known
        else f"gmi does not accept the parameter {name!r}. Supported: {', '.join(sorted(BY_NAME))}"
    )
    # allowed_openai_params reaches only names LiteLLM validates (its OpenAI list); others need extra_body.
    honoured = known or name in DEFAULT_CHAT_COMPLETION_PARAM_VALUES
    allow = f"allowed_openai_params=[{name!r}] or " if honoured else ""
    return UnsupportedParamsError(
        status_code=400,
        message=(
            f"{reason}. Send it anyway with {allow}extra_body={{{name!r}: ...}}, "
            "or drop it with drop_params=True."
        ),
        model=model,
        llm_provider=PROVIDER,
    )


def _apply_max_tokens(out: dict[str, Any], given: Mapping[str, Any], *, model: str) -> None:
    """Send the output limit under the name the catalog gives ``model`` (:func:`max_tokens_name`).

    Both caller names mean the same limit, so two different values are refused rather than guessed.
    """
    values = {given[n] for n in ("max_tokens", "max_completion_tokens") if given.get(n) is not None}
    if len(values) > 1:
        raise BadRequestError(
            message=f"gmi: max_tokens and max_completion_tokens disagree ({sorted(values)}); pass one",
            model=model,
            llm_provider=PROVIDER,
        )
    limit = out.pop("max_tokens", None)
    if limit is not None:
        out[capabilities.max_tokens_name(model)] = limit
