"""``GMIProvider``: the ``CustomLLM`` LiteLLM dispatches ``gmi/`` calls to.

It adds nothing to the transport: every call is handed to LiteLLM's own ``BaseLLMHTTPHandler`` with
:class:`GMIChatConfig`, so sync, async, streaming, logging callbacks, cost tracking and client pooling
are LiteLLM's. What it does add: parameter validation before the network, the version shims this
project measured on LiteLLM's releases (:mod:`litellm_gmi.litellm_seams.version`), and GMI errors mapped
to LiteLLM's typed exceptions.
"""

from __future__ import annotations

import asyncio
import functools
import math
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import litellm
from litellm.exceptions import BadRequestError
from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper
from litellm.llms.base_llm.chat.transformation import BaseLLMException
from litellm.llms.custom_llm import CustomLLM
from litellm.types.utils import EmbeddingResponse, ImageResponse, ModelResponse
from typing_extensions import override

from litellm_gmi.catalog import unpriced
from litellm_gmi.catalog.price_source import Source as PriceSource
from litellm_gmi.chat.recovered import recover_params
from litellm_gmi.chat.streaming import GMIStreamIterator, ashape, shape, shaper_for_litellm
from litellm_gmi.chat.transformation import ORG_ID_PARAM, GMIChatConfig
from litellm_gmi.common_utils import resolve_credentials
from litellm_gmi.constants import ORG_ID_KWARG, PROVIDER
from litellm_gmi.errors import from_base_exception
from litellm_gmi.litellm_seams import (
    ClosingAsyncClient,
    ClosingSyncClient,
    caller_loop,
    inner_stream,
    mask_org_header_in_logs,
    pooled_async_client,
    pooled_sync_client,
    send_chat,
    wrap_stream,
)
from litellm_gmi.native import hooks
from litellm_gmi.videos.transformation import GMIVideoConfig

_INNER_PROVIDER = "custom"
"""Label for the inner LiteLLM call. ``"gmi"`` is not an ``LlmProviders`` value, and LiteLLM before 1.89
mis-parses chunks of a provider listed in ``_custom_providers`` (``CustomStreamWrapper`` in
litellm/litellm_core_utils/streaming_handler.py; measured by this project)."""

_DEFAULT_TIMEOUT = 600.0


def checked_timeout(timeout: Any, *, model: str) -> Any:
    """The call's timeout, :data:`_DEFAULT_TIMEOUT` when it set none; ``BadRequestError`` for a number
    that is not positive and finite.

    ``timeout=0`` silently became 600 s here (issue 21, item 11); honoured, it would fail every call
    before a byte was sent, so it is refused instead. LiteLLM 1.81.1 turns a 0 into 600 itself
    (``main.completion``: ``timeout or ... or 600``) before any provider sees it, as on ``openai/``;
    1.108 and later hand it over (``litellm_core_utils/completion_timeout.py``: first non-None wins).
    """
    if timeout is None:
        return _DEFAULT_TIMEOUT
    number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    if number and not (math.isfinite(timeout) and timeout > 0):
        raise BadRequestError(
            message=f"timeout must be a positive number of seconds, got {timeout!r}",
            model=model,
            llm_provider=PROVIDER,
        )
    return timeout


