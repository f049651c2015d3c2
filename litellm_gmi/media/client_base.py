"""What the sync and async request-queue clients share: settings, the wait loop, timeouts."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from os import PathLike
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx
from typing_extensions import override

from litellm_gmi.media.downloads import Budget
from litellm_gmi.media.limits import max_download_bytes
from litellm_gmi.media.protocol import (
    DEFAULT_SUBMIT_RETRIES,
    OnUpdate,
    QueueProtocol,
    WaitLoop,
)

logger = logging.getLogger("litellm_gmi.media")

DEFAULT_HTTP_TIMEOUT = 60.0
"""Per HTTP call; :meth:`RequestQueueClient.wait` has its own overall timeout."""


def seconds(timeout: Any, default: float) -> float:
    """LiteLLM's ``timeout`` (number, string or ``httpx.Timeout``) in seconds; ``default`` if unusable."""
    if isinstance(timeout, httpx.Timeout):
        timeout = timeout.read
    try:
        value = float(timeout)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def http_timeout(timeout: Any) -> float:
    """The per-call HTTP timeout for a caller's ``timeout=``: never longer than the whole call may take."""
    return min(seconds(timeout, DEFAULT_HTTP_TIMEOUT), DEFAULT_HTTP_TIMEOUT)


UploadSource = str | PathLike[str] | bytes


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
SleepT = TypeVar("SleepT", Callable[[float], None], Callable[[float], Awaitable[None]])


class QueueClientBase(Generic[HttpT, SleepT]):
    """Configuration shared by both clients; the key lives only inside the protocol's headers.

    A face names its HTTP client and default sleep (:meth:`_new_http`, :meth:`_default_sleep`); the
    logic lives in :mod:`litellm_gmi.media.queue_core`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_base: str | None = None,
        org_id: str | None = None,
        *,
        timeout: float = DEFAULT_HTTP_TIMEOUT,
        http_client: HttpT | None = None,
        submit_retries: int = DEFAULT_SUBMIT_RETRIES,
        sleep: SleepT | None = None,
        clock: Callable[[], float] = time.monotonic,
        headers: Mapping[str, str] | None = None,
        max_download_bytes: int | None = None,
    ) -> None:
        self._protocol = QueueProtocol(api_key, api_base, org_id, headers)
        self._timeout = timeout
        self._submit_retries = submit_retries
        self._clock = clock
        self._max_download = max_download_bytes
        self._trusted_host = urlsplit(self._protocol.api_base).hostname
        """Artifacts may live on the queue's own host even when it is private (an emulator, a test)."""
        self._http: HttpT = self._new_http(timeout) if http_client is None else http_client
        self._owns_http = http_client is None
        self._sleep: SleepT = sleep or self._default_sleep()  # looked up now, so a patched sleep applies

    def _new_http(self, timeout: float) -> HttpT:
        raise NotImplementedError

    def _default_sleep(self) -> SleepT:
        raise NotImplementedError

    @property
    def api_base(self) -> str:
        return self._protocol.api_base

    @override
    def __repr__(self) -> str:
        name, base = type(self).__name__, self.api_base
        org = "'***'" if self._protocol.org_id else "None"  # the organisation id is as private as the key
        return f"{name}(api_base={base!r}, org_id={org}, api_key='***')"

    def _wait_loop(
        self,
        request_id: str,
        timeout: float,
        poll_interval: float,
        max_poll_interval: float,
        on_update: OnUpdate | None,
    ) -> WaitLoop:
        return WaitLoop(
            request_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=max_poll_interval,
            clock=self._clock,
            on_update=on_update,
        )

    def _poll_timeout(self, loop: WaitLoop) -> float:
        """A status poll may not outlive the wait's deadline by more than a second."""
        return max(min(self._timeout, loop.remaining()), 1.0)

    def _budget(self, response: httpx.Response) -> Budget:
        return Budget(response, max_download_bytes(self._max_download))
