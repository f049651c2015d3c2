"""``litellm.completion(num_retries=N)`` on ``gmi/`` retries the way the openai SDK does: the policy.

LiteLLM's own ``completion_with_retries`` retries every ``openai.APIError`` (a 400 included) with no wait
between tries, except async rate limits (a fixed exponential wait with no jitter), and never reads
``Retry-After``. For a ``gmi`` call :mod:`litellm_gmi.litellm_seams.retries_wrap` (which says how LiteLLM
reaches it) runs the openai SDK's policy instead (``openai._base_client``: ``_should_retry``,
``_calculate_retry_timeout``), decided here:

* never retried: an answer whose ``Retry-After`` (or ``retry-after-ms``) asks for more than 120 s,
  whatever its status: the server has said when to come back, and it is not within this call.
* retried: 408, 409, 429, 5xx, timeouts and connection errors; never another 4xx. An
  ``x-should-retry: true|false`` header overrides.
* the wait before retry ``k`` (0-based) is ``min(0.5 * 2**k, 8)`` seconds times a jitter factor in
  ``(0.75, 1]``, unless the answer carried ``Retry-After`` of at most 120 s, which is waited exactly.

openai-python's rule since its PR #3555 (July 2026), ``MAX_RETRY_AFTER_DELAY = 2 * 60`` in
``openai/_constants.py``; before it the SDK honoured at most 60 s and backed off past that.
:func:`retry_after` is the package's one ``Retry-After`` parser (the media queue client reads it too).
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Final

from litellm.exceptions import APIConnectionError, Timeout

INITIAL_DELAY: Final = 0.5
MAX_DELAY: Final = 8.0
MAX_RETRY_AFTER: Final = 120.0
"""The openai SDK's constants: a longer ``Retry-After`` is not retried at all."""


def should_retry(error: BaseException) -> bool:
    """The openai SDK's rule, read from the status code LiteLLM's exceptions carry."""
    asked = retry_after(headers_of(error))
    if asked is not None and asked > MAX_RETRY_AFTER:
        return False
    verdict = headers_of(error).get("x-should-retry", "").lower()
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


def headers_of(error: BaseException) -> Mapping[str, str]:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    return headers if isinstance(headers, Mapping) else {}


def wait_before(retry: int, error: BaseException | None) -> float:
    """The wait before retry ``retry``; re-raises ``error`` when it must not be retried."""
    if error is None:  # LiteLLM handed us no error: nothing to wait for
        return 0.0
    if not should_retry(error):
        raise error
    return retry_delay(retry, headers_of(error))
