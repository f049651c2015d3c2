"""The timing loops: paired rounds, one event loop, wall time and CPU time side by side.

A *round* times every route once, back to back, in alternating order; each ratio is taken within one
round (ours / reference) and the report gives the median and range of those per-round ratios, so load
that drifts between rounds moves the figures but hardly the ratios. Everything async runs in the one
event loop the caller passes in, so the clients LiteLLM caches per loop stay warm from the warm-up on.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.control import adrain, collector_off, drain_threads
from bench.routes import Route, atimed_stream, timed_stream


@dataclass(frozen=True)
class Sample:
    """One route in one round: wall and CPU seconds per call (or per stream), plus workload extras."""

    wall: float
    cpu: float
    extra: dict[str, float] = field(default_factory=dict)


Results = dict[str, list[Sample]]
"""Route name → one sample per round."""


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def paired(routes: list[Route], rounds: int, one: Callable[[Route], Sample]) -> Results:
    """``one(route)`` for every route in every round, the order reversed every other round."""
    results: Results = {route.name: [] for route in routes}
    for index in range(rounds):
        for route in routes if index % 2 == 0 else list(reversed(routes)):
            route.enter()
            try:
                results[route.name].append(one(route))
            finally:
                route.leave()
    return results


# ------------------------------------------------------------------------------------------- warm-up ---
def warm(
    routes: list[Route], loop: asyncio.AbstractEventLoop, concurrencies: tuple[int, ...], calls: int
) -> None:
    """Every path each route will be timed on, once, in the loop that will time it."""
    for route in routes:
        route.enter()
        try:
            for _ in range(calls):
                route.call()
            timed_stream(route)
            for concurrency in concurrencies:
                loop.run_until_complete(_burst(route, concurrency, concurrency))
            loop.run_until_complete(atimed_stream(route))
            loop.run_until_complete(adrain())
        finally:
            route.leave()


# ---------------------------------------------------------------------------------------------- sync ---
def sync_calls(calls: int) -> Callable[[Route], Sample]:
    """Sequential ``completion()`` calls: median wall time per call, mean CPU per call."""

    def one(route: Route) -> Sample:
        durations: list[float] = []
        with collector_off():
            cpu = time.process_time()
            for _ in range(calls):
                start = time.perf_counter()
                route.call()
                durations.append(time.perf_counter() - start)
            drain_threads()
            cpu = time.process_time() - cpu
        return Sample(statistics.median(durations), cpu / calls)

    return one


# --------------------------------------------------------------------------------------------- async ---
async def _burst(route: Route, calls: int, concurrency: int) -> list[float]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one() -> None:
        async with gate:
            start = time.perf_counter()
            await route.acall()
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one() for _ in range(calls)))
    return latencies


def async_calls(loop: asyncio.AbstractEventLoop, calls: int, concurrency: int) -> Callable[[Route], Sample]:
    """``calls`` ``acompletion()`` calls, ``concurrency`` in flight: wall time per call (1 / throughput)."""

    async def timed(route: Route) -> Sample:
        with collector_off():
            cpu = time.process_time()
            start = time.perf_counter()
            latencies = await _burst(route, calls, concurrency)
            wall = time.perf_counter() - start
            await adrain()
            cpu = time.process_time() - cpu
        return Sample(
            wall / calls, cpu / calls, {"p50": quantile(latencies, 0.5), "p99": quantile(latencies, 0.99)}
        )

    return lambda route: loop.run_until_complete(timed(route))


# ------------------------------------------------------------------------------------------- streams ---
def _stream_sample(timings: list[tuple[float, float, int]], cpu: float) -> Sample:
    for _, _, count in timings:
        if count < 200:
            raise RuntimeError(f"a stream delivered {count} chunks, not 200")
    return Sample(
        statistics.median(last for _, last, _ in timings),
        cpu / len(timings),
        {"first": statistics.median(first for first, _, _ in timings)},
    )


def sync_streams(streams: int) -> Callable[[Route], Sample]:
    """Sequential 200-chunk streams: median time to the last chunk (and to the first)."""

    def one(route: Route) -> Sample:
        with collector_off():
            cpu = time.process_time()
            timings = [timed_stream(route) for _ in range(streams)]
            drain_threads()
            cpu = time.process_time() - cpu
        return _stream_sample(timings, cpu)

    return one


def async_streams(loop: asyncio.AbstractEventLoop, streams: int) -> Callable[[Route], Sample]:
    """The same through ``acompletion(stream=True)``, one stream at a time, in the shared loop."""

    async def timed(route: Route) -> Sample:
        with collector_off():
            cpu = time.process_time()
            timings = [await atimed_stream(route) for _ in range(streams)]
            await adrain()
            cpu = time.process_time() - cpu
        return _stream_sample(timings, cpu)

    return lambda route: loop.run_until_complete(timed(route))
