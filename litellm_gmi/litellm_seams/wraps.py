"""Wrap a LiteLLM module attribute for ``gmi`` calls only, and put it back exactly as it was.

Four behaviours cannot be reached through any LiteLLM extension point (each module says why):
:mod:`.supported_params`, :mod:`.embedding_params`, :mod:`.retries_wrap` and :mod:`.unsupported`
(installed together by :mod:`.function_wraps`).
Each replaces a public LiteLLM function with a wrapper that handles ``gmi`` and hands every other call
to the original unchanged. LiteLLM looks each of them up as a module attribute at call time, which is
what makes the wrapper take effect; tests pin that for every supported release.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

_ORIGINAL = "__gmi_original__"
_MISSING = object()


def wrap(module: ModuleType, name: str, make: Callable[[Any], Callable[..., Any]]) -> None:
    """Set ``module.name`` to ``make(original)``, once; calling again is a no-op."""
    current = getattr(module, name)  # resolves LiteLLM's lazy attributes
    if hasattr(current, _ORIGINAL):
        return
    wrapper = make(current)
    setattr(wrapper, _ORIGINAL, (current, module.__dict__.get(name, _MISSING)))
    setattr(module, name, wrapper)


def unwrap(module: ModuleType, name: str) -> None:
    """Undo :func:`wrap`: the attribute is what it was, or absent again if it was lazily resolved."""
    current = module.__dict__.get(name)
    saved = getattr(current, _ORIGINAL, None)
    if saved is None:
        return
    _, stored = saved
    if stored is _MISSING:
        delattr(module, name)
    else:
        setattr(module, name, stored)


def names_provider(model: Any, custom_llm_provider: Any, provider: str) -> bool:
    """Whether a LiteLLM call goes to ``provider``: ``model="gmi/..."`` or ``custom_llm_provider="gmi"``."""
    if custom_llm_provider:
        return bool(custom_llm_provider == provider)
    return isinstance(model, str) and model.startswith(f"{provider}/")
