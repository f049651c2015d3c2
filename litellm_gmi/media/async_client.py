"""The asynchronous request-queue client (see :mod:`litellm_gmi.media.queue_client`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from litellm.exceptions import APIConnectionError, Timeout

from litellm_gmi.constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from litellm_gmi.media.client_base import (
    DEFAULT_HTTP_TIMEOUT,
    QueueClientBase,
    UploadSource,
    logger,
)
from litellm_gmi.media.downloads import PartFile, download_target
from litellm_gmi.media.protocol import (
    DEFAULT_MAX_POLL_INTERVAL,
    DEFAULT_SUBMIT_RETRIES,
    ERROR_BODY_LIMIT,
    HttpCall,
    OnUpdate,
    SubmitRetry,
    check,
    parse_models,
    parse_record,
    parse_records,
    parse_upload_grant,
    submit_errors,
    transport_error,
    with_error_prefix,
)
from litellm_gmi.media.records import QueueRequest
from litellm_gmi.media.transfer import (
    artifact_get,
    artifact_url,
    body_errors,
    raise_for_download,
    upload_put,
    upload_source,
)
from litellm_gmi.media.urls import MAX_REDIRECTS, acheck_url, next_hop, too_many_redirects


class AsyncRequestQueueClient(QueueClientBase):
    """The asynchronous twin of :class:`RequestQueueClient`, method for method."""

    def __init__(
        self,
        api_key: str | None = None,
        api_base: str | None = None,
        org_id: str | None = None,
        *,
        timeout: float = DEFAULT_HTTP_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
        submit_retries: int = DEFAULT_SUBMIT_RETRIES,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        headers: Mapping[str, str] | None = None,
        max_download_bytes: int | None = None,
    ) -> None:
        super().__init__(
            api_key, api_base, org_id, timeout, submit_retries, clock, headers, max_download_bytes
        )
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http_client is None
        self._sleep = sleep or asyncio.sleep  # looked up now, so a patched asyncio.sleep applies

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncRequestQueueClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

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

    async def _json(self, call: HttpCall, *, timeout: float | None = None) -> Any:
        return check(await self._send(call, timeout=timeout), model=call.model)

    async def list_models(self) -> list[str]:
        return parse_models(await self._json(self._protocol.list_models()))

    async def get_model(self, model: str) -> dict[str, Any]:
        return dict(await self._json(self._protocol.get_model(model)))

    async def submit(self, model: str, payload: Mapping[str, Any]) -> QueueRequest:
        call = self._protocol.submit(model, payload)
        policy = SubmitRetry(self._submit_retries)
        while True:
            with submit_errors(model):
                response = await self._send(call)
                delay = policy.delay(response)
                if delay is None:
                    return parse_record(check(response, model=model), model=model)
            logger.info("GMI queue: 429 on submit to %s, retrying in %.1fs", model, delay)
            await self._sleep(delay)

    async def status(self, request_id: str, *, timeout: float | None = None) -> QueueRequest:
        return parse_record(await self._json(self._protocol.status(request_id), timeout=timeout))

    async def list_requests(self, model: str | None = None) -> list[QueueRequest]:
        return parse_records(await self._json(self._protocol.list_requests(model)))

    async def wait(
        self,
        request: str | QueueRequest,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> QueueRequest:
        request_id = request.request_id if isinstance(request, QueueRequest) else request
        loop = self._wait_loop(request_id, timeout, poll_interval, max_poll_interval, on_update)
        record = request if isinstance(request, QueueRequest) else None
        while True:
            if record is None:
                try:
                    record = await self.status(request_id, timeout=self._poll_timeout(loop))
                except Exception as exc:
                    loop.transient(exc)
            if record is not None and loop.observe(record):
                return record
            await self._sleep(loop.next_delay())
            record = None

    async def run(self, model: str, payload: Mapping[str, Any], **wait: Any) -> QueueRequest:
        return await self.wait(await self.submit(model, payload), **wait)

    async def cancel(self, request_id: str) -> bool:
        try:
            response = await self._send(self._protocol.cancel(request_id))
        except (Timeout, APIConnectionError):
            return False
        return response.status_code < 400

    async def upload(self, source: UploadSource, file_type: str | None = None) -> str:
        data, kind = await asyncio.to_thread(upload_source, source, file_type)
        upload_url, public_url = parse_upload_grant(await self._json(self._protocol.upload_grant(kind)))
        response = await self._send(upload_put(upload_url, data, kind))
        raise_for_download(response, upload_url)
        return public_url

    async def fetch(self, source: str | QueueRequest) -> bytes:
        url = artifact_url(source)
        response = await self._artifact(url)
        try:
            with body_errors():
                budget = self._budget(response)
                return b"".join([budget.take(chunk) async for chunk in response.aiter_bytes()])
        finally:
            await response.aclose()

    async def download(
        self, source: str | QueueRequest, dest: str | PathLike[str], *, overwrite: bool = False
    ) -> Path:
        url = artifact_url(source)
        request_id = source.request_id if isinstance(source, QueueRequest) else None
        target = download_target(dest, url, request_id, overwrite=overwrite)
        response = await self._artifact(url)
        try:
            with body_errors(), PartFile(target, overwrite) as part:
                budget = self._budget(response)
                async for chunk in response.aiter_bytes():
                    part.write(budget.take(chunk))
        finally:
            await response.aclose()
        return target

    async def _artifact(self, url: str) -> httpx.Response:
        response = await self._send(artifact_get(url), stream=True)
        raise_for_download(response, url)
        return response
