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
from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from litellm.exceptions import APIConnectionError, Timeout

from litellm_gmi.constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from litellm_gmi.media.async_client import AsyncRequestQueueClient
from litellm_gmi.media.client_base import (
    DEFAULT_HTTP_TIMEOUT,
    QueueClientBase,
    UploadSource,
    http_timeout,
    logger,
    seconds,
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
from litellm_gmi.media.urls import MAX_REDIRECTS, check_url, next_hop, too_many_redirects

__all__ = [
    "DEFAULT_HTTP_TIMEOUT",
    "AsyncRequestQueueClient",
    "RequestQueueClient",
    "http_timeout",
    "seconds",
]


class RequestQueueClient(QueueClientBase):
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
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        headers: Mapping[str, str] | None = None,
        max_download_bytes: int | None = None,
    ) -> None:
        super().__init__(
            api_key, api_base, org_id, timeout, submit_retries, clock, headers, max_download_bytes
        )
        self._http = http_client or httpx.Client(timeout=timeout)
        self._owns_http = http_client is None
        self._sleep = sleep or time.sleep  # looked up now, so a patched time.sleep applies

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
        """An artifact's bytes (a URL, or a finished record's first artifact), up to the download cap."""
        url = artifact_url(source)
        response = self._artifact(url)
        try:
            with body_errors():
                budget = self._budget(response)
                return b"".join(budget.take(chunk) for chunk in response.iter_bytes())
        finally:
            response.close()

    def download(
        self, source: str | QueueRequest, dest: str | PathLike[str], *, overwrite: bool = False
    ) -> Path:
        """Stream an artifact to ``dest``: a file, or a directory to name it after the URL's sanitised
        last segment (else the request id). An existing file is replaced only with ``overwrite``."""
        url = artifact_url(source)
        request_id = source.request_id if isinstance(source, QueueRequest) else None
        target = download_target(dest, url, request_id, overwrite=overwrite)
        response = self._artifact(url)
        try:
            with body_errors(), PartFile(target, overwrite) as part:
                budget = self._budget(response)
                for chunk in response.iter_bytes():
                    part.write(budget.take(chunk))
        finally:
            response.close()
        return target

    def _artifact(self, url: str) -> httpx.Response:
        """The open answer for an artifact; an error answer (its first bytes) is raised."""
        response = self._send(artifact_get(url), stream=True)
        raise_for_download(response, url)
        return response
