"""GMI's request queue as a LiteLLM ``BaseVideoConfig``: ``litellm.video_generation(model="gmi/Veo3")``.

LiteLLM releases with the hook (1.108.7 and 1.110.2 have it, 1.109.3 does not) look a custom provider's
video config up in ``litellm.custom_provider_map``
(``ProviderConfigManager.get_custom_provider_video_config``: the first entry for the provider whose
``custom_handler`` is a ``BaseVideoConfig``). :class:`~litellm_gmi.provider.GMIProvider` is both a
``CustomLLM`` and this config, so the one ``gmi`` entry serves chat and video, and a proxy YAML that lists
``litellm_gmi.gmi_provider`` gets ``/v1/videos`` with no change. Two entries would not do: the proxy
replaces the map with the YAML's list, and LiteLLM 1.81.1 takes the *last* ``gmi`` entry as the chat
handler.

LiteLLM's handler (``BaseLLMHTTPHandler.video_*_handler``) sends each request; this class only says what
to send and reads the answer, with the same code as :mod:`litellm_gmi.media.video` (``prepare``,
``VideoJob.payload``, ``to_video``, ``content_url``) and :class:`~litellm_gmi.media.protocol.QueueProtocol`.

* ``video_generation``: one ``POST /requests``, sent once. LiteLLM does not retry it, and a failure that
  may have created the (billed) job is :class:`~litellm_gmi.media.errors.SubmitUncertainError`, status 424,
  which the Router and the proxy do not retry either. A 429 keeps its class: nothing was accepted.
* ``video_status``: ``GET /requests/{id}``. ``video_content``: the same GET, then the artifact is fetched
  by :class:`~litellm_gmi.media.queue_client.RequestQueueClient` without GMI's key (``variant="thumbnail"``
  for the thumbnail).
* ``timeout=`` bounds the submit (LiteLLM passes it to the POST). LiteLLM's status and content handlers
  take ``timeout`` and drop it (1.108.7 and 1.110.2): their GET is bounded by LiteLLM's client (600 s per
  read), the artifact download by this package's per-call bound (60 s per read,
  :func:`~litellm_gmi.media.queue_client.http_timeout`). ``litellm_gmi.video_generation(wait=True,
  timeout=...)`` bounds a whole wait.
* The video id is GMI's request id wrapped by LiteLLM's ``encode_video_id_with_provider``, so
  ``video_status`` and ``video_content`` find ``gmi`` from the id alone.

Three facts cross from a request to its answer or error, which LiteLLM's handler does not carry: whether
the failed call was the submit, the ``seconds``/``size`` asked for (for the ``VideoObject`` and its cost),
and the ``variant`` and connection of a download. They ride a ``ContextVar`` set by the request transform,
read by the answer transform or :meth:`get_error_class` of the same call (one thread or one task).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx
from litellm.exceptions import BadRequestError
from litellm.llms.base_llm.videos.transformation import BaseVideoConfig
from typing_extensions import override

from litellm_gmi.common_utils import GMIBase
from litellm_gmi.constants import PROVIDER
from litellm_gmi.errors import extract_message, to_litellm_exception

VIDEO_PARAMS = ("seconds", "size", "input_reference", "user", "extra_headers")
"""OpenAI's video arguments this config maps (any other keyword argument is a GMI payload field)."""
_CONNECTION_KEYS = ("org_id", "api_key", "api_base", "extra_headers", "user")
"""Arguments that reach ``map_openai_params`` but are no payload fields (GMI has no ``user``)."""


@dataclass(frozen=True)
class _Call:
    """What a request transform leaves for the answer transform and ``get_error_class`` of its call."""

    submit_model: str | None = None
    seconds: Any = None
    size: str | None = None
    variant: str | None = None
    connection: Any = field(default=None, repr=False)


_CALL: ContextVar[_Call | None] = ContextVar("litellm_gmi_video_call", default=None)
_RAISED: ContextVar[Exception | None] = ContextVar("litellm_gmi_video_raised", default=None)
"""The last error this config raised, so LiteLLM's second pass through ``get_error_class`` keeps it."""


def _take_call() -> _Call:
    call = _CALL.get() or _Call()
    _CALL.set(None)
    return call


@contextmanager
def _own_errors() -> Iterator[None]:
    """Remember what an answer transform raises: LiteLLM hands it back to :meth:`get_error_class`."""
    try:
        yield
    except Exception as exc:
        _RAISED.set(exc)
        raise


