"""Clients for GMI's request queue (video, image and audio jobs): sync over ``httpx.Client``, async over
``httpx.AsyncClient``.

Both only send what :mod:`litellm_gmi.media.protocol` builds and hand answers back to it, so request
shapes, error mapping, the no-retry-on-submit rule and the polling schedule are written once.

A submit is never retried except on 429: GMI bills every accepted submit, and a 5xx or a dropped
connection does not say whether the job was accepted. Status polls inside :meth:`wait` do retry
408/429/5xx and network errors until the wait's own deadline.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from litellm.exceptions import APIConnectionError, Timeout
from typing_extensions import override

from litellm_gmi.constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from litellm_gmi.media.protocol import (
    DEFAULT_MAX_POLL_INTERVAL,
    DEFAULT_SUBMIT_RETRIES,
    ERROR_BODY_LIMIT,
    HttpCall,
    OnUpdate,
    QueueProtocol,
    SubmitRetry,
    WaitLoop,
    artifact_get,
    artifact_url,
    body_errors,
    check,
    download_target,
    parse_models,
    parse_record,
    parse_records,
    parse_upload_grant,
    raise_for_download,
    submit_errors,
    transport_error,
    upload_put,
    upload_source,
    with_error_prefix,
)
from litellm_gmi.media.records import QueueRequest

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


class _Base:
    """Configuration shared by both clients; the key lives only inside the protocol's headers."""

    def __init__(
        self,
        api_key: str | None,
        api_base: str | None,
        org_id: str | None,
        timeout: float,
        submit_retries: int,
        clock: Callable[[], float],
        headers: Mapping[str, str] | None,
    ) -> None:
        self._protocol = QueueProtocol(api_key, api_base, org_id, headers)
        self._timeout = timeout
        self._submit_retries = submit_retries
        self._clock = clock

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


