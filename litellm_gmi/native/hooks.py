"""The one ``CustomLogger`` litellm_gmi puts in ``litellm.callbacks``, carrying both pre-call jobs.

LiteLLM calls every logger in ``litellm.callbacks`` at every stage of every call (pre- and post-API
logging, success in its worker thread, async success on the loop), whether or not the logger overrides
that stage, so each logger costs every call, ``gmi/`` or not. Two loggers cost about 0.6% of a sync call
and 1.3% of an async one (bench, LiteLLM 1.106.2); one logger does all its jobs, in its
``async_pre_call_deployment_hook`` (awaited for each logger by
``litellm.utils.async_pre_call_deployment_hook`` on the caller's loop, just before an async call):

* refuse a ``gmi/`` ``aspeech``, ``atranscription``, ``arerank`` or ``amoderation`` with a 400 the
  Router never retries (:mod:`litellm_gmi.litellm_seams.unsupported`), however the caller reached it;
* turn a ``gmi/`` ``acompletion(stream=True)`` into a call ``acompletion`` awaits on the caller's loop
  (:mod:`litellm_gmi.litellm_seams.caller_loop`), so the stream opens inside ``acompletion``, where
  retries see its errors, without holding a thread;
* route ``/v1/messages`` and ``/v1/responses`` to GMI's own endpoints (:mod:`litellm_gmi.native.routes`),
  on LiteLLM releases that can (1.106 and later), with credentials masked in their errors
  (:mod:`litellm_gmi.litellm_seams.native_errors`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import litellm
from litellm.integrations.custom_logger import CustomLogger
from typing_extensions import override

from litellm_gmi.litellm_seams import (
    caller_loop,
    install_native_error_masking,
    refuse_unsupported,
    uninstall_native_error_masking,
)

Route = Callable[[dict[str, Any], Any], "dict[str, Any] | None"]
_log = logging.getLogger(__name__)


class GMIHooks(CustomLogger):
    """Changes nothing in a call but a ``gmi/`` async stream, a ``gmi/`` call to a native endpoint, or
    a ``gmi/`` call to an operation GMI does not serve (refused)."""

    def __init__(self) -> None:
        super().__init__()
        self.route: Route | None = None
        """:func:`litellm_gmi.native.routes.route` where this LiteLLM can pass calls through, else None."""

    @override
    async def async_pre_call_deployment_hook(
        self, kwargs: dict[str, Any], call_type: Any
    ) -> dict[str, Any] | None:
        refuse_unsupported(kwargs, call_type)
        converted = caller_loop.convert(kwargs, call_type)
        if converted is not None:
            return converted
        return self.route(kwargs, call_type) if self.route is not None else None


gmi_hooks = GMIHooks()
"""The one instance :func:`install` puts in ``litellm.callbacks``."""


def install() -> None:
    """Put :data:`gmi_hooks` in ``litellm.callbacks`` once (again after a proxy config replaced the list)."""
    if gmi_hooks.route is None:
        # Imported only when registering: it reads the model catalog.
        from litellm_gmi.native import routes as native_routes

        if native_routes.native_routes_available():
            gmi_hooks.route = native_routes.route
    if gmi_hooks.route is not None:
        install_native_error_masking()
    if not installed():
        litellm.callbacks.append(gmi_hooks)


def installed() -> bool:
    return any(callback is gmi_hooks for callback in litellm.callbacks)


def restore() -> bool:
    """Put :data:`gmi_hooks` back if something replaced ``litellm.callbacks``; True if it was gone.

    A proxy config's ``callbacks:`` given as one name replaces the list (a list of names extends it;
    LiteLLM's ``initialize_callbacks_on_proxy``, 1.81.1 to 1.110.2), after the package registered when
    it was imported first. The provider's async entry points call this, so one ``gmi/`` call brings the
    hook back for the calls after it.
    """
    if installed():
        return False
    _warn_replaced()
    install()
    return True


@functools.cache
def _warn_replaced() -> None:
    _log.warning(
        "litellm_gmi: its hook (litellm_gmi.native.hooks.GMIHooks) was not in litellm.callbacks, which a"
        " proxy config's `callbacks:` written as one name replaces; it is back for the next call. Until"
        " now gmi/ /v1/messages and /v1/responses took LiteLLM's bridge, and async speech,"
        " transcription and rerank were not refused. Write `callbacks: [name]` (a list) to keep it."
    )


def uninstall() -> None:
    litellm.callbacks[:] = [callback for callback in litellm.callbacks if callback is not gmi_hooks]
    if gmi_hooks.route is not None:
        uninstall_native_error_masking()
