"""The request queue without I/O: what to send, how to read the answer, when to poll, retry or give up.

:class:`~litellm_gmi.media.queue_client.RequestQueueClient` and its async twin only move bytes; every
decision lives here so the two cannot drift apart (sources: GMI's video API reference,
docs.gmicloud.ai/inference-engine/api-reference/video-api-reference, and GMI's python-sdk, GMISWE/python-sdk).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

import httpx
from litellm.exceptions import APIConnectionError, Timeout
from typing_extensions import override

from litellm_gmi.common_utils import GMIBase
from litellm_gmi.constants import PROVIDER
from litellm_gmi.errors import extract_message, to_litellm_exception
from litellm_gmi.media.errors import (
    QueueStuckError,
    QueueTimeoutError,
    RequestCancelledError,
    RequestFailedError,
    SubmitUncertainError,
)
from litellm_gmi.media.records import QueueRequest, RequestStatus
from litellm_gmi.retries import retry_after as parse_retry_after

DEFAULT_MAX_POLL_INTERVAL = 15.0
DEFAULT_SUBMIT_RETRIES = 2
_BACKOFF = 1.5
_MAX_RETRY_AFTER = 60.0

OnUpdate = Callable[[QueueRequest], None]
Redirects = Literal["none", "same-origin", "public"]
"""Which redirects a call follows (:mod:`litellm_gmi.media.urls`)."""


@dataclass(frozen=True)
class HttpCall:
    """One HTTP request to make; ``headers`` stay out of the repr because they carry the key."""

    method: str
    url: str
    json: Any = None
    content: bytes | None = None
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    model: str = ""
    """The model the call is about, for error messages."""
    redirects: Redirects = "same-origin"

    def build(self, client: httpx.Client | httpx.AsyncClient, timeout: float | None = None) -> httpx.Request:
        """The ``httpx.Request`` for either client type."""
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        return client.build_request(
            self.method,
            self.url,
            json=self.json,
            content=self.content,
            params=dict(self.params) if self.params else None,
            headers=dict(self.headers),
            **extra,
        )


class QueueProtocol(GMIBase):
    """Builds the calls of GMI's request-queue API for one key, base URL and organisation.

    A missing key raises :class:`litellm.AuthenticationError` here, before anything touches the network.
    """

    queue = True

    def __init__(
        self,
        api_key: str | None = None,
        api_base: str | None = None,
        org_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        credentials = self.gmi_credentials(api_key, api_base, org_id)
        self.api_base, self.org_id = credentials.api_base, credentials.org_id
        self._headers = credentials.headers(headers, content_type=None)

    @override
    def __repr__(self) -> str:
        org = "'***'" if self.org_id else "None"  # the organisation id is as private as the key
        return f"QueueProtocol(api_base={self.api_base!r}, org_id={org}, api_key='***')"

    def _call(self, method: str, path: str, *, model: str = "", **kwargs: Any) -> HttpCall:
        """A queue API call: follows same-origin redirects only, unless ``redirects`` says none."""
        return HttpCall(method, self.api_base + path, headers=self._headers, model=model, **kwargs)

    def list_models(self) -> HttpCall:
        return self._call("GET", "/models")

    def get_model(self, model: str) -> HttpCall:
        return self._call("GET", "/models/" + quote(model, safe=""), model=model)

    def submit(self, model: str, payload: Mapping[str, Any]) -> HttpCall:
        """GMI wants exactly ``{"model": ..., "payload": {...}}`` (video API reference; python-sdk's
        ``SubmitRequestRequest``)."""
        body = {"model": model, "payload": dict(payload)}
        return self._call("POST", "/requests", json=body, model=model, redirects="none")

    def status(self, request_id: str) -> HttpCall:
        return self._call("GET", "/requests/" + quote(request_id, safe=""))

    def list_requests(self, model: str | None = None) -> HttpCall:
        return self._call(
            "GET", "/requests", params={"model_id": model} if model else None, model=model or ""
        )

    def cancel(self, request_id: str) -> HttpCall:
        return self._call("DELETE", "/requests/" + quote(request_id, safe=""))

    def upload_grant(self, file_type: str) -> HttpCall:
        return self._call("POST", "/upload-url", json={"file_type": file_type}, redirects="none")


# ------------------------------------------------------------------------------------------ answers ---
def check(response: httpx.Response, *, model: str = "") -> Any:
    """The JSON body of a successful answer; GMI's error as a LiteLLM exception otherwise.

    A 2xx body that is not JSON (a proxy page, a cut connection) is raised as a 502 so that the
    wait loop treats it as transient.
    """
    if response.status_code >= 400:
        message = extract_message(response.content)
        if response.status_code == 404 and model:
            message += f" (queue model ids are case-sensitive: is {model!r} spelled as GMI lists it?)"
        raise to_litellm_exception(
            response.status_code,
            message,
            model=model,
            headers=response.headers,
            request=response.request,
        )
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        raise to_litellm_exception(
            502,
            "GMI's request queue returned a malformed (non-JSON) answer",
            model=model,
            request=response.request,
        ) from None


ERROR_BODY_LIMIT = 65536
"""Bytes of an error answer read for GMI's reason; the rest is never downloaded (issue 14)."""


