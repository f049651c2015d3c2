"""Why waiting for a queue job ended without an artifact.

They subclass LiteLLM's exceptions so that ``litellm.image_generation`` hands them to the caller
unchanged (LiteLLM re-raises its own exception types as they are) and so that ``except litellm.Timeout``
keeps working. Each carries the last :class:`QueueRequest` seen.

Retrying any of them means a new submit, and GMI bills every accepted submit: nothing in this package
retries them, and a caller's retry policy should not either.
"""

from __future__ import annotations

from litellm.exceptions import APIError, Timeout

from litellm_gmi.constants import PROVIDER
from litellm_gmi.media.records import QueueRequest


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
        super().__init__(status_code=500, message=text, llm_provider=PROVIDER, model=record.model)


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
