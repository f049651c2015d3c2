"""The opt-in heap freeze: off unless asked, collects before it freezes, once per process."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from collections.abc import Iterator

import pytest

from litellm_gmi import heap

_PROBE = "import gc, litellm, litellm_gmi; print(gc.get_freeze_count())"


def _frozen_after_import(**env: str) -> int:
    clean = {k: v for k, v in os.environ.items() if k != heap.FREEZE_HEAP_ENV}
    out = subprocess.run(  # noqa: S603 - our own interpreter, a fixed probe
        [sys.executable, "-c", _PROBE], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1])


def test_import_freezes_nothing_by_default_and_litellm_when_asked() -> None:
    assert _frozen_after_import() == 0
    assert _frozen_after_import(**{heap.FREEZE_HEAP_ENV: "1"}) > 100_000  # LiteLLM's objects, ~340k


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(heap, "_frozen", False)
    yield
    gc.unfreeze()


class _Node:
    other: _Node | None = None


def test_freeze_heap_collects_garbage_first_and_keeps_what_lives(unfrozen: None) -> None:
    garbage, alive = _Node(), _Node()
    garbage.other = garbage  # a cycle: only a collection frees it
    dead = weakref.ref(garbage)
    del garbage

    frozen = heap.freeze_heap()

    assert dead() is None  # collected, not frozen forever
    assert frozen == gc.get_freeze_count() > 0
    assert not any(o is alive for o in gc.get_objects())  # out of the collector's generations
    gc.unfreeze()
    assert any(o is alive for o in gc.get_objects())


def test_freeze_heap_if_asked_runs_once(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(heap.FREEZE_HEAP_ENV, "true")
    heap.freeze_heap_if_asked()
    first = gc.get_freeze_count()
    gc.unfreeze()
    heap.freeze_heap_if_asked()  # a second registration in the same process
    assert first > 0
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("value", ["", "0", "no", "false"])
def test_freeze_heap_if_asked_is_off_otherwise(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(heap.FREEZE_HEAP_ENV, value)
    heap.freeze_heap_if_asked()
    assert gc.get_freeze_count() == 0