def with_error_prefix(response: httpx.Response, prefix: bytes) -> httpx.Response:
    """``response`` (an error, not read) as a closed answer holding only the first bytes of its body."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-length", "content-encoding", "transfer-encoding")
    ]
    return httpx.Response(response.status_code, headers=headers, content=prefix, request=response.request)


def transport_error(exc: httpx.TransportError | httpx.InvalidURL, model: str = "") -> Exception:
    """A network failure in LiteLLM's terms, so callers catch one family of exceptions."""
    text = f"GMI request queue unreachable: {type(exc).__name__}: {str(exc)[:300]}"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return to_litellm_exception(400, f"not a URL this client can fetch: {str(exc)[:300]}", model=model)
    if isinstance(exc, httpx.TimeoutException):
        timeout: Exception = Timeout(message=text, model=model, llm_provider=PROVIDER)
        return timeout
    error: Exception = APIConnectionError(message=text, llm_provider=PROVIDER, model=model)
    return error


@contextmanager
def submit_errors(model: str) -> Iterator[None]:
    """Around one submit: re-raise what :func:`submit_error` makes of a failure."""
    try:
        yield
    except Exception as exc:
        uncertain = submit_error(exc, model)
        if uncertain is exc:
            raise
        raise uncertain from exc


def submit_error(exc: Exception, model: str) -> Exception:
    """What a failed submit raises: :class:`SubmitUncertainError` when GMI may have accepted the job.

    A 5xx answer, a timeout or a connection lost after sending leave that open, so they must not reach
    a retry layer as retryable. A refused connection never sent the job, and a 4xx or 429 was not
    accepted: those keep their own classes.
    """
    status = getattr(exc, "status_code", None)
    cause = exc.__cause__
    never_sent = isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout)
    if isinstance(exc, Timeout | APIConnectionError) and not never_sent:
        uncertain: Exception = SubmitUncertainError(model, f"{type(exc).__name__}: {exc}"[:500])
    elif isinstance(status, int) and status >= 500:
        uncertain = SubmitUncertainError(model, f"HTTP {status}: {exc}"[:500], upstream_status=status)
    else:
        return exc
    return uncertain


def parse_models(body: Any) -> list[str]:
    """Ids from ``{"model_ids": [...]}`` (current docs) or ``{"models": [{"model": ...}]}`` (older SDK)."""
    if isinstance(body, Mapping):
        items = body.get("model_ids")
        if items is None:
            items = body.get("models")
    else:
        items = body
    ids: list[str] = []
    for item in items if isinstance(items, list) else []:
        value = (
            item.get("model") or item.get("model_id") or item.get("id") if isinstance(item, Mapping) else item
        )
        if isinstance(value, str) and value:
            ids.append(value)
    return ids


def parse_record(body: Any, *, model: str = "") -> QueueRequest:
    """A record; an answer without an id is a protocol error, not a job."""
    record = QueueRequest.from_json(body) if isinstance(body, Mapping) else None
    if record is None or not record.request_id:
        raise to_litellm_exception(502, f"GMI answered without a request_id: {str(body)[:200]}", model=model)
    return record


def parse_records(body: Any) -> list[QueueRequest]:
    """``GET /requests`` answers ``{"requests": [...], "total": n}``."""
    items = body.get("requests") if isinstance(body, Mapping) else body
    return [QueueRequest.from_json(item) for item in items or [] if isinstance(item, Mapping)]


def parse_upload_grant(body: Any) -> tuple[str, str]:
    """``(upload_url, public_url)``."""
    if isinstance(body, Mapping):
        upload, public = body.get("upload_url"), body.get("public_url")
        if isinstance(upload, str) and isinstance(public, str) and upload and public:
            return upload, public
    raise to_litellm_exception(
        502, f"GMI's upload grant lacks upload_url/public_url: {str(body)[:200]}", model=""
    )


