"""``litellm.image_generation(model="gmi/<image model>")`` and ``litellm.image_edit`` on GMI's request queue.

Both reach :class:`~litellm_gmi.provider.GMIProvider` through LiteLLM's own custom-provider dispatch
(``CustomLLM.image_generation`` / ``image_edit`` and their async twins exist on every supported LiteLLM,
and ``images/main.py`` routes any ``litellm._custom_providers`` entry to them), so LiteLLM's logging and
callbacks run as for any provider.

A call is submit, then wait (the submit answer may already be final), then the artifact URLs as
``data[].url`` (or, with ``response_format="b64_json"`` in ``extra_body``, the downloaded bytes). Extra
keyword arguments become payload fields verbatim, because each GMI model names its own (``size``,
``aspect_ratio``, ``max_images``, ``image`` ...); ``poll_interval``, ``max_poll_interval``,
``wait_timeout`` and ``org_id`` steer this package instead. ``image_edit`` inputs that are not already
URLs are uploaded first and sent as the ``image`` list; a string that is not a URL is read as a local
path only for a caller in this process, never through LiteLLM's proxy (:mod:`litellm_gmi.media.inputs`).

OpenAI's ``n``, ``size``, ``quality``, ``style``, ``response_format`` and ``user`` depend on the LiteLLM
release. From 1.109 (1.109.3 and 1.110.2 checked) ``get_optional_params_image_gen`` hands them to a
``custom_provider_map`` provider unmapped (``litellm.utils._takes_openai_image_params_unmapped``):
``response_format="b64_json"`` then returns the bytes, ``user`` is left out (GMI has no such field), and
``size``, ``quality``, ``style`` and ``n`` become payload fields under those names (seedream's ``size``
takes ``"WxH"`` or ``"2K"``; ``n`` is no GMI field: use the model's ``max_images``). Earlier releases
(1.81.1 and 1.108.7 checked) drop all six before a custom provider is called: there pass them in
``extra_body={...}`` or use the model's own names.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import litellm
from litellm.exceptions import APIError
from litellm.types.utils import ImageObject, ImageResponse

from litellm_gmi.constants import DEFAULT_WAIT_TIMEOUT, PROVIDER
from litellm_gmi.media.faces import Connection, Plan, acalling, calling
from litellm_gmi.media.inputs import Upload, classify_all, local_paths_allowed
from litellm_gmi.media.pricing import media_cost
from litellm_gmi.media.queue_client import DEFAULT_HTTP_TIMEOUT, http_timeout, seconds
from litellm_gmi.media.records import QueueRequest, artifact_urls
from litellm_gmi.media.steps import Steps, op

_CONTROL = ("poll_interval", "max_poll_interval")
_NOT_PAYLOAD = frozenset(
    {"user", "response_format", "extra_body", "org_id", "wait_timeout", *_CONTROL}
    | {"api_key", "api_base", "api_version", "client", "headers", "extra_headers", "extra_query", "timeout"}
    | {"async_call", "aimg_generation", "mock_response", "metadata", "model_info", "proxy_server_request"}
    | {"custom_llm_provider", "drop_params", "num_retries", "max_retries", "base_model", "mask"}
)
"""OpenAI/LiteLLM arguments that are not GMI payload fields (``image_edit`` hands us all its kwargs)."""


@dataclass(frozen=True)
class ImageJob:
    """One GMI image request, decided before any I/O."""

    model: str
    payload: dict[str, Any]
    org_id: str | None = None
    want_b64: bool = False
    wait: dict[str, Any] = field(default_factory=dict)
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    """Each HTTP call's bound: the caller's ``timeout`` when it is shorter than the default."""
    inputs: list[Any] = field(default_factory=list)
    """``image_edit`` inputs still to be turned into URLs."""
    local_paths: bool = False
    """Whether a non-URL string input may be read as a local path (never for a proxied call)."""


def prepare(
    model: str, prompt: str | None, params: Mapping[str, Any], timeout: Any, inputs: Any = None
) -> ImageJob:
    """Split LiteLLM's arguments into GMI's payload and this package's own settings."""
    internal = _litellm_internal_names()
    payload: dict[str, Any] = {"prompt": prompt} if prompt is not None else {}
    payload.update(
        {
            k: v
            for k, v in params.items()
            if v is not None and k not in _NOT_PAYLOAD and k not in internal and not k.startswith("litellm_")
        }
    )
    extra = params.get("extra_body")
    if isinstance(extra, Mapping):
        payload.update(extra)
    response_format = payload.pop("response_format", None) or params.get("response_format")
    wait: dict[str, Any] = {"timeout": _seconds(params.get("wait_timeout") or timeout)}
    wait.update({key: float(params[key]) for key in _CONTROL if params.get(key) is not None})
    items = inputs if isinstance(inputs, list) else ([inputs] if inputs is not None else [])
    return ImageJob(
        model=model,
        payload=payload,
        org_id=params.get("org_id"),
        want_b64=response_format == "b64_json",
        wait=wait,
        http_timeout=http_timeout(timeout),
        inputs=items,
        local_paths=local_paths_allowed(params),
    )


