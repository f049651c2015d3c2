"""``litellm.embedding(model="gmi/<model>")`` on GMI's ``POST /v1/embeddings``.

GMI publishes no page for this endpoint; third-party code calls it OpenAI-style with ``BAAI/bge-m3``
and ``BAAI/bge-base-en-v1.5`` (public third-party code posting to
``https://api.gmi-serving.com/v1/embeddings``), so the request and answer are OpenAI's: ``model``
and ``input`` in, ``data[].embedding`` and ``usage`` out. LiteLLM dispatches ``embedding`` and
``aembedding`` for any provider in ``litellm._custom_providers`` to ``CustomLLM.embedding`` /
``aembedding`` (``main.embedding``, 1.81.1 to 1.109.1) and prices the answer from the cost map
(``gmi/<model>`` rows, ``input_cost_per_token``) like any provider's. ``BaseLLMHTTPHandler.embedding``
cannot be used as chat is: it looks its config up by ``LlmProviders(provider)``, which ``gmi`` is not.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Mapping
from typing import Any, Final

import httpx
import litellm
from litellm.exceptions import (
    APIConnectionError,
    BadRequestError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
)
from litellm.types.utils import EmbeddingResponse

from litellm_gmi.catalog import capabilities
from litellm_gmi.common_utils import GMIBase
from litellm_gmi.constants import PROVIDER
from litellm_gmi.errors import from_base_exception
from litellm_gmi.litellm_seams import pooled_async_client, pooled_sync_client

ORG_ID_KWARG: Final = "org_id"
_DEFAULT_TIMEOUT: Final = 600.0
_CHECKS: Final[dict[str, Any]] = {
    "encoding_format": lambda v: v in ("float", "base64"),
    "dimensions": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "user": lambda v: isinstance(v, str),
}
"""OpenAI's embedding parameters; anything else goes in ``extra_body``."""
OPENAI_PARAMS: Final = tuple(_CHECKS)
"""What ``get_supported_openai_params(..., request_type="embeddings")`` answers for ``gmi``, and what
:mod:`litellm_gmi.litellm_seams.embedding_params` lets past LiteLLM's own check."""
_NOT_SENT: Final = frozenset({"extra_body", "extra_headers", ORG_ID_KWARG, "max_retries", "drop_params"})


def request(model: str, input: list[Any], params: Mapping[str, Any], *, drop_params: bool) -> dict[str, Any]:
    """The JSON body for ``model``; refuses, before any network call, what GMI would not take."""
    if not capabilities.serves(model, "embedding"):
        row = capabilities.entry(model)
        raise BadRequestError(
            message=f"gmi/{model} is a {row['mode'] if row else 'non-embedding'} model in the catalog; "
            "embeddings need an embedding model such as gmi/BAAI/bge-m3",
            model=model,
            llm_provider=PROVIDER,
        )
    body: dict[str, Any] = {"model": model, "input": input}
    for name, value in params.items():
        if name in _NOT_SENT or value is None:
            continue
        check = _CHECKS.get(name)
        if check is None:
            if drop_params:
                continue
            raise UnsupportedParamsError(
                status_code=400,
                message=f"gmi embeddings do not accept {name!r}; supported: {', '.join(_CHECKS)}. "
                f"Send it anyway with extra_body={{{name!r}: ...}}, or drop it with drop_params=True.",
                model=model,
                llm_provider=PROVIDER,
            )
        if not check(value):
            raise BadRequestError(
                message=f"gmi: invalid {name}={value!r}", model=model, llm_provider=PROVIDER
            )
        if name != "encoding_format":  # GMI is always asked for floats: see as_base64
            body[name] = value
    extra = params.get("extra_body")
    if isinstance(extra, Mapping):
        body.update(extra)
    return body


class GMIEmbeddingConfig(GMIBase):
    """Where an embedding request goes; key, headers and error class from :class:`GMIBase`."""

    def get_complete_url(self, api_base: str | None) -> str:
        base = self.gmi_api_base(api_base).removesuffix("/chat/completions")
        return base if base.endswith("/embeddings") else f"{base}/embeddings"


CONFIG: Final = GMIEmbeddingConfig()