# ----------------------------------------------------------------------------------------- policies ---
def retry_after(headers: Mapping[str, str] | httpx.Headers | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (the package's one parser,
    :func:`litellm_gmi.retries.retry_after`), between 0 and a minute."""
    seconds = parse_retry_after(headers or {})
    return None if seconds is None else min(max(seconds, 0.0), _MAX_RETRY_AFTER)


class SubmitRetry:
    """A submit is retried only on 429: any other failure may already have created a billed job."""

    def __init__(self, retries: int = DEFAULT_SUBMIT_RETRIES) -> None:
        self.left = retries
        self.attempt = 0

    def delay(self, response: httpx.Response) -> float | None:
        """Seconds to wait before resubmitting, or ``None`` to take ``response`` as final."""
        if response.status_code != 429 or self.left <= 0:
            return None
        self.left -= 1
        self.attempt += 1
        fallback = min(2.0 ** (self.attempt - 1), _MAX_RETRY_AFTER)
        hinted = retry_after(response.headers)
        return fallback if hinted is None else hinted


def is_transient(exc: BaseException) -> bool:
    """Errors a status poll may shrug off until the wait's deadline: 408, 429, 5xx, network trouble."""
    if isinstance(exc, Timeout | APIConnectionError | httpx.TransportError):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and (status in (408, 429) or status >= 500)


class WaitLoop:
    """When to poll again and when to stop, for one job, against one overall deadline.

    Polls start at ``poll_interval`` and grow by half each time up to ``max_interval``; the last sleep is
    cut so that the final poll happens at the deadline. ``clock`` is injectable so tests can run a long
    schedule without sleeping.
    """

    def __init__(
        self,
        request_id: str,
        *,
        timeout: float,
        poll_interval: float,
        max_interval: float,
        clock: Callable[[], float],
        on_update: OnUpdate | None = None,
    ) -> None:
        if timeout <= 0 or poll_interval <= 0:
            raise ValueError("timeout and poll_interval must be positive")
        self.request_id = request_id
        self.timeout = timeout
        self._clock = clock
        self._deadline = clock() + timeout
        self._delay = poll_interval
        self._max = max(max_interval, poll_interval)
        self._floor = 0.0
        self._on_update = on_update
        self.last: QueueRequest | None = None
        self.last_error: BaseException | None = None

    def remaining(self) -> float:
        return self._deadline - self._clock()

    def observe(self, record: QueueRequest) -> bool:
        """``True`` when ``record`` is a success; raises for failed and cancelled jobs."""
        self.last = record
        self.last_error = None
        if self._on_update is not None:
            self._on_update(record)
        status = record.known_status
        if status is RequestStatus.FAILED:
            raise RequestFailedError(record)
        if status is RequestStatus.CANCELLED:
            raise RequestCancelledError(record)
        return status is RequestStatus.SUCCESS

    def transient(self, exc: BaseException) -> None:
        """Remember a poll that failed in a retryable way; re-raise anything else."""
        if not is_transient(exc):
            raise exc
        self.last_error = exc
        response = getattr(exc, "response", None)
        hinted = retry_after(response.headers) if isinstance(response, httpx.Response) else None
        self._floor = hinted or 0.0

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll; raises the right timeout once the deadline has passed."""
        remaining = self.remaining()
        if remaining <= 0:
            raise self.expired()
        delay = min(max(self._delay, self._floor), remaining)
        self._delay = min(self._delay * _BACKOFF, self._max)
        self._floor = 0.0
        return delay

    def expired(self) -> Exception:
        """:class:`QueueStuckError` for a job GMI never touched, :class:`QueueTimeoutError` otherwise.

        When the last status poll failed, that failure is the news: it is named in the message and
        chained, rather than guessing from the last record that the model is unavailable.
        """
        if self.last_error is not None:
            error = QueueTimeoutError(
                self.last,
                self.request_id,
                self.timeout,
                f"GMI request {self.request_id}: after {self.timeout:g}s the last status poll failed "
                f"with {type(self.last_error).__name__}: {str(self.last_error)[:500]}. "
                "The job may still be running on GMI: poll it again later or cancel it",
            )
            error.__cause__ = self.last_error
            return error
        if self.last is not None and self.last.never_picked_up:
            return QueueStuckError(self.last, self.timeout)
        return QueueTimeoutError(self.last, self.request_id, self.timeout)


def dump(record: QueueRequest) -> str:
    """A record as indented JSON, for the CLI and debug logs."""
    return json.dumps(dict(record.raw), indent=2, sort_keys=True)
