"""What keeps one route's figure from being another route's noise: garbage collection and deferred work.

* Garbage collection. A full collection of LiteLLM's ~340k objects takes 200-300 ms, and lands in
  whichever route happens to cross the threshold. So every route gets the same treatment: after the
  warm-up the heap is frozen once (``gc.freeze()``), and each timed burst runs with the collector off,
  after a ``gc.collect()`` that is not timed.
* Deferred work. LiteLLM finishes a call's logging after returning it: success handlers on a thread
  pool (sync) and a logging worker task in the event loop (async). CPU time is read only once that
  work has drained, so a route's CPU figure holds its own callbacks and not the previous route's.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator
from concurrent.futures import wait
from contextlib import contextmanager
from typing import Any


def _noop() -> None:
    return None


def drain_threads(timeout: float = 5.0) -> None:
    """Wait until LiteLLM's logging thread pool has run everything submitted so far (FIFO queue)."""
    try:
        from litellm.litellm_core_utils.thread_pool_executor import executor
    except ImportError:  # pragma: no cover - a LiteLLM without the shared pool
        return
    workers = getattr(executor, "_max_workers", 1)
    wait([executor.submit(_noop) for _ in range(workers)], timeout=timeout)


async def adrain(timeout: float = 5.0) -> None:
    """Wait until LiteLLM's async logging worker has an empty queue, then drain the thread pool too."""
    try:
        from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER as worker
    except ImportError:  # pragma: no cover - releases before the worker
        worker = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queue: Any = getattr(worker, "_queue", None)
        if queue is None or queue.empty():
            break
        await asyncio.sleep(0.002)
    for _ in range(3):  # let the tasks the last items scheduled run
        await asyncio.sleep(0)
    drain_threads(timeout)


def freeze_heap() -> None:
    """After the warm-up: move everything alive into the permanent generation, once, for all routes."""
    gc.collect()
    gc.freeze()


@contextmanager
def collector_off() -> Iterator[None]:
    """A timed region with no garbage collection in it; the collection before it is not timed."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
