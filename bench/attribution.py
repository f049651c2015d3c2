"""Whose code a call spends its time in, by the file each profiled function lives in.

``cProfile``'s *self* time (``tottime``) of every function is summed by the package that owns the
function's file. "Ours" is only what is defined under ``litellm_gmi/``: a LiteLLM method our config
inherits or calls through ``super()`` (``OpenAIGPTConfig.transform_request``, say) counts as LiteLLM's,
because that is where its time goes whichever route runs it. C functions (``json.loads``, ``len``)
report no file and form their own group. The profiler slows every Python call by a similar amount, so
the per-call figures are inflated; the shares are what to read. Only the calling thread is profiled:
LiteLLM's logging threads are not in it (the CPU column of the timed runs includes them).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
from pathlib import Path
from typing import Any

import litellm

import litellm_gmi
from bench.control import collector_off
from bench.routes import Route

OURS = "litellm_gmi"
_OWNERS = (
    (str(Path(litellm_gmi.__file__).resolve().parent), OURS),
    (str(Path(litellm.__file__).resolve().parent), "litellm"),
)
_PACKAGES = {
    "openai": "openai SDK",
    "httpx": "httpx / httpcore / aiohttp",
    "httpcore": "httpx / httpcore / aiohttp",
    "h11": "httpx / httpcore / aiohttp",
    "anyio": "httpx / httpcore / aiohttp",
    "aiohttp": "httpx / httpcore / aiohttp",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic",
}
C_FUNCTIONS = "C functions"
OTHER = "stdlib and other"


def owner(filename: str) -> str:
    """The group a profiled function's file belongs to."""
    if filename == "~" or filename.startswith("<"):
        return C_FUNCTIONS
    resolved = str(Path(filename).resolve())
    for prefix, name in _OWNERS:
        if resolved.startswith(prefix):
            return name
    parts = Path(resolved).parts
    if "site-packages" in parts:
        package = parts[parts.index("site-packages") + 1]
        return _PACKAGES.get(package, OTHER)
    return OTHER


PROVIDER = "provider call"
SEND = "HTTP send"
_PROVIDER_ENTRIES = (
    # litellm_gmi's CustomLLM entry points, and LiteLLM's OpenAI handler that the built-in row runs.
    (f"{Path(litellm_gmi.__file__).resolve().parent}/provider.py", ("completion", "acompletion")),
    (f"{Path(litellm.__file__).resolve().parent}/llms/openai/openai.py", ("completion", "acompletion")),
)


def _cumulative(stats: dict[tuple[str, int, str], Any], path_end: str, names: tuple[str, ...]) -> float:
    return sum(
        cumtime
        for (filename, _, function), (_, _, _, cumtime, _) in stats.items()
        if function in names and str(Path(filename).resolve()).endswith(path_end)
    )


def _by_owner(profile: cProfile.Profile, calls: int) -> dict[str, float]:
    """Self time per call by owner, plus two cumulative marks: time inside the provider's entry point
    (``PROVIDER``) and inside ``httpx``'s ``send`` (``SEND``, the request on the wire and the wait)."""
    totals: dict[str, float] = {}
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, tottime, _, _) in stats.items():
        group = owner(filename)
        totals[group] = totals.get(group, 0.0) + tottime / calls
    provider = sum(_cumulative(stats, path, names) for path, names in _PROVIDER_ENTRIES)
    send = _cumulative(stats, "httpx/_client.py", ("send",))
    return {**totals, PROVIDER: provider / calls, SEND: send / calls}


def self_time(profile: dict[str, float]) -> float:
    """The whole profiled call: the sum of every owner's self time (the marks are not owners)."""
    return sum(value for key, value in profile.items() if key not in (PROVIDER, SEND))


def sync_profile(route: Route, calls: int, *, stream: bool = False) -> dict[str, float]:
    """Profiled self seconds per ``completion()`` call (or per 200-chunk stream), by owner."""
    profile = cProfile.Profile()
    route.enter()
    try:
        with collector_off():
            profile.enable()
            for _ in range(calls):
                if stream:
                    for _ in route.stream():
                        pass
                else:
                    route.call()
            profile.disable()
    finally:
        route.leave()
    return _by_owner(profile, calls)


def async_profile(
    route: Route, loop: asyncio.AbstractEventLoop, calls: int, concurrency: int
) -> dict[str, float]:
    """Profiled self seconds per ``acompletion()`` call at ``concurrency`` in flight, by owner."""

    async def burst() -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                await route.acall()

        await asyncio.gather(*(one() for _ in range(calls)))

    profile = cProfile.Profile()
    route.enter()
    try:
        with collector_off():
            profile.enable()
            loop.run_until_complete(burst())
            profile.disable()
    finally:
        route.leave()
    return _by_owner(profile, calls)
