"""The timing loops. Routes are interleaved round by round so that background load hits all of them alike."""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field

from bench.routes import Route, timed_stream


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _rounds(routes: list[Route], rounds: int, body: object) -> None:
    """Run ``body(route, round_index)`` for each route in each round, alternating the order each round."""
    for index in range(rounds):
        order = routes if index % 2 == 0 else list(reversed(routes))
        for route in order:
            route.enter()
            try:
                body(route, index)  # type: ignore[operator]
            finally:
                route.leave()


# ------------------------------------------------------------------------------------------- sync ---
def sync_latency(routes: list[Route], calls: int, rounds: int, warmup: int) -> dict[str, float]:
    """Median milliseconds per sequential call."""
    samples: dict[str, list[float]] = {r.name: [] for r in routes}

    def body(route: Route, index: int) -> None:
        if index == 0:
            for _ in range(warmup):
                route.call()
        for _ in range(calls):
            start = time.perf_counter()
            route.call()
            samples[route.name].append(time.perf_counter() - start)

    _rounds(routes, rounds, body)
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


# ------------------------------------------------------------------------------------------ async ---
@dataclass
class AsyncResult:
    throughput: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "rps": statistics.median(self.throughput),
            "p50": _quantile(self.latencies, 0.50) * 1000,
            "p99": _quantile(self.latencies, 0.99) * 1000,
        }


async def _burst(route: Route, calls: int, concurrency: int, result: AsyncResult | None) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            start = time.perf_counter()
            await route.acall()
            if result is not None:
                result.latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(calls)))
    if result is not None:
        result.throughput.append(calls / (time.perf_counter() - start))


def async_throughput(
    routes: list[Route], calls: int, concurrency: int, rounds: int, loop: asyncio.AbstractEventLoop
) -> dict[str, dict[str, float]]:
    """Calls per second and per-call p50/p99 with ``concurrency`` calls in flight, one event loop."""
    results = {r.name: AsyncResult() for r in routes}

    def body(route: Route, index: int) -> None:
        if index == 0:  # opens the pool's connections and fills LiteLLM's client caches
            loop.run_until_complete(_burst(route, concurrency * 2, concurrency, None))
        loop.run_until_complete(_burst(route, calls, concurrency, results[route.name]))

    _rounds(routes, rounds, body)
    return {name: result.summary() for name, result in results.items()}


# -------------------------------------------------------------------------------------- streaming ---
def streaming(routes: list[Route], streams: int, rounds: int) -> dict[str, dict[str, float]]:
    """Median milliseconds to the first and to the last of 200 content chunks."""
    firsts: dict[str, list[float]] = {r.name: [] for r in routes}
    lasts: dict[str, list[float]] = {r.name: [] for r in routes}

    def body(route: Route, index: int) -> None:
        if index == 0:
            timed_stream(route)
        for _ in range(streams):
            first, last, count = timed_stream(route)
            if count < 200:
                raise RuntimeError(f"{route.name} streamed {count} chunks")
            firsts[route.name].append(first)
            lasts[route.name].append(last)

    _rounds(routes, rounds, body)
    return {
        name: {"first": statistics.median(firsts[name]) * 1000, "last": statistics.median(lasts[name]) * 1000}
        for name in firsts
    }


# ----------------------------------------------------------------------------------------- import ---
_IMPORT_PROBE = """
import time
t0 = time.perf_counter()
import litellm
t1 = time.perf_counter()
import litellm_gmi
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def import_cost(runs: int) -> dict[str, float]:
    """Median seconds of ``import litellm`` and milliseconds of ``import litellm_gmi`` on top, each run in
    a fresh interpreter; also the same with ``LITELLM_GMI_AUTO_REGISTER=0`` (import without registering)."""
    out: dict[str, list[float]] = {"litellm_s": [], "ours_ms": [], "ours_noreg_ms": []}
    for index in range(runs):
        for auto in ("1", "0") if index % 2 == 0 else ("0", "1"):
            env = {**os.environ, "LITELLM_GMI_AUTO_REGISTER": auto}
            text = subprocess.run(  # noqa: S603 - our own interpreter
                [sys.executable, "-c", _IMPORT_PROBE], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            if auto == "1":
                out["litellm_s"].append(float(text[0]))
                out["ours_ms"].append(float(text[1]) * 1000)
            else:
                out["ours_noreg_ms"].append(float(text[1]) * 1000)
    return {name: statistics.median(values) for name, values in out.items()}


_ALONE_PROBE = """
import sys, time
t0 = time.perf_counter()
import litellm_gmi
print(time.perf_counter() - t0, "litellm" in sys.modules)
"""


def cli_cost(runs: int) -> dict[str, float]:
    """Median milliseconds of ``import litellm_gmi`` before LiteLLM is loaded, and of a whole
    ``litellm-gmi --help`` process (interpreter start included), each in a fresh interpreter."""
    alone: list[float] = []
    help_ms: list[float] = []
    for _ in range(runs):
        text = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", _ALONE_PROBE], capture_output=True, text=True, check=True
        ).stdout.split()
        if text[1] != "False":
            raise RuntimeError("`import litellm_gmi` loaded LiteLLM")
        alone.append(float(text[0]) * 1000)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "litellm_gmi.cli", "--help"], capture_output=True, check=True)
        help_ms.append((time.perf_counter() - start) * 1000)
    return {"alone_ms": statistics.median(alone), "cli_help_ms": statistics.median(help_ms)}


# ----------------------------------------------------------------------------------------- memory ---
@dataclass
class MemoryResult:
    traced_mb: float
    rss_mb: float
    top: list[str]


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory_growth(route: Route, calls: int, warmup: int) -> MemoryResult:
    """Bytes still allocated (tracemalloc, after ``gc.collect()``) and RSS growth over ``calls`` calls.

    One traceback frame per allocation: tracing slows a LiteLLM call ~5x with one frame, ~20x with eight.
    """
    route.enter()
    try:
        for _ in range(warmup):
            route.call()
        gc.collect()
        tracemalloc.start(1)
        before = tracemalloc.take_snapshot()
        rss = _rss_mb()
        for _ in range(calls):
            route.call()
        gc.collect()
        after = tracemalloc.take_snapshot()
        rss = _rss_mb() - rss
        traced = sum(s.size_diff for s in after.compare_to(before, "filename"))
        top = [
            f"{s.size_diff / 1024:+.0f} KiB {s.traceback[0].filename}:{s.traceback[0].lineno}"
            for s in after.compare_to(before, "lineno")[:3]
        ]
        tracemalloc.stop()
    finally:
        route.leave()
    return MemoryResult(traced / 1024**2, rss, top)
