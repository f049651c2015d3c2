"""LiteLLM's built-in JSON ``gmi`` row, set aside while this package serves ``gmi/``, and given back.

What it touches: ``litellm.llms.openai_like.json_loader.JSONProviderRegistry._providers`` (a private
dict). LiteLLM 1.81.3 and later ship a built-in JSON ``gmi`` row that ``get_llm_provider`` and
``completion`` consult *before* custom providers, so it is popped (:func:`set_aside`) and kept for
:func:`give_back`. Releases before the registry existed (1.81.1) need nothing. On unregistering,
``gmi`` also leaves ``litellm._custom_providers`` (private), where ``custom_llm_setup`` put it.

Checked at registration by :mod:`litellm_gmi.litellm_seams.registry` (``_providers`` must be a dict);
:func:`set_aside`'s caller warns when the row could not be taken out.
"""

from __future__ import annotations

from typing import Any

import litellm

from litellm_gmi.constants import PROVIDER

_saved_row: Any = None


def json_registry() -> Any:
    """LiteLLM's JSON provider registry, or ``None`` on releases before it existed (< 1.81)."""
    try:
        from litellm.llms.openai_like.json_loader import JSONProviderRegistry
    except ImportError:
        return None
    return JSONProviderRegistry


def builtin_row_active() -> bool:
    """True while LiteLLM's own JSON ``gmi`` row would take ``gmi/`` calls away from this package."""
    registry = json_registry()
    return bool(registry is not None and registry.exists(PROVIDER))


def set_aside() -> None:
    """Take LiteLLM's built-in ``gmi`` row out of its registry, keeping it for :func:`give_back`."""
    global _saved_row  # noqa: PLW0603 - the popped row is restored by give_back()
    registry = json_registry()
    if registry is not None and registry.exists(PROVIDER):
        _saved_row = registry._providers.pop(PROVIDER)


def give_back() -> None:
    """Put the row :func:`set_aside` took back, and drop ``gmi`` from LiteLLM's custom provider lists
    when no ``custom_provider_map`` entry names it any more."""
    global _saved_row  # noqa: PLW0603
    if not any(item.get("provider") == PROVIDER for item in litellm.custom_provider_map):
        for names in (litellm._custom_providers, litellm.provider_list):
            while PROVIDER in names:
                names.remove(PROVIDER)
    registry = json_registry()
    if registry is not None and _saved_row is not None:
        registry._providers[PROVIDER] = _saved_row
        _saved_row = None
