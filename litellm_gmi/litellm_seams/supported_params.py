"""Make LiteLLM's ``get_supported_openai_params`` answer ``gmi`` from this package's own table.

LiteLLM asks it twice for every call, and clients ask it to decide what to send:

* ``litellm.utils.get_optional_params`` validates a call's OpenAI parameters against
  ``litellm.utils.get_supported_openai_params(model, custom_llm_provider)`` and raises
  ``UnsupportedParamsError`` before any provider runs (``_check_valid_arg``, on 1.81.1, 1.106.2 and
  1.109.1; it looks the function up on ``litellm.utils`` at call time).
* ``litellm.get_supported_openai_params`` is what the Router, the proxy's ``/model/info``,
  ``litellm.get_model_info`` and client libraries call.

For any provider in ``litellm._custom_providers`` both answer the generic ``OpenAILikeChatConfig``
list (``ProviderConfigManager.get_provider_chat_config(provider=LlmProviders.CUSTOM)``), which names
``store`` and ``service_tier`` that GMI does not take and omits ``reasoning_effort`` and ``thinking``, so
those raised without ``allowed_openai_params``. No registry lets a custom provider declare its own list:
LiteLLM keys its config map by the ``LlmProviders`` enum, which ``gmi`` is not. So both attributes are
wrapped (:mod:`litellm_gmi.litellm_seams.wraps`): a ``gmi`` chat question gets
:func:`litellm_gmi.chat.params.supported_openai_params`, a ``gmi`` embeddings question the three OpenAI
embedding parameters the provider takes (:mod:`litellm_gmi.litellm_seams.embedding_params`), any
other question the original answer.

Checked at registration (:mod:`.registry`): both attributes are probed; 1.81.1 through 1.110.2
need the wrap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import litellm

from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap

_NAME = "get_supported_openai_params"
_chat_params: Callable[[str], list[str]] = lambda model: []  # noqa: E731 - set by install()
_embedding_params: Collection[str] = ()


def _answering_for_gmi(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_supported_openai_params(
        model: str, custom_llm_provider: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        request_type = kwargs.get("request_type", args[0] if args else "chat_completion")
        if names_provider(model, custom_llm_provider, PROVIDER):
            if request_type == "chat_completion":
                bare = model.split("/", 1)[1] if model.startswith(f"{PROVIDER}/") else model
                return _chat_params(bare)
            if request_type == "embeddings":
                return list(_embedding_params)
        return original(model, custom_llm_provider, *args, **kwargs)

    get_supported_openai_params.__doc__ = original.__doc__
    return get_supported_openai_params


def install(chat_params: Callable[[str], list[str]], embedding_params: Collection[str]) -> None:
    """Wrap ``litellm.utils.get_supported_openai_params`` and ``litellm.get_supported_openai_params``
    to answer ``gmi`` with ``chat_params(model)`` and ``embedding_params``."""
    global _chat_params, _embedding_params
    _chat_params, _embedding_params = chat_params, tuple(embedding_params)
    wrap(litellm.utils, _NAME, _answering_for_gmi)
    wrap(litellm, _NAME, _answering_for_gmi)


def uninstall() -> None:
    unwrap(litellm, _NAME)
    unwrap(litellm.utils, _NAME)
