"""Let OpenAI's embedding parameters reach ``gmi`` embeddings instead of being refused by LiteLLM.

``litellm.main.embedding`` passes every call's ``user``, ``encoding_format`` and ``dimensions`` through
``get_optional_params_embeddings`` before any provider runs. For a provider outside its own list and
``litellm.openai_compatible_providers``, that raises ``UnsupportedParamsError`` for any of them (or
drops them under ``drop_params``), and no registry lets a custom provider declare what it takes
(1.81.1 to 1.109.1; LiteLLM's built-in ``gmi`` row is refused the same way). The openai SDK sends
``encoding_format="base64"`` on every ``embeddings.create`` unless told otherwise, so no OpenAI-SDK
client of a proxy could embed with a GMI model at all.

So ``litellm.main.get_optional_params_embeddings``, which ``main.embedding`` looks up as a module
attribute at call time, is wrapped (:mod:`litellm_gmi.litellm_seams.wraps`): for a ``gmi`` call the
three are held out of LiteLLM's check and handed to the provider, which validates them
(:func:`litellm_gmi.embeddings.request`); every other call gets the original unchanged.

Checked at registration (:mod:`.registry`); 1.81.1 through 1.110.2 need the wrap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Final

import litellm.main

from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap

_NAME: Final = "get_optional_params_embeddings"
_held: tuple[str, ...] = ()


def _holding_gmi_params(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_optional_params_embeddings(model: str, *args: Any, **kwargs: Any) -> Any:
        if args or not names_provider(model, kwargs.get("custom_llm_provider"), PROVIDER):
            return original(model, *args, **kwargs)
        held = {name: kwargs.pop(name) for name in _held if kwargs.get(name) is not None}
        return {**original(model, **kwargs), **held}

    get_optional_params_embeddings.__doc__ = original.__doc__
    return get_optional_params_embeddings


def install(params: Collection[str]) -> None:
    """Wrap ``litellm.main.get_optional_params_embeddings``, holding ``params`` out of its check."""
    global _held  # noqa: PLW0603 - the parameters, handed in at registration
    _held = tuple(params)
    wrap(litellm.main, _NAME, _holding_gmi_params)


def uninstall() -> None:
    unwrap(litellm.main, _NAME)
