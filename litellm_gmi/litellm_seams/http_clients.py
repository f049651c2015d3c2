"""The HTTP clients :class:`~litellm_gmi.provider.GMIProvider` hands LiteLLM's ``BaseLLMHTTPHandler``.

Two jobs:

* Async calls need a client passed in, because LiteLLM's async path looks one up by
  ``LlmProviders(provider)``, which ``gmi`` is not (litellm/llms/custom_httpx/llm_http_handler.py calls
  ``get_async_httpx_client(llm_provider=litellm.LlmProviders(custom_llm_provider))`` when no client is
  given, 1.81.1 to 1.110.2).
* Streamed calls need the response closed on every exit path. ``BaseLLMHTTPHandler.make_sync_call`` (and
  its async twin) post with ``stream=True`` and keep only ``response.iter_lines()``; when a stream fails
  part-way (GMI's ``data: {"error": ...}`` event, a garbled line) nothing closes the response. Its pooled
  connection stays checked out inside a reference cycle, so after ~100 failures every later call waits for
  a pool slot, and when the garbage collector finalizes the abandoned generator while the same thread
  holds httpcore's pool lock, the process deadlocks (issue 14). :class:`ClosingSyncClient` and
  :class:`ClosingAsyncClient` wrap the pooled client for one call and remember what they returned, so the
  provider closes it deterministically; a closed httpcore stream makes the later finalizer a no-op.

LiteLLM internals used here, pinned by tests/litellm_seams/test_http_clients.py: ``HTTPHandler`` and
``AsyncHTTPHandler`` (their ``post``), ``get_httpx_client`` (``_get_httpx_client`` before 1.8x renamed it)
and ``get_async_httpx_client``.

Checked at registration (:mod:`.registry`): ``get_async_httpx_client`` is probed.
"""

from __future__ import annotations

from typing import Any

import httpx
from litellm.llms.custom_httpx import http_handler
from litellm.llms.custom_httpx.http_handler import AsyncHTTPHandler, HTTPHandler, get_async_httpx_client
from typing_extensions import override

from litellm_gmi.constants import PROVIDER


def pooled_sync_client(client: Any, litellm_params: dict[str, Any]) -> HTTPHandler:
    """The caller's ``HTTPHandler`` if it gave one, else LiteLLM's cached one for these SSL settings."""
    if isinstance(client, HTTPHandler):
        return client
    getter = getattr(http_handler, "get_httpx_client", None) or http_handler._get_httpx_client
    pooled: HTTPHandler = getter({"ssl_verify": litellm_params.get("ssl_verify")})
    return pooled


def pooled_async_client(client: Any, litellm_params: dict[str, Any]) -> AsyncHTTPHandler:
    """The caller's ``AsyncHTTPHandler`` if it gave one, else LiteLLM's cached one for ``gmi``.

    An OpenAI SDK client given for another provider is ignored rather than misused.
    """
    if isinstance(client, AsyncHTTPHandler):
        return client
    pooled: AsyncHTTPHandler = get_async_httpx_client(
        llm_provider=PROVIDER, params={"ssl_verify": litellm_params.get("ssl_verify")}
    )
    return pooled


class ClosingSyncClient(HTTPHandler):
    """One streamed call's view of a pooled sync client that can close what it returned.

    It borrows the pooled client's connections and owns nothing, so it skips ``HTTPHandler.__init__``
    (which would build a new ``httpx.Client``) and ``__del__``.
    """

    def __init__(self, pooled: HTTPHandler) -> None:  # pylint: disable=super-init-not-called
        self._pooled = pooled
        self._responses: list[httpx.Response] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pooled, name)

    @override
    def post(self, *args: Any, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self._pooled.post(*args, **kwargs)
        self._responses.append(response)
        return response

    @override
    def close(self) -> None:
        """Close the responses this call opened (not the pooled client), returning their connections."""
        while self._responses:
            self._responses.pop().close()

    @override
    def __del__(self) -> None:
        return


class ClosingAsyncClient(AsyncHTTPHandler):
    """Async twin of :class:`ClosingSyncClient`."""

    def __init__(self, pooled: AsyncHTTPHandler) -> None:  # pylint: disable=super-init-not-called
        self._pooled = pooled
        self._responses: list[httpx.Response] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pooled, name)

    @override
    async def post(self, *args: Any, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = await self._pooled.post(*args, **kwargs)
        self._responses.append(response)
        return response

    @override
    async def close(self) -> None:
        """Close the responses this call opened (not the pooled client)."""
        while self._responses:
            await self._responses.pop().aclose()

    @override
    def __del__(self) -> None:
        return
