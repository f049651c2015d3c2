"""The five ways to reach GMI that the bench compares, each with sync, async and streamed calls.

Every LiteLLM route gets the same ``api_base``/``api_key`` keyword arguments so that none of them pays for
an environment lookup the others skip. LiteLLM's built-in ``gmi`` row is only reachable while this
package is unregistered, so that route's :meth:`Route.enter` calls ``litellm_gmi.unregister()`` and its
:meth:`Route.leave` calls ``register()`` again.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import litellm
import openai

import litellm_gmi

MODEL = "deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
KEY = "sk-bench-0000000000000000"
STREAM_TOKENS = 200
"""The emulator (and the loopback server) answer ``max_tokens=200`` with 200 content chunks."""

OURS = "gmi/ (litellm_gmi)"
BUILTIN = "gmi/ (LiteLLM built-in)"
OPENAI_ROUTE = "openai/ + api_base"
SDK = "openai SDK"
HTTPX = "raw httpx"


@dataclass
class Route:
    name: str
    call: Callable[[], Any]
    acall: Callable[[], Awaitable[Any]]
    stream: Callable[[], Iterable[str]]
    """Yields each content delta as it arrives."""
    astream: Callable[[], AsyncIterator[str]]
    """The same, from ``acompletion(stream=True)`` (or the client's async twin)."""
    enter: Callable[[], None] = field(default=lambda: None)
    leave: Callable[[], None] = field(default=lambda: None)
    litellm_route: bool = True


def _deltas(chunks: Iterable[Any]) -> Iterable[str]:
    for chunk in chunks:
        if chunk.choices and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


async def _adeltas(chunks: AsyncIterable[Any]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if chunk.choices and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


def litellm_route(name: str, prefix: str, base: str, **enter_leave: Callable[[], None]) -> Route:
    model = f"{prefix}/{MODEL}"
    kwargs: dict[str, Any] = {"api_base": base, "api_key": KEY}

    def call() -> Any:
        return litellm.completion(model=model, messages=MESSAGES, **kwargs)

    async def acall() -> Any:
        return await litellm.acompletion(model=model, messages=MESSAGES, **kwargs)

    def stream() -> Iterable[str]:
        return _deltas(
            litellm.completion(
                model=model, messages=MESSAGES, stream=True, max_tokens=STREAM_TOKENS, **kwargs
            )
        )

    async def astream() -> AsyncIterator[str]:
        response = await litellm.acompletion(
            model=model, messages=MESSAGES, stream=True, max_tokens=STREAM_TOKENS, **kwargs
        )
        async for delta in _adeltas(response):
            yield delta

    return Route(name, call, acall, stream, astream, **enter_leave)


def sdk_route(base: str) -> Route:
    client = openai.OpenAI(base_url=base, api_key=KEY)
    aclient = openai.AsyncOpenAI(base_url=base, api_key=KEY)

    def call() -> Any:
        return client.chat.completions.create(model=MODEL, messages=MESSAGES)  # type: ignore[arg-type]

    async def acall() -> Any:
        return await aclient.chat.completions.create(model=MODEL, messages=MESSAGES)  # type: ignore[arg-type]

    def stream() -> Iterable[str]:
        return _deltas(
            client.chat.completions.create(
                model=MODEL,
                messages=MESSAGES,  # type: ignore[arg-type]
                stream=True,
                max_tokens=STREAM_TOKENS,
                stream_options={"include_usage": True},
            )
        )

    async def astream() -> AsyncIterator[str]:
        response = await aclient.chat.completions.create(
            model=MODEL,
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            max_tokens=STREAM_TOKENS,
            stream_options={"include_usage": True},
        )
        async for delta in _adeltas(response):
            yield delta

    return Route(SDK, call, acall, stream, astream, litellm_route=False)


def httpx_route(base: str) -> Route:
    url = base + "/chat/completions"
    headers = {"Authorization": f"Bearer {KEY}"}
    client = httpx.Client(headers=headers, timeout=60)
    aclient = httpx.AsyncClient(headers=headers, timeout=60, limits=httpx.Limits(max_connections=500))
    body = {"model": MODEL, "messages": MESSAGES}
    stream_body = {
        **body,
        "stream": True,
        "max_tokens": STREAM_TOKENS,
        "stream_options": {"include_usage": True},
    }

    def call() -> Any:
        response = client.post(url, json=body)
        response.raise_for_status()
        return response.json()

    async def acall() -> Any:
        response = await aclient.post(url, json=body)
        response.raise_for_status()
        return response.json()

    def stream() -> Iterable[str]:
        with client.stream("POST", url, json=stream_body) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                delta = _sse_delta(line)
                if delta:
                    yield delta

    async def astream() -> AsyncIterator[str]:
        async with aclient.stream("POST", url, json=stream_body) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                delta = _sse_delta(line)
                if delta:
                    yield delta

    return Route(HTTPX, call, acall, stream, astream, litellm_route=False)


def _sse_delta(line: str) -> str | None:
    if not line.startswith("data: ") or line == "data: [DONE]":
        return None
    choices = json.loads(line[6:]).get("choices")
    return choices[0]["delta"].get("content") if choices else None


def has_builtin_row() -> bool:
    """Whether the running LiteLLM ships its own ``gmi`` row (1.81.3 and later)."""
    litellm_gmi.unregister()
    try:
        return litellm_gmi.builtin_row_active()
    finally:
        litellm_gmi.register()


def _unregister() -> None:
    litellm_gmi.unregister()
    if not litellm_gmi.builtin_row_active():
        raise RuntimeError("unregister() did not restore LiteLLM's built-in gmi row")


def build(base: str) -> list[Route]:
    routes = [litellm_route(OURS, "gmi", base)]
    if has_builtin_row():
        routes.append(litellm_route(BUILTIN, "gmi", base, enter=_unregister, leave=litellm_gmi.register))
    routes += [litellm_route(OPENAI_ROUTE, "openai", base), sdk_route(base), httpx_route(base)]
    return routes


def check(routes: list[Route], loop: asyncio.AbstractEventLoop) -> None:
    """Each route reaches the server through the code it claims to (ours or not), and every stream,
    sync and async, delivers all 200 chunks, before anything is timed."""
    calls = 0
    original = litellm_gmi.GMIProvider._call

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    async def adeltas(route: Route) -> list[str]:
        return [delta async for delta in route.astream()]

    litellm_gmi.GMIProvider._call = counting  # type: ignore[method-assign]
    try:
        for route in routes:
            before = calls
            route.enter()
            try:
                route.call()
                loop.run_until_complete(route.acall())
                streams = (list(route.stream()), loop.run_until_complete(adeltas(route)))
            finally:
                route.leave()
            for kind, deltas in zip(("sync", "async"), streams, strict=True):
                if len(deltas) < STREAM_TOKENS:
                    raise RuntimeError(
                        f"{route.name}: {kind} stream gave {len(deltas)} content chunks, not 200"
                    )
            if (calls > before) != (route.name == OURS):
                raise RuntimeError(f"{route.name}: went through litellm_gmi={calls > before}")
    finally:
        litellm_gmi.GMIProvider._call = original  # type: ignore[method-assign]


def timed_stream(route: Route) -> tuple[float, float, int]:
    """Seconds to the first and to the last content delta, and how many deltas arrived."""
    start = time.perf_counter()
    first = 0.0
    count = 0
    for _ in route.stream():
        if not count:
            first = time.perf_counter() - start
        count += 1
    return first, time.perf_counter() - start, count


async def atimed_stream(route: Route) -> tuple[float, float, int]:
    """:func:`timed_stream` for the async stream."""
    start = time.perf_counter()
    first = 0.0
    count = 0
    async for _ in route.astream():
        if not count:
            first = time.perf_counter() - start
        count += 1
    return first, time.perf_counter() - start, count