class _Call:
    """One embedding request: everything decided before the network, shared by sync and async."""

    def __init__(
        self,
        model: str,
        input: list[Any],
        *,
        optional_params: dict[str, Any],
        api_key: str | None,
        api_base: str | None,
        timeout: Any,
        litellm_params: dict[str, Any] | None,
        logging_obj: Any,
    ) -> None:
        params = dict(optional_params or {})
        self.litellm_params = dict(litellm_params or {})
        drop = bool(self.litellm_params.get("drop_params") or litellm.drop_params)
        self.model, self.input, self.logging_obj = model, input, logging_obj
        self.body = request(model, input, params, drop_params=drop)
        self.base64 = params.get("encoding_format") == "base64"
        self.credentials = CONFIG.gmi_credentials(api_key, api_base, params.get(ORG_ID_KWARG), model=model)
        self.url = CONFIG.get_complete_url(self.credentials.api_base)
        self.headers = self.credentials.headers(params.get("extra_headers"))
        self.timeout = timeout or _DEFAULT_TIMEOUT

    def pre_call(self) -> None:
        self.logging_obj.pre_call(
            input=self.input,
            api_key=self.credentials.api_key,
            additional_args={"complete_input_dict": self.body, "api_base": self.url},
        )

    def error(self, exc: Exception) -> Exception:
        if isinstance(exc, httpx.HTTPStatusError):
            response = exc.response
            error = CONFIG.get_error_class(response.text, response.status_code, response.headers)
            error.request = response.request  # only its method and URL reach the exception raised
            return from_base_exception(error, model=self.model, secrets=self.credentials.secrets)
        if isinstance(exc, httpx.TimeoutException):
            timeout: Exception = Timeout(
                message=f"GMI embeddings timed out: {exc}", model=self.model, llm_provider=PROVIDER
            )
            return timeout
        failed: Exception = APIConnectionError(
            message=f"GMI embeddings failed ({type(exc).__name__}): {str(exc)[:300]}",
            model=self.model,
            llm_provider=PROVIDER,
            request=httpx.Request("POST", self.url),
        )
        return failed

    def response(self, raw: httpx.Response, model_response: EmbeddingResponse) -> EmbeddingResponse:
        try:
            data = raw.json()
        except ValueError as exc:
            raise ServiceUnavailableError(
                message=f"GMI returned an embeddings body that is not JSON: {raw.text[:200]!r}",
                model=self.model,
                llm_provider=PROVIDER,
            ) from exc
        self.logging_obj.post_call(
            input=self.input,
            api_key=self.credentials.api_key,
            original_response=json.dumps(data),
            additional_args={"complete_input_dict": self.body},
        )
        response = EmbeddingResponse(**data)
        if self.base64:
            response.data = [as_base64(item) for item in response.data]
        response.model = self.model
        if not response.usage:  # keep LiteLLM's empty Usage rather than None
            response.usage = model_response.usage
        return response


def as_base64(item: Any) -> Any:
    """One ``data`` item with its float vector as OpenAI's base64: little-endian float32 bytes.

    GMI documents no embeddings page on docs.gmicloud.ai, so whether it honours ``encoding_format="base64"``
    is unknown. Floats are OpenAI's default and what third-party callers get back, so GMI is always asked for
    those and a base64 answer is encoded here; a vector that already is a string is left as it came.
    """
    vector = item.get("embedding") if isinstance(item, Mapping) else None
    if not isinstance(vector, list):
        return item
    packed = struct.pack(f"<{len(vector)}f", *vector)
    return {**item, "embedding": base64.b64encode(packed).decode("ascii")}


def embedding(
    model: str, input: list[Any], model_response: EmbeddingResponse, **kwargs: Any
) -> EmbeddingResponse:
    """``CustomLLM.embedding``'s work: one POST, errors as LiteLLM's typed exceptions."""
    call = _Call(model, input, **_call_args(kwargs))
    call.pre_call()
    client = pooled_sync_client(None, call.litellm_params)
    try:
        raw = client.post(call.url, headers=call.headers, json=call.body, timeout=call.timeout)
    except (httpx.HTTPError, OSError) as exc:
        raise call.error(exc) from None  # httpx's error holds the request's Authorization header
    return call.response(raw, model_response)


async def aembedding(
    model: str, input: list[Any], model_response: EmbeddingResponse, **kwargs: Any
) -> EmbeddingResponse:
    """Async twin of :func:`embedding`."""
    call = _Call(model, input, **_call_args(kwargs))
    call.pre_call()
    client = pooled_async_client(None, call.litellm_params)
    try:
        raw = await client.post(call.url, headers=call.headers, json=call.body, timeout=call.timeout)
    except (httpx.HTTPError, OSError) as exc:
        raise call.error(exc) from None  # httpx's error holds the request's Authorization header
    return call.response(raw, model_response)


def _call_args(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of LiteLLM's ``CustomLLM.embedding`` call that :class:`_Call` uses."""
    names = ("optional_params", "api_key", "api_base", "timeout", "litellm_params", "logging_obj")
    return {name: kwargs.get(name) for name in names}
