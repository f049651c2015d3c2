"""``litellm.completion_with_retries`` and ``litellm.acompletion_with_retries``, wrapped for ``gmi`` calls.

LiteLLM's ``@client`` wrapper (``litellm.utils.client``) catches a failed ``completion`` or
``acompletion`` and, when ``num_retries`` is set and the call is not the Router's, calls
``litellm.completion_with_retries`` / ``litellm.acompletion_with_retries`` from inside its ``except``
block (1.81.1 through 1.110.2). LiteLLM's built-in route hides their policy behind the openai SDK's own
retries; a custom provider has no SDK, and no extension point reaches them.

Both functions are wrapped (:mod:`litellm_gmi.litellm_seams.wraps`); for a ``gmi`` call the wrapper
runs the openai SDK's policy instead (:mod:`litellm_gmi.retries`).

The first try's error is the exception LiteLLM is handling when it calls the wrapper
(``sys.exc_info()``), so a 400 is not sent twice. LiteLLM hands the wrapper ``acompletion`` without its
``@client`` wrapper (``original_function``), so no deployment hook sees a retry: each try of an async
stream is made awaitable here instead (:func:`litellm_gmi.litellm_seams.caller_loop.for_one_try`).
The Router keeps its own retries (it already uses ``litellm.utils.should_retry`` and honours
``Retry-After``) and never reaches this code.

Checked at registration by
:mod:`litellm_gmi.litellm_seams.registry`: without the two attributes ``num_retries`` falls back to
LiteLLM's own retry policy.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import Any, Final

import litellm

from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams import caller_loop
from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap
from litellm_gmi.retries import wait_before

_DEFAULT_RETRIES: Final = 3  # LiteLLM's own default in completion_with_retries


def _split(kwargs: dict[str, Any], default: Callable[..., Any]) -> tuple[int, Callable[..., Any]]:
    """LiteLLM's retry arguments out of ``kwargs``; the tries themselves must not retry again."""
    retries = kwargs.pop("num_retries", _DEFAULT_RETRIES) or 0
    kwargs.pop("retry_strategy", None)
    call = kwargs.pop("original_function", None) or default
    kwargs["num_retries"] = 0
    kwargs["max_retries"] = 0
    return int(retries), call


def _is_gmi(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    return names_provider(
        kwargs.get("model", args[0] if args else None), kwargs.get("custom_llm_provider"), PROVIDER
    )


def _retrying(original: Callable[..., Any]) -> Callable[..., Any]:
    def completion_with_retries(*args: Any, **kwargs: Any) -> Any:
        if not _is_gmi(args, kwargs):
            return original(*args, **kwargs)
        retries, call = _split(kwargs, litellm.completion)
        error = sys.exc_info()[1]  # the first try's error, which LiteLLM is handling
        for retry in range(retries):
            time.sleep(wait_before(retry, error))
            try:
                return call(*args, **kwargs)
            except Exception as exc:  # classified by _wait_before on the next turn
                error = exc
        if error is None:  # num_retries=0 outside a failed call: just the call
            return call(*args, **kwargs)
        raise error

    completion_with_retries.__doc__ = original.__doc__
    return completion_with_retries


def _aretrying(original: Callable[..., Any]) -> Callable[..., Any]:
    async def acompletion_with_retries(*args: Any, **kwargs: Any) -> Any:
        if not _is_gmi(args, kwargs):
            return await original(*args, **kwargs)
        retries, call = _split(kwargs, litellm.acompletion)
        error = sys.exc_info()[1]  # the first try's error, which LiteLLM is handling
        for retry in range(retries):
            await asyncio.sleep(wait_before(retry, error))
            try:
                return await call(*args, **caller_loop.for_one_try(kwargs))
            except Exception as exc:  # classified by _wait_before on the next turn
                error = exc
        if error is None:  # num_retries=0 outside a failed call: just the call
            return await call(*args, **caller_loop.for_one_try(kwargs))
        raise error

    acompletion_with_retries.__doc__ = original.__doc__
    return acompletion_with_retries


def install() -> None:
    wrap(litellm, "completion_with_retries", _retrying)
    wrap(litellm, "acompletion_with_retries", _aretrying)


def uninstall() -> None:
    unwrap(litellm, "acompletion_with_retries")
    unwrap(litellm, "completion_with_retries")
