"""GMI Cloud as a first-class LiteLLM provider.

``import litellm_gmi`` is all it takes: ``litellm.completion("gmi/<org>/<model>", ...)`` then runs through
this package (parameter mapping, typed errors, reasoning, costs from the shipped catalog and the user's
refreshed overlay, see :func:`refresh_models`). Set ``LITELLM_GMI_AUTO_REGISTER=0`` to import without
registering, and call :func:`register` yourself.

The import itself is cheap: the provider is registered at once if LiteLLM is already loaded, otherwise
the moment it is (:mod:`litellm_gmi.auto_register`), so the ``litellm-gmi`` command line answers ``--help``
without loading LiteLLM. The names below load their module on first use, so chat-only users never pay for
the request queue (:mod:`litellm_gmi.media`).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from litellm_gmi._version import __version__
from litellm_gmi.auto_register import call_when_imported
from litellm_gmi.litellm_seams import use_litellm_encodings

if TYPE_CHECKING:
    from litellm_gmi.catalog.refresh import RefreshError, RefreshResult, refresh_models
    from litellm_gmi.heap import freeze_heap
    from litellm_gmi.media import (
        AsyncRequestQueueClient,
        QueueStuckError,
        QueueTimeoutError,
        RequestCancelledError,
        RequestFailedError,
        RequestQueueClient,
        avideo_content,
        avideo_generation,
        avideo_status,
        video_content,
        video_generation,
        video_status,
    )
    from litellm_gmi.native.routes import native_kwargs
    from litellm_gmi.provider import GMIProvider, gmi_provider
    from litellm_gmi.registration import builtin_row_active, register, unregister

_LAZY_MODULES = {
    "litellm_gmi.provider": ("GMIProvider", "gmi_provider"),
    "litellm_gmi.heap": ("freeze_heap",),
    "litellm_gmi.registration": ("builtin_row_active", "register", "unregister"),
    "litellm_gmi.native.routes": ("native_kwargs",),
    "litellm_gmi.catalog.refresh": ("RefreshError", "RefreshResult", "refresh_models"),
    "litellm_gmi.media": (
        "AsyncRequestQueueClient",
        "QueueStuckError",
        "QueueTimeoutError",
        "RequestCancelledError",
        "RequestFailedError",
        "RequestQueueClient",
        "SubmitUncertainError",
        "avideo_content",
        "avideo_generation",
        "avideo_status",
        "video_content",
        "video_generation",
        "video_status",
    ),
}
_MODULE_OF = {name: module for module, names in _LAZY_MODULES.items() for name in names}

__all__ = [
    "AsyncRequestQueueClient",
    "GMIProvider",
    "QueueStuckError",
    "QueueTimeoutError",
    "RefreshError",
    "RefreshResult",
    "RequestCancelledError",
    "RequestFailedError",
    "RequestQueueClient",
    "SubmitUncertainError",
    "__version__",
    "avideo_content",
    "avideo_generation",
    "avideo_status",
    "builtin_row_active",
    "freeze_heap",
    "gmi_provider",
    "native_kwargs",
    "refresh_models",
    "register",
    "unregister",
    "video_content",
    "video_generation",
    "video_status",
]


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'litellm_gmi' has no attribute {name!r}")


def _register() -> None:
    from litellm_gmi.catalog.refresh import start_refresh_on_start
    from litellm_gmi.heap import freeze_heap_if_asked
    from litellm_gmi.registration import register

    register()
    start_refresh_on_start()  # opt-in (LITELLM_GMI_REFRESH_ON_START=1): a daemon thread, never blocks
    freeze_heap_if_asked()  # opt-in (LITELLM_GMI_FREEZE_HEAP=1), once LiteLLM and the catalog are loaded


use_litellm_encodings()  # before LiteLLM loads an encoding: 1.81.1 would download cl100k_base
if os.environ.get("LITELLM_GMI_AUTO_REGISTER", "1") != "0":
    call_when_imported("litellm", _register, package=__name__)