def _params(litellm_params: Any) -> dict[str, Any]:
    if litellm_params is None:
        return {}
    return dict(litellm_params) if not isinstance(litellm_params, dict) else litellm_params


def _connection(litellm_params: Any, timeout: Any = None) -> Any:
    """The package functions' :class:`~litellm_gmi.media.faces.Connection`, from LiteLLM's params."""
    from litellm_gmi.media.faces import Connection
    from litellm_gmi.media.queue_client import http_timeout

    params = _params(litellm_params)
    return Connection(
        api_key=params.get("api_key"),
        api_base=params.get("api_base"),
        org_id=params.get("org_id"),
        timeout=http_timeout(timeout),
    )


def _protocol(litellm_params: Any) -> Any:
    from litellm_gmi.media.protocol import QueueProtocol

    params = _params(litellm_params)
    return QueueProtocol(params.get("api_key"), params.get("api_base"), params.get("org_id"))


def _bad_request(message: str, model: str = "") -> BadRequestError:
    error = BadRequestError(message=message, model=model, llm_provider=PROVIDER)
    _RAISED.set(error)
    return error


def _original_id(video_id: str) -> str:
    from litellm.types.videos.utils import extract_original_video_id

    return str(extract_original_video_id(video_id))


def _video(record: Any, provider: str | None, seconds: Any = None, size: str | None = None) -> Any:
    from litellm.types.videos.utils import encode_video_id_with_provider

    from litellm_gmi.media.video import to_video

    video = to_video(record, seconds=seconds, size=size)
    video.id = encode_video_id_with_provider(record.request_id, provider or PROVIDER, record.model)
    return video


def _record(raw_response: httpx.Response, model: str = "") -> Any:
    from litellm_gmi.media.protocol import check, parse_record

    return parse_record(check(raw_response, model=model), model=model)


