"""Why waiting for a queue job ended without an artifact.

They subclass LiteLLM's exceptions so that ``litellm.image_generation`` hands them to the caller
unchanged (LiteLLM re-raises its own exception types as they are) and so that ``except litellm.Timeout``
keeps working. Each carries the last :class:`QueueRequest` seen.

Retrying any of them means a new submit, and GMI bills every accepted submit: nothing in this package
retries them, and neither does LiteLLM's Router or proxy. Their ``status_code`` is
:data:`NOT_RETRYABLE_STATUS` (424), which ``litellm.utils.should_retry`` (retries 408, 409, 429 and 5xx
only) and ``Router.should_retry_this_error`` refuse to retry; their classes stay ``APIError`` and
``Timeout`` so ``except litellm.Timeout`` keeps working. tests/media/test_queue_faults.py pins this.
"""

from __future__ import annotations

from litellm.exceptions import APIError, BadRequestError, Timeout

from litellm_gmi.constants import PROVIDER
from litellm_gmi.media.records import QueueRequest

NOT_RETRYABLE_STATUS = 424
"""424 Failed Dependency: the job GMI accepted (and bills) gave no artifact; resubmitting bills again."""


class RequestFailedError(APIError):
    """GMI finished the job with ``failed``; :attr:`reason` is GMI's explanation when it gave one."""

    def __init__(self, record: QueueRequest, message: str | None = None) -> None:
        self.record = record
        self.request_id = record.request_id
        self.reason = record.failure_reason
        text = message or (
            f"GMI request {record.request_id} ({record.model}) {record.status}: "
            f"{self.reason or 'GMI gave no reason'}"
        )
        super().__init__(
            status_code=NOT_RETRYABLE_STATUS, message=text, llm_provider=PROVIDER, model=record.model
        )


class RequestCancelledError(RequestFailedError):
    """The job ended ``cancelled`` (by ``DELETE /requests/{id}`` or by GMI)."""


class QueueTimeoutError(Timeout):
    """The job was still running when the wait's overall timeout ran out; it may still finish (and bill)."""

    def __init__(
        self, record: QueueRequest | None, request_id: str, timeout: float, message: str = ""
    ) -> None:
        self.record = record
        self.request_id = request_id
        self.timeout = timeout
        status = record.status if record is not None else "unknown"
        text = message or (
            f"GMI request {request_id} still {status} after {timeout:g}s; "
            "it keeps running on GMI: poll it again later or cancel it"
        )
        super().__init__(message=text, model=record.model if record else "", llm_provider=PROVIDER)
        self.status_code = NOT_RETRYABLE_STATUS  # litellm.Timeout says 408, which every retry layer retries


class QueueStuckError(QueueTimeoutError):
    """Timed out while still ``queued`` and never updated: GMI accepted a model it does not serve."""

    def __init__(self, record: QueueRequest, timeout: float) -> None:
        super().__init__(
            record,
            record.request_id,
            timeout,
            f"GMI request {record.request_id} is still queued after {timeout:g}s and was never picked up "
            f"(updated_at == created_at): model {record.model!r} may be unavailable on GMI right now",
        )


class SubmitUncertainError(APIError):
    """A submit failed in a way that does not say whether GMI accepted (and bills) the job.

    A 5xx answer, or a connection lost or timed out after the request was sent. Not retried here, and
    not by LiteLLM (status :data:`NOT_RETRYABLE_STATUS`): list the model's requests
    (``RequestQueueClient.list_requests``) before submitting again. ``upstream_status`` is GMI's status
    (``None`` for a lost connection) and the original error is chained.
    """

    def __init__(self, model: str, reason: str, upstream_status: int | None = None) -> None:
        self.upstream_status = upstream_status
        super().__init__(
            status_code=NOT_RETRYABLE_STATUS,
            message=f"GMI submit to {model} failed and may still have been accepted (and billed): {reason}. "
            "Check list_requests() before submitting again",
            llm_provider=PROVIDER,
            model=model,
        )


class MediaRefusedError(BadRequestError):
    """Something this package will not read, fetch or write, refused before it is touched.

    A 400, so the proxy answers its client with a 400 and no retry layer repeats it. The subclasses say
    which rule refused it; the message never says whether a named local path exists.
    """

    def __init__(self, message: str, model: str = "") -> None:
        super().__init__(message=message, model=model, llm_provider=PROVIDER)


class MediaInputError(MediaRefusedError):
    """A media input that is not bytes, a file, a data URL or an http(s) URL (or a local path from an
    in-process caller), is not a regular file, or is larger than the input cap."""


class UnsafeURLError(MediaRefusedError):
    """An artifact URL (or a redirect) that is not http(s) or that names a private, loopback or
    link-local host other than the configured queue's, or a redirect the queue client does not follow."""


class MediaTooLargeError(MediaRefusedError):
    """An artifact larger than the download cap; nothing of it is kept."""


class DownloadTargetError(MediaRefusedError):
    """The download's file exists (pass ``overwrite=True`` to replace it) or cannot be written."""
