"""The asynchronous request-queue client (see :mod:`litellm_gmi.media.queue_client`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx
from typing_extensions import override

from litellm_gmi.media import queue_core as core
from litellm_gmi.media.client_base import QueueClientBase, UploadSource, logger
from litellm_gmi.media.protocol import ERROR_BODY_LIMIT, HttpCall, transport_error, with_error_prefix
from litellm_gmi.media.steps import awaiting
from litellm_gmi.media.transfer import upload_source
from litellm_gmi.media.urls import MAX_REDIRECTS, acheck_url, next_hop, too_many_redirects


class AsyncRequestQueueClient(QueueClientBase[httpx.AsyncClient, Callable[[float], Awaitable[None]]]):
    """The asynchronous twin of :class:`RequestQueueClient`, method for method (``http_client`` is an
    ``httpx.AsyncClient``)."""

    list_models = awaiting(core.list_models)
    get_model = awaiting(core.get_model)
    submit = awaiting(core.submit)
    status = awaiting(core.status)
    list_requests = awaiting(core.list_requests)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncRequestQueueClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    wait = awaiting(core.wait)
    run = awaiting(core.run)
    cancel = awaiting(core.cancel)

    @override
    def _default_sleep(self) -> Callable[[float], Awaitable[None]]:
        return asyncio.sleep

    @override
    def _new_http(self, timeout: float) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=timeout)

    upload = awaiting(core.upload)
    fetch = awaiting(core.fetch)
    download = awaiting(core.download)

    # The primitives queue_core's steps name (each awaited).
    async def _read_source(self, source: UploadSource, file_type: str | None) -> tuple[bytes, str]:
        return await asyncio.to_thread(upload_source, source, file_type)

    async def _chunks(self, response: httpx.Response) -> AsyncIterator[bytes]:
        return response.aiter_bytes()

    async def _next_chunk(self, chunks: AsyncIterator[bytes]) -> bytes | None:
        return await anext(chunks, None)

    async def _close(self, response: httpx.Response) -> Any:
        await response.aclose()

    async def _send(
        self, call: HttpCall, *, timeout: float | None = None, stream: bool = False
    ) -> httpx.Response:
        try:
            response = await self._open(call, timeout)
            if stream and response.status_code < 400:
                return response
            try:
                if response.status_code < 400:
                    await response.aread()
                    return response
                prefix = bytearray()
                async for chunk in response.aiter_bytes():
                    prefix += chunk
                    if len(prefix) >= ERROR_BODY_LIMIT:
                        break
                return with_error_prefix(response, bytes(prefix[:ERROR_BODY_LIMIT]))
            finally:
                await response.aclose()
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise transport_error(exc, call.model) from exc

    async def _open(self, call: HttpCall, timeout: float | None) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            if call.redirects == "public":
                await acheck_url(call.url, self._trusted_host)
            logger.debug("GMI queue: %s %s", call.method, call.url)
            request = call.build(self._http, timeout)
            response = await self._http.send(request, stream=True, follow_redirects=False)
            try:
                hop = next_hop(response, call)
            except BaseException:
                await response.aclose()
                raise
            if hop is None:
                return response
            await response.aclose()
            call = hop
        raise too_many_redirects(call)