def to_response(
    job: ImageJob, record: QueueRequest, response: ImageResponse, blobs: list[bytes] | None
) -> ImageResponse:
    """Fill LiteLLM's ``ImageResponse`` from a finished record (and the images' bytes for ``b64_json``)."""
    urls = result_urls(record)
    if blobs is None:
        response.data = [ImageObject(url=url) for url in urls]
    else:
        response.data = [ImageObject(b64_json=base64.b64encode(blob).decode("ascii")) for blob in blobs]
    response.created = int(time.time())
    hidden = response._hidden_params
    hidden["gmi_request_id"] = record.request_id
    hidden["model"] = job.model
    hidden["custom_llm_provider"] = PROVIDER
    cost = media_cost(job.model, outputs=len(urls))
    if cost is not None:
        hidden["response_cost"] = cost
    return response


def result_urls(record: QueueRequest) -> list[str]:
    """The images; GMI has put an image job's only URL in ``thumbnail_image_url`` before."""
    urls = artifact_urls(record.outcome, thumbnail_fallback=True)
    if not urls:
        raise APIError(
            status_code=502,
            message=f"GMI request {record.request_id} succeeded without any image URL: {dict(record.raw)}",
            llm_provider=PROVIDER,
            model=record.model,
        )
    return urls


# ------------------------------------------------------ cores (the sync and async faces are below) ---
def _generation(
    model: str,
    prompt: str,
    *,
    api_key: str | None,
    api_base: str | None,
    model_response: ImageResponse,
    optional_params: Mapping[str, Any],
    timeout: Any = None,
    **_litellm: Any,
) -> Plan[ImageResponse]:
    """Submit, wait and convert; what ``GMIProvider.image_generation`` delegates to."""
    job = prepare(model, prompt, optional_params, timeout)
    return Plan(_connection(job, api_key, api_base), _run(job, [], model_response))


def _edit(
    model: str,
    image: Any,
    prompt: str | None,
    *,
    model_response: ImageResponse,
    optional_params: Mapping[str, Any],
    api_key: str | None,
    api_base: str | None,
    timeout: Any = None,
    **_litellm: Any,
) -> Plan[ImageResponse]:
    """Upload local inputs, then as :func:`image_generation` with them as the payload's ``image`` list."""
    job = prepare(model, prompt, optional_params, timeout, image)
    items = classify_all(job.inputs, local_paths=job.local_paths)
    return Plan(_connection(job, api_key, api_base), _run(job, items, model_response))


def _connection(job: ImageJob, api_key: str | None, api_base: str | None) -> Connection:
    return Connection(api_key=api_key, api_base=api_base, org_id=job.org_id, timeout=job.http_timeout)


def _run(job: ImageJob, items: list[str | Upload], response: ImageResponse) -> Steps[ImageResponse]:
    """Upload what ``items`` holds as bytes (an edit's inputs), submit and wait, then convert."""
    refs: list[str] = []
    for item in items:
        refs.append(item if isinstance(item, str) else (yield op("upload", *item)))
    job = _with_images(job, refs)
    record = yield op("run", job.model, job.payload, **job.wait)
    blobs: list[bytes] = []
    for url in result_urls(record) if job.want_b64 else []:
        blobs.append((yield op("fetch", url)))
    return to_response(job, record, response, blobs if job.want_b64 else None)


image_generation = calling(_generation, "image_generation")
image_edit = calling(_edit, "image_edit")
aimage_generation = acalling(_generation, "aimage_generation")
aimage_edit = acalling(_edit, "aimage_edit")


# ---------------------------------------------------------------------------------------- helpers ---
def _with_images(job: ImageJob, refs: list[str]) -> ImageJob:
    """The edit inputs go in ``image`` (a list: Seedream and Gemini image want arrays), unless the caller
    already put images in the payload under a model-specific name."""
    if not refs:
        return job
    return replace(job, payload={"image": refs, **job.payload}, inputs=[])


def _litellm_internal_names() -> frozenset[str]:
    """LiteLLM's own keyword names (``image_edit`` passes them to providers with the payload fields)."""
    return frozenset(getattr(litellm.types.utils, "all_litellm_params", ()))


def _seconds(timeout: Any) -> float:
    """LiteLLM's ``timeout`` as the wait's overall seconds."""
    return seconds(timeout, DEFAULT_WAIT_TIMEOUT)