class GMIProvider(CustomLLM, GMIVideoConfig):
    """Routes ``gmi/<model>`` through LiteLLM's HTTP stack with GMI's config.

    Also LiteLLM's video config for ``gmi``
    (:class:`~litellm_gmi.videos.transformation.GMIVideoConfig`), which
    LiteLLMs with the hook (:mod:`litellm_gmi.videos.route`) find in the same ``custom_provider_map`` entry.

    LiteLLM passes everything after ``model`` and ``messages`` by keyword (``main.completion``), so the
    methods take ``*args, **kwargs`` as LiteLLM's own CustomLLM example does; positional extras fail.
    """

    # CustomLLM's base (BaseLLM) has a no-op ``validate_environment`` of its own, first in the MRO; LiteLLM
    # never calls it on a custom handler, while its video handler needs the config's (GMI's key).
    validate_environment = GMIVideoConfig.validate_environment

    def __init__(self) -> None:
        super().__init__()
        self.config = GMIChatConfig()

    # Each entry point asks unpriced.check() first for the source of the model's price
    # (litellm_gmi.catalog.price_source), which every response and chunk carries; a model without a known
    # price still completes, warns once per process and is marked unpriced, instead of a silent $0.
    @override
    def completion(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> ModelResponse:
        price_source = unpriced.check(model)
        secrets = _secrets(kwargs)
        call = functools.partial(self._call, model, messages, *args, is_async=False, stream=False, **kwargs)
        response: ModelResponse = _mapped(model, secrets, call)
        return unpriced.mark(response, price_source)

    @override
    async def acompletion(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> ModelResponse:
        """A non-streamed async call, or an async stream
        :mod:`~litellm_gmi.litellm_seams.caller_loop` made awaitable."""
        hooks.restore()
        price_source = unpriced.check(model)
        secrets = _secrets(kwargs)
        if caller_loop.take(_litellm_params(kwargs).get("litellm_call_id")):
            return await self._opened_stream(model, messages, args, kwargs, secrets, price_source)  # type: ignore[return-value]
        try:
            response: ModelResponse = await self._call(
                model, messages, *args, is_async=True, stream=False, **kwargs
            )
        except BaseLLMException as exc:
            raise from_base_exception(exc, model=model, secrets=secrets) from exc
        return unpriced.mark(response, price_source)

    @override
    def streaming(self, model: str, messages: list[Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
        price_source = unpriced.check(model)
        secrets = _secrets(kwargs)
        client = ClosingSyncClient(pooled_sync_client(kwargs.pop("client", None), _litellm_params(kwargs)))
        try:
            stream = self._call(model, messages, *args, is_async=False, stream=True, client=client, **kwargs)
        except BaseLLMException as exc:
            client.close()
            raise from_base_exception(exc, model=model, secrets=secrets) from exc
        except BaseException:
            client.close()
            raise
        chunks = shape(_mapped_iter(model, secrets, _raw_chunks(stream, model)), shaper_for_litellm())
        return _closing(unpriced.mark_each(chunks, price_source), client.close)

    @override
    def astreaming(  # type: ignore[override]
        self, model: str, messages: list[Any], *args: Any, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """An async stream that opens at its first iteration: for calls
        :mod:`~litellm_gmi.litellm_seams.caller_loop` could not make awaitable (a positional model,
        fallbacks, mocks, a cache, a missing hook).

        LiteLLM's ``CustomLLM`` declares a coroutine, but ``main.completion`` hands what this returns
        straight to ``CustomStreamWrapper``, which iterates it without awaiting (1.81.1 to 1.110.2):
        the supertype's type is wrong here. Nothing here waits: it runs on the loop's default executor.
        """
        if hooks.restore():
            caller_loop.warn_hook_missing()
        price_source = unpriced.check(model)
        secrets = _secrets(kwargs)
        opening = functools.partial(self._open_async_stream, model, messages, args, kwargs, secrets)
        return self._async_chunks(model, secrets, opening, price_source)

    async def _opened_stream(
        self,
        model: str,
        messages: list[Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        secrets: tuple[str, ...],
        price_source: PriceSource,
    ) -> CustomStreamWrapper:
        """Send the streamed request on this (the caller's) loop; LiteLLM's stream wrapper once GMI said 200.

        Raises GMI's error before the first byte as its typed class, inside ``acompletion``. The wrapper
        is the one ``completion()`` builds for a stream (same model, provider and logging object), and
        the logging object is told it streams, as the ``@client`` wrapper would have.
        """
        logging_obj: Any = kwargs.get("logging_obj")  # LiteLLM's Logging; always set by completion()
        caller_loop.mark_streamed(logging_obj)
        opened = await self._open_async_stream(model, messages, args, kwargs, secrets)
        chunks = self._async_chunks(model, secrets, functools.partial(_already, opened), price_source)
        # A stream never iterated (its caller cancelled, or gave up) still gives its connection back.
        weakref.finalize(chunks, caller_loop.close_on_loop, asyncio.get_running_loop(), opened[1].close)
        return wrap_stream(chunks, model=model, logging_obj=logging_obj)

    async def _open_async_stream(
        self,
        model: str,
        messages: list[Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        secrets: tuple[str, ...],
    ) -> tuple[Any, ClosingAsyncClient]:
        """Send the request and return LiteLLM's stream once GMI answered 200, with its open response.

        Runs on the caller's loop (LiteLLM keys its pooled async clients by the running loop).
        """
        client = ClosingAsyncClient(pooled_async_client(kwargs.pop("client", None), _litellm_params(kwargs)))
        try:
            stream = await self._call(
                model, messages, *args, is_async=True, stream=True, client=client, **kwargs
            )
        except BaseLLMException as exc:
            await client.close()
            raise from_base_exception(exc, model=model, secrets=secrets) from exc
        except BaseException:
            await client.close()
            raise
        return stream, client

    async def _async_chunks(
        self,
        model: str,
        secrets: tuple[str, ...],
        opening: Callable[[], Awaitable[tuple[Any, ClosingAsyncClient]]],
        price_source: PriceSource,
    ) -> AsyncIterator[Any]:
        stream, client = await opening()
        try:
            shaped = ashape(_amapped_iter(model, secrets, _raw_chunks(stream, model)), shaper_for_litellm())
            async for item in unpriced.amark_each(shaped, price_source):
                yield item
        finally:
            await client.close()

    def _call(
        self,
        model: str,
        messages: list[Any],
        *,
        is_async: bool,
        stream: bool,
        model_response: ModelResponse,
        logging_obj: Any,
        optional_params: dict[str, Any],
        api_key: str | None = None,
        api_base: str | None = None,
        litellm_params: dict[str, Any] | None = None,
        timeout: Any = None,
        client: Any = None,
        headers: dict[str, Any] | None = None,
        encoding: Any = None,
        **_ignored: Any,
    ) -> Any:
        litellm_params = dict(litellm_params or {})
        requested = recover_params(optional_params, logging_obj, model=model)
        org_id = requested.params.pop(ORG_ID_KWARG, None) or litellm_params.get(ORG_ID_PARAM)
        # A missing key fails here, before any network call. _secrets looked it up: nothing is asked twice.
        credentials = self.config.gmi_credentials(api_key, api_base, org_id, model=model)
        if credentials.org_id:
            litellm_params[ORG_ID_PARAM] = credentials.org_id
        drop = bool(requested.drop_params or litellm_params.get("drop_params") or litellm.drop_params)
        prepared = self.config.map_openai_params(
            {**requested.params, "stream": stream}, {}, model, drop, allowed=requested.allowed
        )
        mask_org_header_in_logs(logging_obj)
        return send_chat(
            model=model,
            messages=messages,
            api_base=credentials.api_base,
            custom_llm_provider=_INNER_PROVIDER,
            model_response=model_response,
            encoding=encoding,
            logging_obj=logging_obj,
            optional_params=prepared,
            timeout=checked_timeout(timeout, model=model),
            litellm_params=litellm_params,
            acompletion=is_async,
            stream=stream,
            api_key=credentials.api_key,
            headers=dict(headers or {}),
            client=(
                pooled_async_client(client, litellm_params)
                if is_async
                else pooled_sync_client(client, litellm_params)
            ),
            provider_config=self.config,
        )

    @override
    def embedding(
        self, model: str, input: list[Any], model_response: EmbeddingResponse, *args: Any, **kwargs: Any
    ) -> EmbeddingResponse:
        from litellm_gmi import embeddings

        return embeddings.embedding(model, input, model_response, **kwargs)

    @override
    async def aembedding(
        self, model: str, input: list[Any], model_response: EmbeddingResponse, *args: Any, **kwargs: Any
    ) -> EmbeddingResponse:
        from litellm_gmi import embeddings

        return await embeddings.aembedding(model, input, model_response, **kwargs)

    @override
    def image_generation(self, model: str, prompt: str, *args: Any, **kwargs: Any) -> ImageResponse:
        from litellm_gmi.media import images

        return images.image_generation(model, prompt, *args, **kwargs)

    @override
    async def aimage_generation(self, model: str, prompt: str, *args: Any, **kwargs: Any) -> ImageResponse:
        from litellm_gmi.media import images

        return await images.aimage_generation(model, prompt, *args, **kwargs)

    @override
    def image_edit(
        self, model: str, image: Any, prompt: str | None, *args: Any, **kwargs: Any
    ) -> ImageResponse:
        from litellm_gmi.media import images

        return images.image_edit(model, image, prompt, *args, **kwargs)

    @override
    async def aimage_edit(
        self, model: str, image: Any, prompt: str | None, *args: Any, **kwargs: Any
    ) -> ImageResponse:
        from litellm_gmi.media import images

        return await images.aimage_edit(model, image, prompt, *args, **kwargs)


def _raw_chunks(stream: Any, model: str) -> Any:
    """The chunks our :class:`GMIStreamIterator` parsed, without LiteLLM's inner stream wrapper
    (:mod:`litellm_gmi.litellm_seams.streams`), fed to the shaper :func:`shaper_for_litellm` picks. The
    iterator learns the requested ``model`` for chunks that arrive without one.
    """
    raw = inner_stream(stream)
    if isinstance(raw, GMIStreamIterator):
        raw.requested_model = model
    return raw


def _litellm_params(kwargs: dict[str, Any]) -> dict[str, Any]:
    params = kwargs.get("litellm_params")
    return params if isinstance(params, dict) else {}


def _closing(chunks: Iterator[Any], close: Callable[[], None]) -> Iterator[Any]:
    """Yield ``chunks``, then close the call's response however the iteration ended (issue 14)."""
    try:
        yield from chunks
    finally:
        close()


def _secrets(kwargs: dict[str, Any]) -> tuple[str, ...]:
    """The key and organisation this call sends, to be masked wherever an upstream echoes them.

    The call's credentials are resolved here, once per call (a configured secret manager may be a
    network call), and the key is put back into ``kwargs``: :meth:`GMIProvider._call` and the chat
    config then only read it. A missing key (or a bad base URL) is left for ``_call`` to raise, typed,
    before any network call.
    """
    optional = kwargs.get("optional_params") or {}
    org = optional.get(ORG_ID_KWARG) or _litellm_params(kwargs).get(ORG_ID_PARAM)
    try:
        credentials = resolve_credentials(kwargs.get("api_key"), kwargs.get("api_base"), org)
    except Exception:
        return ()
    kwargs["api_key"] = credentials.api_key
    return credentials.secrets


async def _already(value: Any) -> Any:
    return value


def _mapped(model: str, secrets: tuple[str, ...], call: Callable[[], Any]) -> Any:
    try:
        return call()
    except BaseLLMException as exc:
        raise from_base_exception(exc, model=model, secrets=secrets) from exc


def _mapped_iter(model: str, secrets: tuple[str, ...], stream: Any) -> Iterator[Any]:
    try:
        yield from stream
    except BaseLLMException as exc:
        raise from_base_exception(exc, model=model, secrets=secrets) from exc


async def _amapped_iter(model: str, secrets: tuple[str, ...], stream: Any) -> AsyncIterator[Any]:
    try:
        async for chunk in stream:
            yield chunk
    except BaseLLMException as exc:
        raise from_base_exception(exc, model=model, secrets=secrets) from exc


gmi_provider = GMIProvider()
"""The instance LiteLLM's ``custom_provider_map`` (and the proxy YAML) points at."""
