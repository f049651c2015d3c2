"""Operations this package does not serve fail at once, clearly, and are not retried.

``CustomLLM`` has hooks only for chat, embeddings, image generation and image edit. LiteLLM's other
entry points never reach a custom provider: for ``gmi/`` they raised ``ValueError: 'gmi' is not a valid
LlmProviders`` (``speech``, ``transcription``), an ``APIConnectionError`` with status 500 that a Router
or proxy retries (``rerank``), a ``ValueError`` about image-variation providers, or, for
``moderation``, sent the input to OpenAI under the ``gmi/`` name. The video functions join them on
releases without LiteLLM's custom video hook (:mod:`litellm_gmi.video_route`), where they said
"'gmi' is not a valid LlmProviders". So each of those functions (and its
async twin) is wrapped (:mod:`litellm_gmi.litellm_seams.wraps`): a ``gmi`` call raises
:class:`BadRequestError` (status 400, which ``litellm.utils.should_retry`` and the Router never
retry) naming the operation, the provider and what to use instead; any other call is untouched.

Checked at registration (:mod:`.registry`): every wrapped name is probed; 1.81.1 through 1.110.2
need the wraps.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any, Final

import litellm
from litellm.exceptions import BadRequestError

from litellm_gmi import video_route
from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap

UNSUPPORTED: Final[dict[str, str]] = {
    "speech": "GMI's text-to-speech models run on its request queue: use litellm_gmi.RequestQueueClient",
    "transcription": "GMI publishes no transcription endpoint",
    "rerank": "GMI publishes no rerank endpoint",
    "image_variation": "use litellm.image_edit with a gmi/ image model",
    "moderation": "GMI publishes no moderation endpoint",
}
"""Each operation and its way out; ``a<name>`` (the async twin) is wrapped alongside."""

VIDEO_WAY_OUT: Final = (
    "this LiteLLM has no video hook for custom providers "
    f"({video_route.VIDEO_SEAM}, in LiteLLM 1.108.7 and 1.110.2): use litellm_gmi.{{operation}}, "
    "which takes the same arguments"
)
VIDEO_OPERATIONS: Final = ("video_generation", "video_status", "video_content")
"""Refused for ``gmi`` only where LiteLLM cannot route them to us (:mod:`litellm_gmi.video_route`)."""


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


def _names() -> list[str]:
    refused = [*UNSUPPORTED, *(() if video_route.litellm_routes_video() else VIDEO_OPERATIONS)]
    return [name for operation in refused for name in (operation, f"a{operation}")]


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