class GMIVideoConfig(GMIBase, BaseVideoConfig):
    """LiteLLM's video API on GMI's request queue (see the module docstring); key, headers and base URL
    from :class:`~litellm_gmi.common_utils.GMIBase`."""

    queue = True

    @override
    def get_supported_openai_params(self, model: str) -> list[str]:
        return list(VIDEO_PARAMS)

    @override
    def map_openai_params(
        self, video_create_optional_params: Any, model: str, drop_params: bool
    ) -> dict[str, Any]:
        """Kept as given: the family mapping runs in :meth:`transform_video_create_request`, after
        LiteLLM has merged ``extra_body`` in, exactly as :func:`litellm_gmi.video_generation` does."""
        return dict(video_create_optional_params)

    @override
    def validate_environment(
        self, headers: dict[str, Any], model: str, api_key: str | None = None, litellm_params: Any = None
    ) -> dict[str, Any]:
        """GMI's bearer key and organisation; a missing key fails here, before anything is sent."""
        params = _params(litellm_params)
        credentials = self.gmi_credentials(
            api_key or params.get("api_key"), org_id=params.get("org_id"), model=model
        )
        return credentials.headers(headers)

    @override
    def get_complete_url(self, model: str, api_base: str | None, litellm_params: dict[str, Any]) -> str:
        return self.gmi_api_base(api_base)

    # ------------------------------------------------------------------------------------ create ---
    @override
    def transform_video_create_request(
        self,
        model: str,
        prompt: str,
        api_base: str,
        video_create_optional_request_params: dict[str, Any],
        litellm_params: Any,
        headers: dict[str, Any],
    ) -> tuple[dict[str, Any], list[Any], str]:
        from litellm_gmi.media.video import prepare

        _CALL.set(None)
        extra = {k: v for k, v in video_create_optional_request_params.items() if k not in _CONNECTION_KEYS}
        reference, seconds, size = (extra.pop(k, None) for k in ("input_reference", "seconds", "size"))
        try:
            job = prepare(prompt, model, PROVIDER, reference, seconds, size, None, None, None, extra)
        except (TypeError, ValueError) as exc:
            raise _bad_request(str(exc), model) from None
        if job.wait is not None:
            raise _bad_request(
                "wait= belongs to litellm_gmi.video_generation; litellm.video_generation returns at once: "
                "poll litellm.video_status(video.id)",
                model,
            )
        url = self._reference_url(job.reference, litellm_params)
        call = _protocol(litellm_params).submit(job.model, job.payload(url))
        _CALL.set(_Call(submit_model=job.model, seconds=seconds, size=size))
        return dict(call.json), [], call.url

    @staticmethod
    def _reference_url(reference: Any, litellm_params: Any) -> str | None:
        """A URL as given; a file is uploaded first (a blocking upload, also on LiteLLM's async path).

        A path string is read only outside the proxy (:func:`~litellm_gmi.media.inputs.local_paths_allowed`).
        """
        from litellm_gmi.media.inputs import classify, local_paths_allowed

        if reference is None:
            return None
        call = litellm_params if isinstance(litellm_params, Mapping) else None
        try:
            ref = classify(reference, local_paths=local_paths_allowed(call))
        except (TypeError, ValueError) as exc:
            raise _bad_request(str(exc)) from None
        if isinstance(ref, str):
            return ref
        with _connection(litellm_params).sync() as client:
            return str(client.upload(*ref))

    @override
    def transform_video_create_response(
        self,
        model: str,
        raw_response: httpx.Response,
        logging_obj: Any,
        custom_llm_provider: str | None = None,
        request_data: dict[str, Any] | None = None,
    ) -> Any:
        from litellm_gmi.media.protocol import submit_errors

        call = _take_call()
        with _own_errors(), submit_errors(model):
            record = _record(raw_response, model)
        return _video(record, custom_llm_provider, call.seconds, call.size)

    # ------------------------------------------------------------------------------ status, content ---
    @override
    def transform_video_status_retrieve_request(
        self, video_id: str, api_base: str, litellm_params: Any, headers: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        _CALL.set(None)
        return _protocol(litellm_params).status(_original_id(video_id)).url, {}

    @override
    def transform_video_status_retrieve_response(
        self,
        raw_response: httpx.Response,
        logging_obj: Any,
        custom_llm_provider: str | None = None,
        client: Any = None,
    ) -> Any:
        with _own_errors():
            return _video(_record(raw_response), custom_llm_provider)

    @override
    def transform_video_content_request(
        self,
        video_id: str,
        api_base: str,
        litellm_params: Any,
        headers: dict[str, Any],
        variant: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        url = _protocol(litellm_params).status(_original_id(video_id)).url
        _CALL.set(_Call(variant=variant, connection=_connection(litellm_params)))
        return url, {}

    def _artifact(self, raw_response: httpx.Response) -> tuple[str, Any]:
        from litellm_gmi.media.video import content_url

        call = _take_call()
        return content_url(_record(raw_response), call.variant), call.connection or _connection(None)

    @override
    def transform_video_content_response(
        self, raw_response: httpx.Response, logging_obj: Any, client: Any = None
    ) -> bytes:
        with _own_errors():
            url, connection = self._artifact(raw_response)
            with connection.sync() as queue:
                return bytes(queue.fetch(url))

    @override
    async def async_transform_video_content_response(
        self, raw_response: httpx.Response, logging_obj: Any, client: Any = None
    ) -> bytes:
        with _own_errors():
            url, connection = self._artifact(raw_response)
            async with connection.async_() as queue:
                return bytes(await queue.fetch(url))

    # ------------------------------------------------------------------------------------ errors ---
    @override
    def get_error_class(self, error_message: str, status_code: int, headers: Any) -> Any:
        """LiteLLM's exception for GMI's answer; a submit that may have created the job is a 424.

        LiteLLM calls this for an error answer and again for the exception it got back, so an error
        this config already raised is returned as it is.
        """
        from litellm_gmi.media.protocol import submit_error

        raised = _RAISED.get()
        _RAISED.set(None)
        if raised is not None and error_message == str(raised):
            return raised
        call = _take_call()
        model = call.submit_model or ""
        error = to_litellm_exception(
            status_code, extract_message(error_message), model=model, headers=headers
        )
        if call.submit_model is not None:
            error = submit_error(error, model)
        _RAISED.set(error)
        return error

    # ------------------------------------------------------------------------------- not served ---
    def _not_served(self, operation: str) -> BadRequestError:
        return _bad_request(
            f"GMI's request queue has no video {operation}; gmi/ serves video_generation, "
            "video_status and video_content"
        )

    @override
    def transform_video_remix_request(self, *args: Any, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        raise self._not_served("remix")

    @override
    def transform_video_remix_response(self, *args: Any, **kwargs: Any) -> Any:
        raise self._not_served("remix")

    @override
    def transform_video_list_request(self, *args: Any, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        raise self._not_served("list")

    @override
    def transform_video_list_response(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        raise self._not_served("list")

    @override
    def transform_video_delete_request(self, *args: Any, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        raise self._not_served("delete")

    @override
    def transform_video_delete_response(self, *args: Any, **kwargs: Any) -> Any:
        raise self._not_served("delete")
