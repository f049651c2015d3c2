"""Memory over thousands of calls: does anything a call leaves behind accumulate?

Measured without tracing (tracemalloc slows a LiteLLM call ~5x): after ``gc.collect()`` at checkpoints,
the number of blocks Python's allocator holds (``sys.getallocatedblocks``, which counts every live
object and buffer) and the process's resident set. The first checkpoint comes after a warm-up, so
caches that fill once (clients, compiled schemas, LiteLLM's model-info caches) are not counted as growth.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass

from bench.control import drain_threads
from bench.routes import Route


@dataclass(frozen=True)
class MemoryResult:
    calls: int
    blocks: list[int]
    """Allocated blocks at each checkpoint (the first right after the warm-up)."""
    rss_mb: list[float]

    @property
    def blocks_per_call(self) -> float:
        """Blocks still held per call between the second checkpoint and the last."""
        span = self.calls * (len(self.blocks) - 2) / (len(self.blocks) - 1)
        return (self.blocks[-1] - self.blocks[1]) / span if span else 0.0


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _checkpoint(blocks: list[int], rss: list[float]) -> None:
    drain_threads()
    gc.collect()
    blocks.append(sys.getallocatedblocks())
    rss.append(_rss_mb())


def memory_growth(route: Route, calls: int, warmup: int, checkpoints: int = 5) -> MemoryResult:
    """``calls`` sequential calls after ``warmup``, with ``checkpoints`` measurements spread over them."""
    blocks: list[int] = []
    rss: list[float] = []
    route.enter()
    try:
        for _ in range(warmup):
            route.call()
        _checkpoint(blocks, rss)
        for _ in range(checkpoints):
            for _ in range(calls // checkpoints):
                route.call()
            _checkpoint(blocks, rss)
    finally:
        route.leave()
    return MemoryResult(calls, blocks, rss)
