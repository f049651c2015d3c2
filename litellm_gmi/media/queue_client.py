"""Clients for GMI's request queue (video, image and audio jobs): sync over ``httpx.Client``, async over
``httpx.AsyncClient``.

Both only send what :mod:`litellm_gmi.media.protocol` builds and hand answers back to it, so request
shapes, error mapping, the no-retry-on-submit rule and the polling schedule are written once.

A submit is never retried except on 429: GMI bills every accepted submit, and a 5xx or a dropped
connection does not say whether the job was accepted. Status polls inside :meth:`wait` do retry
408/429/5xx and network errors until the wait's own deadline.

Redirects are never left to httpx: each call follows them only as :mod:`litellm_gmi.media.urls` allows
(none for a submit or upload, same-origin for other API calls, checked public hosts for artifacts).
Artifacts are capped and land whole or not at all (:mod:`litellm_gmi.media.downloads`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from types import TracebackType

import httpx
from typing_extensions import override

from litellm_gmi.media import queue_core as core
from litellm_gmi.media.async_client import AsyncRequestQueueClient
from litellm_gmi.media.client_base import (
    DEFAULT_HTTP_TIMEOUT,
    QueueClientBase,
    http_timeout,
    logger,
    seconds,
)
from litellm_gmi.media.protocol import ERROR_BODY_LIMIT, HttpCall, transport_error, with_error_prefix
from litellm_gmi.media.steps import blocking
from litellm_gmi.media.transfer import upload_source
from litellm_gmi.media.urls import MAX_REDIRECTS, check_url, next_hop, too_many_redirects

__all__ = [
    "DEFAULT_HTTP_TIMEOUT",
    "AsyncRequestQueueClient",
    "RequestQueueClient",
    "http_timeout",
    "seconds",
]


class RequestQueueClient(QueueClientBase[httpx.Client, Callable[[float], None]]):
    """Synchronous client: ``with RequestQueueClient() as q: q.wait(q.submit("Veo3", {...}))``.

    Key, base URL and organisation resolve like the chat route (argument, then ``GMI_API_KEY``…,
    ``GMI_QUEUE_API_BASE``, ``GMI_ORG_ID``); ``headers`` are added to every queue API call (never to
    storage URLs); ``http_client`` is an ``httpx.Client``. ``sleep`` and ``clock`` exist so tests can run
    long schedules instantly.
    """

    list_models = blocking(core.list_models)
    get_model = blocking(core.get_model)
    submit = blocking(core.submit)
    status = blocking(core.status)
    list_requests = blocking(core.list_requests)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> RequestQueueClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    upload = blocking(core.upload)
    fetch = blocking(core.fetch)
    download = blocking(core.download)

    # The primitives queue_core's steps name.
    _read_source = staticmethod(upload_source)

    @staticmethod
    def _chunks(response: httpx.Response) -> Iterator[bytes]:
        return response.iter_bytes()

    @staticmethod
    def _next_chunk(chunks: Iterator[bytes]) -> bytes | None:
        return next(chunks, None)

    @staticmethod
    def _close(response: httpx.Response) -> None:
        response.close()

    @override
    def _new_http(self, timeout: float) -> httpx.Client:
        return httpx.Client(timeout=timeout)

    @override
    def _default_sleep(self) -> Callable[[float], None]:
        return time.sleep

    wait = blocking(core.wait)
    run = blocking(core.run)
    cancel = blocking(core.cancel)

    def _send(self, call: HttpCall, *, timeout: float | None = None, stream: bool = False) -> httpx.Response:
        """Send ``call``; an error answer is read only as far as :data:`ERROR_BODY_LIMIT`."""
        try:
            response = self._open(call, timeout)
            if stream and response.status_code < 400:
                return response
            try:
                if response.status_code < 400:
                    response.read()
                    return response
                prefix = bytearray()
                for chunk in response.iter_bytes():
                    prefix += chunk
                    if len(prefix) >= ERROR_BODY_LIMIT:
                        break
                return with_error_prefix(response, bytes(prefix[:ERROR_BODY_LIMIT]))
            finally:
                response.close()
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise transport_error(exc, call.model) from exc

    def _open(self, call: HttpCall, timeout: float | None) -> httpx.Response:
        """The answer's headers, after the redirects ``call`` may follow (each artifact hop checked)."""
        for _ in range(MAX_REDIRECTS + 1):
            if call.redirects == "public":
                check_url(call.url, self._trusted_host)
            logger.debug("GMI queue: %s %s", call.method, call.url)
            response = self._http.send(call.build(self._http, timeout), stream=True, follow_redirects=False)
            try:
                hop = next_hop(response, call)
            except BaseException:
                response.close()
                raise
            if hop is None:
                return response
            response.close()
            call = hop
        raise too_many_redirects(call)
