"""The form each GMI model takes for "think" and "how hard": one switch per family, decided before sending.

GMI documents no common reasoning field (GMI's LLM API reference: "Parameter support varies by model"), so the
caller's ``reasoning_effort`` or ``thinking`` is sent as given and, where a family needs another switch,
that switch is added (never replacing one the caller set):

* MiniMax: ``thinking: {"type": "enabled" | "disabled"}``, its only switch on GMI ([V-live] in
  nrynss/thutapi's GMI client: ``reasoning_effort`` is ignored).
* Hybrid open-weight families, whose chat template decides whether the model thinks:
  ``chat_template_kwargs.enable_thinking`` for Qwen3 hybrids (Qwen3 model cards, "Switching Between
  Thinking and Non-Thinking Mode") and GLM-4.5 and later (vLLM's GLM-4.5 recipe), and
  ``chat_template_kwargs.thinking`` for DeepSeek-V3.1 and later (vLLM's DeepSeek-V3.1 recipe).
* Everything else (GPT-5.x, o-series, Claude, Gemini, Kimi): ``reasoning_effort`` / ``thinking`` as given.

Claude Code's ``thinking: {"type": "adaptive"}`` with ``output_config.effort`` is the Claude 4.6 API; on
GMI's ``/v1/messages`` the documented form is ``thinking: {"type": "enabled", "budget_tokens": N}``
(models.dev ``providers/gmicloud/provider.toml``, GMI's MiniMax-M2.7 page), so :func:`enabled_thinking`
turns the one into the other with a budget per effort.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

MIN_THINKING_BUDGET: Final = 1024
"""Anthropic's minimum ``budget_tokens`` (Anthropic extended-thinking docs)."""

THINKING_BUDGETS: Final[Mapping[str, int]] = {
    "minimal": MIN_THINKING_BUDGET,
    "low": MIN_THINKING_BUDGET,
    "medium": 2048,
    "high": 4096,
    "xhigh": 8192,
    "max": 16384,
}
"""``budget_tokens`` per effort: LiteLLM's own ``DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET`` defaults
(litellm/constants.py, 1.108.7), so a budget reads the same whichever path translated it."""

DEFAULT_EFFORT: Final = "high"
"""Anthropic's effort when ``output_config.effort`` is absent (Anthropic effort docs)."""

_TEMPLATE_SWITCH: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"^Qwen/Qwen3(?!.*(Instruct|Thinking|Coder|VL))"), "enable_thinking"),
    (re.compile(r"^zai-org/GLM-(4\.[5-9]|5)"), "enable_thinking"),
    (re.compile(r"^deepseek-ai/DeepSeek-V(3\.[1-9]|4)"), "thinking"),
)


def template_switch(model: str) -> str | None:
    """The ``chat_template_kwargs`` key that turns thinking on and off for ``model``, if it has one."""
    return next((key for pattern, key in _TEMPLATE_SWITCH if pattern.match(model)), None)


def wants_thinking(params: Mapping[str, Any]) -> bool | None:
    """Whether the caller asked the model to think: ``reasoning_effort`` first, then ``thinking``."""
    effort = params.get("reasoning_effort")
    if effort is not None:
        return bool(effort != "none")
    thinking = params.get("thinking")
    if isinstance(thinking, Mapping) and "type" in thinking:
        return bool(thinking["type"] != "disabled")
    return None


def apply_switches(out: dict[str, Any], *, model: str) -> None:
    """Add the switch ``model``'s family needs to ``out`` (the body fields), beside what the caller sent."""
    on = wants_thinking(out)
    if on is None:
        return
    if model.startswith("MiniMaxAI/") and "thinking" not in out:
        out["thinking"] = {"type": "enabled" if on else "disabled"}
    key = template_switch(model)
    if key is not None and "enable_thinking" not in out:
        kwargs = dict(out.get("chat_template_kwargs") or {})
        kwargs.setdefault(key, on)
        out["chat_template_kwargs"] = kwargs


def enabled_thinking(
    thinking: Any, output_config: Any, max_tokens: Any
) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    """``(thinking, output_config)`` for GMI's ``/v1/messages`` in place of adaptive thinking, or ``None``.

    ``None`` (leave the request alone) unless ``thinking`` is ``{"type": "adaptive"}``, or when
    ``max_tokens`` cannot hold the minimum budget (Anthropic requires ``max_tokens > budget_tokens``).
    The effort is consumed from ``output_config``; its other keys (``format``) stay, and an
    ``output_config`` left empty becomes ``None``.
    """
    if not isinstance(thinking, Mapping) or thinking.get("type") != "adaptive":
        return None
    config = dict(output_config) if isinstance(output_config, Mapping) else {}
    effort = config.pop("effort", None)
    budget = THINKING_BUDGETS.get(effort if isinstance(effort, str) else DEFAULT_EFFORT)
    budget = budget or THINKING_BUDGETS[DEFAULT_EFFORT]
    if isinstance(max_tokens, int) and not isinstance(max_tokens, bool):
        budget = min(budget, max_tokens - 1)
    if budget < MIN_THINKING_BUDGET:
        return None
    return {"type": "enabled", "budget_tokens": budget}, (config or None)
