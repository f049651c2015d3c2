"""Make ``gmi/`` resolve to :data:`litellm_gmi.provider.gmi_provider` on every supported LiteLLM.

Public route: an entry in ``litellm.custom_provider_map`` plus ``litellm.utils.custom_llm_setup()``, and
(LiteLLM 1.106 on) a ``CustomLogger`` in ``litellm.callbacks`` that sends ``/v1/messages`` and
``/v1/responses`` calls to GMI natively (:mod:`litellm_gmi.native.routes`).

From LiteLLM 1.81.3 on, a built-in JSON ``gmi`` row would take ``gmi/`` calls first; it is set aside
while registered (:mod:`litellm_gmi.litellm_seams.builtin_row`).

Video: ``gmi_provider`` is also LiteLLM's video config for ``gmi`` (:mod:`litellm_gmi.videos.transformation`),
found in the same map entry by LiteLLMs that have the hook (1.108.7, 1.110.2);
:mod:`litellm_gmi.videos.route` decides and logs which video path the installed LiteLLM gets.

Every reach into LiteLLM beyond those extension points lives in :mod:`litellm_gmi.litellm_seams`: the
function wraps installed here for ``gmi`` calls only and restored by :func:`unregister`, and the seam
check that warns, naming each one a LiteLLM release removed.
"""

from __future__ import annotations

import logging
import warnings

import litellm

from litellm_gmi.chat.params import supported_openai_params
from litellm_gmi.constants import PROVIDER
from litellm_gmi.embeddings import OPENAI_PARAMS
from litellm_gmi.litellm_seams import (
    builtin_row_active,
    give_back_builtin_row,
    install_wraps,
    set_aside_builtin_row,
    uninstall_wraps,
    warn_missing_seams,
)
from litellm_gmi.native import hooks
from litellm_gmi.provider import gmi_provider
from litellm_gmi.videos import route as video_route

__all__ = ["builtin_row_active", "register", "unregister"]

logger = logging.getLogger("litellm_gmi")


def register(*, override_builtin: bool = True) -> None:
    """Route ``gmi/`` through this package and publish the model catalog. Safe to call repeatedly."""
    if not any(
        item.get("provider") == PROVIDER and item.get("custom_handler") is gmi_provider
        for item in litellm.custom_provider_map
    ):
        litellm.custom_provider_map.append({"provider": PROVIDER, "custom_handler": gmi_provider})
    if override_builtin:
        set_aside_builtin_row()
    if override_builtin and builtin_row_active():
        warnings.warn(
            "litellm_gmi could not disable LiteLLM's built-in 'gmi' route; "
            "gmi/ calls will bypass litellm_gmi",
            RuntimeWarning,
            stacklevel=2,
        )
    litellm.utils.custom_llm_setup()  # type: ignore[no-untyped-call]  # LiteLLM leaves it unannotated
    install_wraps(chat_params=supported_openai_params, embedding_params=OPENAI_PARAMS)
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
        warn_missing_seams()


def unregister() -> None:
    """Undo :func:`register`: drop our handler and give LiteLLM its built-in row back."""
    litellm.custom_provider_map[:] = [
        item for item in litellm.custom_provider_map if item.get("custom_handler") is not gmi_provider
    ]
    hooks.uninstall()
    give_back_builtin_row()
    uninstall_wraps()