class RequestQueueClient(_Base):
    """Synchronous client: ``with RequestQueueClient() as q: q.wait(q.submit("Veo3", {...}))``.

    Key, base URL and organisation resolve like the chat route (argument, then ``GMI_API_KEY``…,
    ``GMI_QUEUE_API_BASE``, ``GMI_ORG_ID``); ``headers`` are added to every queue API call (never to
    storage URLs). ``sleep`` and ``clock`` exist so tests can run long schedules instantly.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_base: str | None = None,
        org_id: str | None = None,
        *,
        timeout: float = DEFAULT_HTTP_TIMEOUT,
        http_client: httpx.Client | None = None,
        submit_retries: int = DEFAULT_SUBMIT_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(api_key, api_base, org_id, timeout, submit_retries, clock, headers)
        self._http = http_client or httpx.Client(timeout=timeout, follow_redirects=True)
        self._owns_http = http_client is None
        self._sleep = sleep

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> RequestQueueClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _send(self, call: HttpCall, *, timeout: float | None = None, stream: bool = False) -> httpx.Response:
        """Send ``call``; an error answer is read only as far as :data:`ERROR_BODY_LIMIT`."""
        logger.debug("GMI queue: %s %s", call.method, call.url)
        try:
            response = self._http.send(call.build(self._http, timeout), stream=True)
            if stream:
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

    def _json(self, call: HttpCall, *, timeout: float | None = None) -> Any:
        return check(self._send(call, timeout=timeout), model=call.model)

    def list_models(self) -> list[str]:
        """Model ids the queue serves (both the ``model_ids`` and the older ``models`` shape)."""
        return parse_models(self._json(self._protocol.list_models()))

    def get_model(self, model: str) -> dict[str, Any]:
        """The model's detail record: description, parameters, pricing; ids are case-sensitive."""
        return dict(self._json(self._protocol.get_model(model)))

    def submit(self, model: str, payload: Mapping[str, Any]) -> QueueRequest:
        """Enqueue one job; the answer may already be terminal (some models finish synchronously)."""
        call = self._protocol.submit(model, payload)
        policy = SubmitRetry(self._submit_retries)
        while True:
            with submit_errors(model):
                response = self._send(call)
                delay = policy.delay(response)
                if delay is None:
                    return parse_record(check(response, model=model), model=model)
            logger.info("GMI queue: 429 on submit to %s, retrying in %.1fs", model, delay)
            self._sleep(delay)

    def status(self, request_id: str, *, timeout: float | None = None) -> QueueRequest:
        """The job's current record."""
        return parse_record(self._json(self._protocol.status(request_id), timeout=timeout))

    def list_requests(self, model: str | None = None) -> list[QueueRequest]:
        """This key's jobs, optionally for one model."""
        return parse_records(self._json(self._protocol.list_requests(model)))

    def wait(
        self,
        request: str | QueueRequest,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        on_update: OnUpdate | None = None,
    ) -> QueueRequest:
        """Poll until success; raise ``RequestFailedError``/``RequestCancelledError``/``QueueTimeoutError``/
        ``QueueStuckError`` otherwise. ``on_update`` sees every record, the first and last included."""
        request_id = request.request_id if isinstance(request, QueueRequest) else request
        loop = self._wait_loop(request_id, timeout, poll_interval, max_poll_interval, on_update)
        record = request if isinstance(request, QueueRequest) else None
        while True:
            if record is None:
                try:
                    record = self.status(request_id, timeout=self._poll_timeout(loop))
                except Exception as exc:
                    loop.transient(exc)
            if record is not None and loop.observe(record):
                return record
            self._sleep(loop.next_delay())
            record = None

    def run(self, model: str, payload: Mapping[str, Any], **wait: Any) -> QueueRequest:
        """``submit`` then ``wait``; keyword arguments go to :meth:`wait`."""
        return self.wait(self.submit(model, payload), **wait)

    def cancel(self, request_id: str) -> bool:
        """Best effort (``DELETE /requests/{id}`` is undocumented): ``True`` if GMI accepted it."""
        try:
            response = self._send(self._protocol.cancel(request_id))
        except (Timeout, APIConnectionError):
            return False
        return response.status_code < 400

    def upload(self, source: UploadSource, file_type: str | None = None) -> str:
        """Upload a file (path, or bytes plus ``file_type``) and return its stable public URL."""
        data, kind = upload_source(source, file_type)
        upload_url, public_url = parse_upload_grant(self._json(self._protocol.upload_grant(kind)))
        response = self._send(upload_put(upload_url, data, kind))
        raise_for_download(response, upload_url)
        return public_url

    def fetch(self, source: str | QueueRequest) -> bytes:
        """An artifact's bytes (a URL, or a finished record's first artifact)."""
        url = artifact_url(source)
        response = self._send(artifact_get(url))
        raise_for_download(response, url)
        return response.content

    def download(self, source: str | QueueRequest, dest: str | PathLike[str]) -> Path:
        """Stream an artifact to ``dest`` (a file, or a directory to keep the URL's file name)."""
        url = artifact_url(source)
        target = download_target(dest, url)
        partial = target.with_name(target.name + ".part")
        response = self._send(artifact_get(url), stream=True)
        try:
            with body_errors(url, partial):
                if response.status_code >= 400:
                    response.read()
                    raise_for_download(response, url)
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
        finally:
            response.close()
        partial.replace(target)
        return target


class AsyncRequestQueueClient(_Base):
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
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(api_key, api_base, org_id, timeout, submit_retries, clock, headers)
        self._http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        self._owns_http = http_client is None
        self._sleep = sleep

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
        logger.debug("GMI queue: %s %s", call.method, call.url)
        try:
            response = await self._http.send(call.build(self._http, timeout), stream=True)
            if stream:
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
        response = await self._send(artifact_get(url))
        raise_for_download(response, url)
        return response.content

    async def download(self, source: str | QueueRequest, dest: str | PathLike[str]) -> Path:
        url = artifact_url(source)
        target = download_target(dest, url)
        partial = target.with_name(target.name + ".part")
        response = await self._send(artifact_get(url), stream=True)
        try:
            with body_errors(url, partial):
                if response.status_code >= 400:
                    await response.aread()
                    raise_for_download(response, url)
                with partial.open("wb") as out:
                    async for chunk in response.aiter_bytes():
                        out.write(chunk)
        finally:
            await response.aclose()
        partial.replace(target)
        return target
