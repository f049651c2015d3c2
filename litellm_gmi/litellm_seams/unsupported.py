"""Operations this package does not serve fail at once, clearly, and are not retried.

``CustomLLM`` has hooks only for chat, embeddings, image generation and image edit (1.81.1 through
1.110.2); LiteLLM's other entry points never reach a custom provider. What LiteLLM does with a
``gmi/`` call to each of them on its own is measured by ``tests/unsupported_report.py``
(docs/unsupported-operations.md), and a refusal is kept only where that is harmful:

* ``aspeech``, ``atranscription``, ``arerank``, ``amoderation``: LiteLLM raises an ``APIConnectionError``
  with status 500, which ``litellm.utils._should_retry`` calls retryable and a Router (so the proxy's
  ``/v1/audio/speech``, ``/v1/audio/transcriptions``, ``/v1/rerank``, ``/v1/moderations``) retries, or,
  for ``amoderation``, sends the input to OpenAI under the ``gmi/`` name. They are refused by
  :func:`refuse`, which :class:`litellm_gmi.native.hooks.GMIHooks` calls from its
  ``async_pre_call_deployment_hook`` (a ``CustomLogger`` method LiteLLM's ``@client`` wrapper awaits
  before every async call): no module attribute is replaced, so callers that took the function earlier
  (the Router builds ``amoderation`` into itself) are refused too.
* ``moderation`` and ``amoderation`` send the input to OpenAI under the ``gmi/`` name, so they are also
  wrapped on the module (:mod:`.wraps`): ``moderation`` is not wrapped by ``@client`` and runs no hook,
  and the wrap keeps ``amoderation`` refused where the hook is gone (a proxy config whose
  ``callbacks:`` replaced ``litellm.callbacks`` after the package registered, measured on 1.110.2).
* ``speech``, ``transcription``, ``rerank``, ``image_variation`` and ``aimage_variation`` are left to
  LiteLLM: it fails at once, sends nothing, retries nothing (no Router method or proxy route retries
  them), and its message names ``gmi``.

The video functions join the wrapped ones on releases without LiteLLM's custom video hook
(:mod:`litellm_gmi.videos.route`), where they said "'gmi' is not a valid LlmProviders".

A refusal is a :class:`BadRequestError` (status 400, which ``litellm.utils.should_retry`` and the Router
never retry) naming the operation, the provider and what to use instead; any other call is untouched.
Checked at registration (:mod:`.registry`): the wrapped names and the call types the hook matches.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any, Final

import litellm
from litellm.exceptions import BadRequestError

from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap
from litellm_gmi.videos import route as video_route

UNSUPPORTED: Final[dict[str, str]] = {
    "speech": "GMI's text-to-speech models run on its request queue: use litellm_gmi.RequestQueueClient",
    "transcription": "GMI publishes no transcription endpoint",
    "rerank": "GMI publishes no rerank endpoint",
    "moderation": "GMI publishes no moderation endpoint",
}
"""Each operation refused, with its way out: the async twins by :func:`refuse`, ``moderation`` wrapped."""

REFUSED_BY_HOOK: Final = tuple(f"a{operation}" for operation in UNSUPPORTED)
"""The call types :func:`refuse` refuses for ``gmi`` (members of ``litellm.types.utils.CallTypes``)."""
WRAPPED: Final = ("moderation", "amoderation")
"""What would send the input elsewhere: also wrapped on the module, so no hook is needed to refuse it."""

VIDEO_WAY_OUT: Final = (
    "this LiteLLM has no video hook for custom providers "
    f"({video_route.VIDEO_SEAM}, in LiteLLM 1.108.7 and 1.110.2): use litellm_gmi.{{operation}}, "
    "which takes the same arguments"
)
VIDEO_OPERATIONS: Final = ("video_generation", "video_status", "video_content")
"""Refused for ``gmi`` only where LiteLLM cannot route them to us (:mod:`litellm_gmi.videos.route`)."""


def error_for(operation: str, model: Any) -> BadRequestError:
    """The error a ``gmi`` call to ``operation`` raises."""
    label = operation.removeprefix("a")
    label = label if label in UNSUPPORTED or label in VIDEO_OPERATIONS else operation
    way_out = VIDEO_WAY_OUT.format(operation=operation) if label in VIDEO_OPERATIONS else UNSUPPORTED[label]
    return BadRequestError(
        message=f"{PROVIDER} does not support {operation} (litellm.{operation}): {way_out}.",
        model=str(model or ""),
        llm_provider=PROVIDER,
    )


def _refusing(operation: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)

        def target(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            try:
                bound = signature.bind_partial(*args, **kwargs).arguments
            except TypeError:  # let LiteLLM report its own argument errors
                return None
            extra = bound.get("kwargs")
            extra = extra if isinstance(extra, dict) else {}
            model = bound.get("model", extra.get("model"))
            provider = bound.get("custom_llm_provider", extra.get("custom_llm_provider"))
            return (model or "") if names_provider(model, provider, PROVIDER) else None

        if inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            async def refuse_async(*args: Any, **kwargs: Any) -> Any:
                model = target(args, kwargs)
                if model is not None:
                    raise error_for(operation, model)
                return await original(*args, **kwargs)

            return refuse_async

        @functools.wraps(original)
        def refuse(*args: Any, **kwargs: Any) -> Any:
            model = target(args, kwargs)
            if model is not None:
                raise error_for(operation, model)
            return original(*args, **kwargs)

        return refuse

    return make


def refuse(kwargs: dict[str, Any], call_type: Any) -> None:
    """Raise the refusal if this call is one of :data:`REFUSED_BY_HOOK` for ``gmi``; else nothing.

    ``call_type`` is what LiteLLM hands ``async_pre_call_deployment_hook``: a ``CallTypes`` member (or
    its value); ``kwargs`` hold the deployment's ``model`` and ``custom_llm_provider``.
    """
    name = getattr(call_type, "value", call_type)
    if name in REFUSED_BY_HOOK:
        model = kwargs.get("model")
        if names_provider(model, kwargs.get("custom_llm_provider"), PROVIDER):
            raise error_for(str(name), model)


def _names() -> list[str]:
    video = () if video_route.litellm_routes_video() else VIDEO_OPERATIONS
    return [*WRAPPED, *(name for operation in video for name in (operation, f"a{operation}"))]


def _modules(name: str) -> list[ModuleType]:
    """Where ``name`` is looked up: ``litellm``, and for video ``litellm.videos``, from which the Router
    (so the proxy's ``/v1/videos``) imports its video functions when it is built."""
    if name.removeprefix("a") not in VIDEO_OPERATIONS:
        return [litellm]
    try:
        from litellm import videos
    except ImportError:
        return [litellm]
    return [litellm, videos]


def install() -> None:
    for name in _names():
        for module in _modules(name):
            if hasattr(module, name):
                wrap(module, name, _refusing(name))


def uninstall() -> None:
    for name in _names():
        for module in _modules(name):
            unwrap(module, name)
