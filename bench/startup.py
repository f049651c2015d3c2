"""Start-up costs, each in fresh interpreters: ``import litellm_gmi`` after ``import litellm``, and the CLI.

Bytecode caching is switched back on for these children (``PYTHONDONTWRITEBYTECODE`` removed) and one
untimed run goes first, so the figures are those of an installed package, not of compiling its source.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_IMPORT_PROBE = """
import time
t0 = time.perf_counter()
import litellm
t1 = time.perf_counter()
import litellm_gmi
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""
_ALONE_PROBE = """
import sys, time
t0 = time.perf_counter()
import litellm_gmi
print(time.perf_counter() - t0, "litellm" in sys.modules)
"""
_GC_PROBE = """
import gc, time
import litellm, litellm_gmi
def full():
    t = time.perf_counter()
    gc.collect()
    return time.perf_counter() - t
full()
before = sorted(full() for _ in range(5))[2]
frozen = litellm_gmi.freeze_heap()
after = sorted(full() for _ in range(5))[2]
print(before, after, frozen)
"""


@dataclass(frozen=True)
class Spread:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self, scale: float, unit: str, digits: int = 1) -> str:
        low, mid, high = (v * scale for v in (min(self.values), self.median, max(self.values)))
        return f"{mid:.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f})"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def _probe(env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", _IMPORT_PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def import_cost(runs: int) -> dict[str, Spread]:
    """Seconds of ``import litellm``; seconds ``import litellm_gmi`` adds, registering and not; and
    seconds of ``import litellm_gmi`` alone, before LiteLLM is loaded (it then registers when it is)."""
    registering, bare = _env(), _env(LITELLM_GMI_AUTO_REGISTER="0")
    _probe(registering)
    out: dict[str, list[float]] = {"litellm": [], "ours": [], "ours_noreg": []}
    for index in range(runs):
        for env in (registering, bare) if index % 2 == 0 else (bare, registering):
            litellm_s, ours_s = _probe(env)
            if env is registering:
                out["litellm"].append(litellm_s)
                out["ours"].append(ours_s)
            else:
                out["ours_noreg"].append(ours_s)
    out["alone"] = [_alone(registering) for _ in range(runs)]
    return {name: Spread(values) for name, values in out.items()}


def _alone(env: dict[str, str]) -> float:
    """Seconds of ``import litellm_gmi`` in an interpreter that has not loaded LiteLLM (it must not)."""
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", _ALONE_PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    if out[1] != "False":
        raise RuntimeError("`import litellm_gmi` loaded LiteLLM")
    return float(out[0])


def help_command() -> list[str]:
    """``litellm-gmi --help`` as installed beside this interpreter (what users type)."""
    script = Path(sys.executable).with_name("litellm-gmi")
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("litellm-gmi")
    if found:
        return [found, "--help"]
    return [sys.executable, "-c", "from litellm_gmi.cli import main; main()", "--help"]


def help_cost(runs: int) -> Spread:
    """Wall seconds of ``litellm-gmi --help``, start to exit."""
    command, env = help_command(), _env()
    subprocess.run(command, env=env, capture_output=True, check=True)  # noqa: S603 - fixed command
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)  # noqa: S603
        values.append(time.perf_counter() - start)
    return Spread(values)


def gc_pause(runs: int) -> tuple[Spread, Spread, int]:
    """Seconds of a full collection once LiteLLM and litellm_gmi are loaded, before and after
    :func:`litellm_gmi.freeze_heap` (the opt-in ``LITELLM_GMI_FREEZE_HEAP=1``), and how many it froze."""
    before, after, frozen = [], [], 0
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", _GC_PROBE], env=_env(), capture_output=True, text=True, check=True
        ).stdout.split()
        before.append(float(out[0]))
        after.append(float(out[1]))
        frozen = int(out[2])
    return Spread(before), Spread(after), frozen
