"""The request-queue client's logic, written once as step generators (:mod:`litellm_gmi.media.steps`).

:class:`~litellm_gmi.media.queue_client.RequestQueueClient` and
:class:`~litellm_gmi.media.async_client.AsyncRequestQueueClient` are thin faces over these: each supplies
the I/O primitives a core yields (``_send``, ``_sleep``, ``_read_source``, ``_artifact``, ``_chunks``,
``_next_chunk``, ``_close`` and its own ``status``) and drives the cores with ``drive``/``adrive``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from os import PathLike
from pathlib import Path
from typing import Any

import httpx
from litellm.exceptions import APIConnectionError, Timeout

from litellm_gmi.constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from litellm_gmi.media.client_base import QueueClientBase, UploadSource, logger
from litellm_gmi.media.downloads import PartFile, download_target
from litellm_gmi.media.protocol import (
    DEFAULT_MAX_POLL_INTERVAL,
    HttpCall,
    OnUpdate,
    SubmitRetry,
    check,
    parse_models,
    parse_record,
    parse_records,
    parse_upload_grant,
    submit_errors,
)
from litellm_gmi.media.records import QueueRequest
from litellm_gmi.media.steps import Steps, op
from litellm_gmi.media.transfer import (
    artifact_get,
    artifact_url,
    body_errors,
    raise_for_download,
    upload_put,
)

Client = QueueClientBase[Any, Any]
"""Either face: a core touches only the configuration they share."""


def _json(call: HttpCall, timeout: float | None = None) -> Steps[Any]:
    return check((yield op("_send", call, timeout=timeout)), model=call.model)


def list_models(client: Client, /) -> Steps[list[str]]:
    """Model ids the queue serves (both the ``model_ids`` and the older ``models`` shape)."""
    return parse_models((yield from _json(client._protocol.list_models())))


def get_model(client: Client, /, model: str) -> Steps[dict[str, Any]]:
    """The model's detail record: description, parameters, pricing; ids are case-sensitive."""
    return dict((yield from _json(client._protocol.get_model(model))))


def submit(client: Client, /, model: str, payload: Mapping[str, Any]) -> Steps[QueueRequest]:
    """Enqueue one job; the answer may already be terminal (some models finish synchronously)."""
    call = client._protocol.submit(model, payload)
    policy = SubmitRetry(client._submit_retries)
    while True:
        with submit_errors(model):
            response = yield op("_send", call)
            delay = policy.delay(response)
            if delay is None:
                return parse_record(check(response, model=model), model=model)
        logger.info("GMI queue: 429 on submit to %s, retrying in %.1fs", model, delay)
        yield op("_sleep", delay)


def status(client: Client, /, request_id: str, *, timeout: float | None = None) -> Steps[QueueRequest]:
    """The job's current record."""
    return parse_record((yield from _json(client._protocol.status(request_id), timeout)))


def list_requests(client: Client, /, model: str | None = None) -> Steps[list[QueueRequest]]:
    """This key's jobs, optionally for one model."""
    return parse_records((yield from _json(client._protocol.list_requests(model))))


def wait(
    client: Client,
    /,
    request: str | QueueRequest,
    *,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    on_update: OnUpdate | None = None,
) -> Steps[QueueRequest]:
    """Poll until success; raise ``RequestFailedError``/``RequestCancelledError``/``QueueTimeoutError``/
    ``QueueStuckError`` otherwise. ``on_update`` sees every record, the first and last included."""
    request_id = request.request_id if isinstance(request, QueueRequest) else request
    loop = client._wait_loop(request_id, timeout, poll_interval, max_poll_interval, on_update)
    record = request if isinstance(request, QueueRequest) else None
    while True:
        if record is None:
            try:
                record = yield op("status", request_id, timeout=client._poll_timeout(loop))
            except Exception as exc:
                loop.transient(exc)
        if record is not None and loop.observe(record):
            return record
        yield op("_sleep", loop.next_delay())
        record = None


def run(client: Client, /, model: str, payload: Mapping[str, Any], **wait: Any) -> Steps[QueueRequest]:
    """``submit`` then ``wait``; keyword arguments go to :meth:`wait`."""
    record = yield op("submit", model, payload)
    return (yield op("wait", record, **wait))  # type: ignore[no-any-return]


def cancel(client: Client, /, request_id: str) -> Steps[bool]:
    """Best effort (``DELETE /requests/{id}`` is undocumented): ``True`` if GMI accepted it."""
    try:
        response = yield op("_send", client._protocol.cancel(request_id))
    except (Timeout, APIConnectionError):
        return False
    return response.status_code < 400  # type: ignore[no-any-return]


def upload(client: Client, /, source: UploadSource, file_type: str | None = None) -> Steps[str]:
    """Upload a file (path, or bytes plus ``file_type``) and return its stable public URL."""
    data, kind = yield op("_read_source", source, file_type)
    upload_url, public_url = parse_upload_grant((yield from _json(client._protocol.upload_grant(kind))))
    response = yield op("_send", upload_put(upload_url, data, kind))
    raise_for_download(response, upload_url)
    return public_url


def fetch(client: Client, /, source: str | QueueRequest) -> Steps[bytes]:
    """An artifact's bytes (a URL, or a finished record's first artifact), up to the download cap."""
    response = yield from artifact(artifact_url(source))
    blob = bytearray()
    yield from _pump(client, response, nullcontext(blob.extend))
    return bytes(blob)


def download(
    client: Client, /, source: str | QueueRequest, dest: str | PathLike[str], *, overwrite: bool = False
) -> Steps[Path]:
    """Stream an artifact to ``dest``: a file, or a directory to name it after the URL's sanitised
    last segment (else the request id). An existing file is replaced only with ``overwrite``."""
    url = artifact_url(source)
    request_id = source.request_id if isinstance(source, QueueRequest) else None
    target = download_target(dest, url, request_id, overwrite=overwrite)
    response = yield from artifact(url)
    yield from _pump(client, response, _part_file(target, overwrite))
    return target


def artifact(url: str) -> Steps[httpx.Response]:
    """The open answer for an artifact; an error answer (its first bytes) is raised."""
    response = yield op("_send", artifact_get(url), stream=True)
    raise_for_download(response, url)
    return response  # type: ignore[no-any-return]


Writer = Callable[[bytes], object]


def _pump(client: Client, /, response: httpx.Response, sink: AbstractContextManager[Writer]) -> Steps[None]:
    """Hand each chunk of the open ``response`` to the writer ``sink`` opens, within the download cap;
    ``response`` is closed in the end."""
    try:
        with body_errors(), sink as write:
            budget = client._budget(response)
            chunks = yield op("_chunks", response)
            while (chunk := (yield op("_next_chunk", chunks))) is not None:
                write(budget.take(chunk))
    finally:
        yield op("_close", response)


@contextmanager
def _part_file(target: Path, overwrite: bool) -> Iterator[Writer]:
    with PartFile(target, overwrite) as part:
        yield part.write
