"""The parameters a caller actually passed, recovered from what LiteLLM hands a custom provider.

For a custom provider LiteLLM maps the call's OpenAI parameters through its generic
``OpenAILikeChatConfig`` (``litellm.utils.get_optional_params``), which removes ``user``,
``reasoning_effort`` and ``thinking`` and renames ``max_completion_tokens`` to ``max_tokens`` before
the provider sees them (measured on 1.81.1, 1.106.2 and 1.109.1). It also records the call's own
parameters, before that mapping, on the logging object it passes every provider:
``logging_obj.model_call_details["optional_params"]`` (``main.completion``'s
``processed_non_default_params``, the same dict callbacks receive), beside the caller's ``drop_params``
in ``model_call_details["litellm_params"]``.

So a parameter that :mod:`litellm_gmi.chat.params` accepts for the model is taken back from that
record when the mapping removed it. LiteLLM has already checked every name against our own table
(:mod:`litellm_gmi.litellm_seams.supported_params`), so nothing it refused or dropped comes back: a name it
dropped under ``drop_params`` is refused by the same table here and dropped again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litellm_gmi.chat.params import BY_NAME
from litellm_gmi.litellm_seams import recorded_call, validated_openai_names


@dataclass
class Requested:
    """What the call asked for: its parameters, its ``drop_params``, and the names it allowed."""

    params: dict[str, Any]
    drop_params: bool | None = None
    allowed: frozenset[str] = field(default_factory=frozenset)
    """Names LiteLLM let through although our table refuses them: only the caller's
    ``allowed_openai_params`` does that, so they are sent without a second refusal."""


def recover_params(optional_params: Mapping[str, Any], logging_obj: Any, *, model: str) -> Requested:
    """``optional_params`` plus what LiteLLM's generic mapping took out (see the module docstring)."""
    params = dict(optional_params)
    recorded, drop = recorded_call(logging_obj)
    if recorded is None:  # called without LiteLLM's bookkeeping: nothing to recover
        return Requested(params)
    allowed = frozenset(name for name in params if _only_allowed(name, model))
    for name, value in recorded.items():
        param = BY_NAME.get(name)
        if name in params or param is None or param.gmi_only or not param.accepted_for(model):
            continue
        if name == "max_completion_tokens" and "max_tokens" not in recorded:
            params.pop("max_tokens", None)  # LiteLLM's rename of this very value
        params[name] = value
    return Requested(params, drop_params=drop, allowed=allowed)


def _only_allowed(name: str, model: str) -> bool:
    """Whether LiteLLM can have let ``name`` through only because the caller allowed it.

    LiteLLM validates the OpenAI names it knows (``litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES``)
    against our table, so such a name that the table refuses for ``model`` reached us through
    ``allowed_openai_params``. Other names (``top_k``, ...) are never validated by LiteLLM.
    """
    param = BY_NAME.get(name)
    if param is not None:
        return not param.accepted_for(model)
    return name in validated_openai_names()
