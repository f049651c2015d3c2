"""``litellm.completion(num_retries=N)`` on ``gmi/`` retries the way the openai SDK does.

LiteLLM's ``@client`` wrapper (``litellm.utils.client``) catches a failed ``completion`` or
``acompletion`` and, when ``num_retries`` is set and the call is not the Router's, calls
``litellm.completion_with_retries`` / ``litellm.acompletion_with_retries`` from inside its ``except``
block. Those retry every ``openai.APIError`` (a 400 included) with no wait between tries, except async
rate limits (a fixed exponential wait with no jitter), and never read ``Retry-After``. LiteLLM's built-in
route hides that behind the openai SDK's own retries; a custom provider has no SDK.

Both functions are wrapped (:mod:`litellm_gmi.patching`); for a ``gmi`` call the wrapper runs the
openai SDK's policy instead (``openai._base_client``: ``_should_retry``, ``_calculate_retry_timeout``):

* never retried: an answer whose ``Retry-After`` (or ``retry-after-ms``) asks for more than 120 s,
  whatever its status: the server has said when to come back, and it is not within this call.
* retried: 408, 409, 429, 5xx, timeouts and connection errors; never another 4xx. An
  ``x-should-retry: true|false`` header overrides.
* the wait before retry ``k`` (0-based) is ``min(0.5 * 2**k, 8)`` seconds times a jitter factor in
  ``(0.75, 1]``, unless the answer carried ``Retry-After`` of at most 120 s, which is waited exactly.

openai-python's rule since its PR #3555 (July 2026), ``MAX_RETRY_AFTER_DELAY = 2 * 60`` in
``openai/_constants.py``; before it the SDK honoured at most 60 s and backed off past that.

The first try's error is the exception LiteLLM is handling when it calls the wrapper
(``sys.exc_info()``), so a 400 is not sent twice. LiteLLM hands the wrapper ``acompletion`` without its
``@client`` wrapper (``original_function``), so no deployment hook sees a retry: each try of an async
stream is made awaitable here instead (:func:`litellm_gmi.caller_loop.for_one_try`). The Router keeps
its own retries (it already uses ``litellm.utils.should_retry`` and honours ``Retry-After``) and never
reaches this code.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import litellm
from litellm.exceptions import APIConnectionError, Timeout

from litellm_gmi import caller_loop
from litellm_gmi.constants import PROVIDER
from litellm_gmi.patching import names_provider, unwrap, wrap

INITIAL_DELAY: Final = 0.5
MAX_DELAY: Final = 8.0
MAX_RETRY_AFTER: Final = 120.0
"""The openai SDK's constants: a longer ``Retry-After`` is not retried at all."""
_DEFAULT_RETRIES: Final = 3  # LiteLLM's own default in completion_with_retries


def should_retry(error: BaseException) -> bool:
    """The openai SDK's rule, read from the status code LiteLLM's exceptions carry."""
    asked = retry_after(_headers(error))
    if asked is not None and asked > MAX_RETRY_AFTER:
        return False
    verdict = _headers(error).get("x-should-retry", "").lower()
    if verdict in ("true", "false"):
        return verdict == "true"
    if isinstance(error, Timeout | APIConnectionError):
        return True
    status = getattr(error, "status_code", None)  # GMI's own status (litellm_gmi.errors keeps it)
    return isinstance(status, int) and (status in (408, 409, 429) or status >= 500)


def retry_delay(
    retry: int, headers: Mapping[str, str], *, rand: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry number ``retry`` (0-based), given the failed answer's headers."""
    asked = retry_after(headers)
    if asked is not None and 0 < asked <= MAX_RETRY_AFTER:
        return asked
    return min(INITIAL_DELAY * 2.0**retry, MAX_DELAY) * (1 - 0.25 * rand())


def retry_after(headers: Mapping[str, str]) -> float | None:
    """``retry-after-ms``, else ``Retry-After`` in seconds or as an HTTP date; ``None`` if absent."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in lowered:
        return _seconds(lowered["retry-after-ms"], scale=1000)
    return _seconds(lowered["retry-after"]) if "retry-after" in lowered else None


def _seconds(value: str, *, scale: float = 1) -> float | None:
    try:
        seconds = float(value) / scale
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) else None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def _headers(error: BaseException) -> Mapping[str, str]:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    return headers if isinstance(headers, Mapping) else {}


def _split(kwargs: dict[str, Any], default: Callable[..., Any]) -> tuple[int, Callable[..., Any]]:
    """LiteLLM's retry arguments out of ``kwargs``; the tries themselves must not retry again."""
    retries = kwargs.pop("num_retries", _DEFAULT_RETRIES) or 0
    kwargs.pop("retry_strategy", None)
    call = kwargs.pop("original_function", None) or default
    kwargs["num_retries"] = 0
    kwargs["max_retries"] = 0
    return int(retries), call


def _wait_before(retry: int, error: BaseException | None) -> float:
    """The wait before retry ``retry``; re-raises ``error`` when it must not be retried."""
    if error is None:  # LiteLLM handed us no error: nothing to wait for
        return 0.0
    if not should_retry(error):
        raise error
    return retry_delay(retry, _headers(error))


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
            time.sleep(_wait_before(retry, error))
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
            await asyncio.sleep(_wait_before(retry, error))
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
