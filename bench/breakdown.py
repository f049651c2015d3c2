"""Where a sync call's time goes: LiteLLM's own wrapper, the provider layer, our hooks, and httpx.

Each layer is timed by wrapping one method with a ``perf_counter`` pair for a run of calls, then put
back. The wrappers cost a few microseconds each, so the figures are for proportions, not the headline.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx

from bench.routes import BUILTIN, OURS, Route


class _Timer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    @contextmanager
    def wrap(self, owner: Any, name: str, label: str) -> Iterator[None]:
        original = owner.__dict__[name]
        totals = self.totals

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)
        try:
            yield
        finally:
            setattr(owner, name, original)


def _layers(route_name: str) -> list[tuple[Any, str, str]]:
    layers: list[tuple[Any, str, str]] = [(httpx.Client, "send", "httpx send (network + server)")]
    if route_name == OURS:
        from litellm.llms.custom_httpx.llm_http_handler import BaseLLMHTTPHandler

        from litellm_gmi import handler
        from litellm_gmi.chat.transformation import GMIChatConfig

        layers.append((handler.GMIProvider, "completion", "GMIProvider.completion"))
        layers.append((BaseLLMHTTPHandler, "completion", "BaseLLMHTTPHandler.completion"))
        for hook in ("validate_environment", "get_complete_url", "transform_request", "transform_response"):
            layers.append((GMIChatConfig, hook, "our GMIChatConfig hooks"))
        layers.append((handler, "prepare_params", "our prepare_params"))
    else:
        from litellm.llms.openai.openai import OpenAIChatCompletion

        layers.append((OpenAIChatCompletion, "completion", "OpenAIChatCompletion.completion"))
    return layers


def _measure(route: Route, calls: int) -> tuple[float, dict[str, float]]:
    timer = _Timer()
    durations: list[float] = []
    with ExitStack() as stack:
        for owner, name, label in _layers(route.name):
            stack.enter_context(timer.wrap(owner, name, label))
        route.enter()
        try:
            for _ in range(calls):
                start = time.perf_counter()
                route.call()
                durations.append(time.perf_counter() - start)
        finally:
            route.leave()
    total = sum(durations)
    # Scale each layer's share of the total to the median call, so one slow outlier cannot skew it.
    median = statistics.median(durations)
    return median * 1000, {label: value / total * median * 1000 for label, value in timer.totals.items()}


def breakdown(routes: list[Route], calls: int) -> str:
    """A markdown section: per-call milliseconds by layer for our route and LiteLLM's built-in one."""
    lines = [f"### Where a sync call goes ({calls} calls, ms per call, median-scaled)\n"]
    wanted = [r for r in routes if r.name in (OURS, BUILTIN)]
    for route in wanted:
        route.call()  # warm
    rows: list[tuple[str, str]] = []
    for route in wanted:
        total, layers = _measure(route, calls)
        net = layers.get("httpx send (network + server)", 0.0)
        if route.name == OURS:
            provider = layers.get("GMIProvider.completion", 0.0)
            inner = layers.get("BaseLLMHTTPHandler.completion", 0.0)
            hooks = layers.get("our GMIChatConfig hooks", 0.0)
            ours = provider - inner + hooks + layers.get("our prepare_params", 0.0)
            rows += [
                (f"{route.name}: whole call", f"{total:.2f}"),
                ("  LiteLLM `completion()` wrapper (outside the provider)", f"{total - provider:.2f}"),
                ("  LiteLLM BaseLLMHTTPHandler, minus our hooks and httpx", f"{inner - hooks - net:.2f}"),
                ("  **our code** (GMIProvider + GMIChatConfig hooks + prepare_params)", f"{ours:.2f}"),
                ("  httpx send (network + server)", f"{net:.2f}"),
            ]
        else:
            sdk = layers.get("OpenAIChatCompletion.completion", 0.0)
            rows += [
                (f"{route.name}: whole call", f"{total:.2f}"),
                ("  LiteLLM `completion()` wrapper (outside the provider)", f"{total - sdk:.2f}"),
                ("  LiteLLM OpenAIChatCompletion + openai SDK, minus httpx", f"{sdk - net:.2f}"),
                ("  httpx send (network + server)", f"{net:.2f}"),
            ]
    lines += ["| layer | ms |", "|---|---:|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    return "\n".join(lines) + "\n"
