"""Make ``gmi/`` resolve to :data:`litellm_gmi.handler.gmi_provider` on every supported LiteLLM.

Public route: an entry in ``litellm.custom_provider_map`` plus ``litellm.utils.custom_llm_setup()``, and
(LiteLLM 1.106 on) a ``CustomLogger`` in ``litellm.callbacks`` that sends ``/v1/messages`` and
``/v1/responses`` calls to GMI natively (:mod:`litellm_gmi.native_routes`).

One private write, needed from LiteLLM 1.81.3 on: those releases ship a built-in JSON ``gmi`` row that
``get_llm_provider`` and ``completion`` consult *before* custom providers, so the row is popped from
``litellm.llms.openai_like.json_loader.JSONProviderRegistry._providers`` and kept for
:func:`unregister`. tests/test_registration.py fails if an upgrade moves or renames that structure.

Video: ``gmi_provider`` is also LiteLLM's video config for ``gmi`` (:mod:`litellm_gmi.video_config`),
found in the same map entry by LiteLLMs that have the hook (1.108.7, 1.110.2);
:mod:`litellm_gmi.video_route` decides and logs which video path the installed LiteLLM gets.

Public LiteLLM functions wrapped for ``gmi`` calls only, and restored by :func:`unregister`:
``get_supported_openai_params`` (:mod:`litellm_gmi.supported_params`), ``completion_with_retries``
(:mod:`litellm_gmi.retries`) and the operations GMI does not serve (:mod:`litellm_gmi.unsupported`).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import litellm

from litellm_gmi import hooks, video_route
from litellm_gmi.constants import PROVIDER
from litellm_gmi.handler import gmi_provider

logger = logging.getLogger("litellm_gmi")

_saved_builtin_row: Any = None


def _json_registry() -> Any:
    """LiteLLM's JSON provider registry, or ``None`` on releases before it existed (< 1.81)."""
    try:
        from litellm.llms.openai_like.json_loader import JSONProviderRegistry
    except ImportError:
        return None
    return JSONProviderRegistry


def builtin_row_active() -> bool:
    """True while LiteLLM's own JSON ``gmi`` row would take ``gmi/`` calls away from this package."""
    registry = _json_registry()
    return bool(registry is not None and registry.exists(PROVIDER))


def register(*, override_builtin: bool = True) -> None:
    """Route ``gmi/`` through this package and publish the model catalog. Safe to call repeatedly."""
    global _saved_builtin_row  # noqa: PLW0603 - the popped row is restored by unregister()
    if not any(
        item.get("provider") == PROVIDER and item.get("custom_handler") is gmi_provider
        for item in litellm.custom_provider_map
    ):
        litellm.custom_provider_map.append({"provider": PROVIDER, "custom_handler": gmi_provider})
    registry = _json_registry()
    if override_builtin and registry is not None and registry.exists(PROVIDER):
        # PRIVATE: JSONProviderRegistry._providers (litellm/llms/openai_like/json_loader.py).
        _saved_builtin_row = registry._providers.pop(PROVIDER)
    if override_builtin and builtin_row_active():
        warnings.warn(
            "litellm_gmi could not disable LiteLLM's built-in 'gmi' route; "
            "gmi/ calls will bypass litellm_gmi",
            RuntimeWarning,
            stacklevel=2,
        )
    litellm.utils.custom_llm_setup()  # type: ignore[no-untyped-call]  # LiteLLM leaves it unannotated
    for patch in _patches():
        patch.install()
    from litellm_gmi.catalog import register_catalog

    register_catalog()
    hooks.install()
    video_route.log_route()
    _check_seams_once()


_seams_checked = False


def _check_seams_once() -> None:
    """Warn, once per process, for every LiteLLM internal this package relies on that is gone."""
    global _seams_checked  # noqa: PLW0603 - one check per process, however often register() runs
    if not _seams_checked:
        _seams_checked = True
        from litellm_gmi import seams

        seams.warn_missing()


def unregister() -> None:
    """Undo :func:`register`: drop our handler and give LiteLLM its built-in row back."""
    global _saved_builtin_row  # noqa: PLW0603
    litellm.custom_provider_map[:] = [
        item for item in litellm.custom_provider_map if item.get("custom_handler") is not gmi_provider
    ]
    if not any(item.get("provider") == PROVIDER for item in litellm.custom_provider_map):
        for names in (litellm._custom_providers, litellm.provider_list):
            while PROVIDER in names:
                names.remove(PROVIDER)
    hooks.uninstall()
    registry = _json_registry()
    if registry is not None and _saved_builtin_row is not None:
        registry._providers[PROVIDER] = _saved_builtin_row
        _saved_builtin_row = None
    for patch in _patches():
        patch.uninstall()


def _patches() -> tuple[Any, ...]:
    """The LiteLLM functions wrapped for ``gmi`` calls (:mod:`litellm_gmi.patching`)."""
    from litellm_gmi import embedding_params, retries, supported_params, unsupported

    return (supported_params, embedding_params, retries, unsupported)
