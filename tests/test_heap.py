"""The opt-in heap freeze: off unless asked, collects before it freezes, once per process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from litellm_gmi import heap

_PROBE = "import gc, litellm, litellm_gmi; print(gc.get_freeze_count())"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with ``env`` and no inherited LITELLM_GMI_FREEZE_HEAP. Freezing
    this process instead would keep the test run's objects for the rest of it."""
    clean = {k: v for k, v in os.environ.items() if k != heap.FREEZE_HEAP_ENV}
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=False
    )


def _frozen_after_import(**env: str) -> int:
    done = _run(_PROBE, **env)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_import_freezes_nothing_by_default_and_litellm_when_asked() -> None:
    assert _frozen_after_import() == 0
    assert _frozen_after_import(**{heap.FREEZE_HEAP_ENV: "1"}) > 100_000  # LiteLLM's objects, ~340k


def _in_fresh_interpreter(code: str, **env: str) -> None:
    """Run ``code``, which asserts what it checks, through :func:`_run`."""
    done = _run(textwrap.dedent(code), **env)
    assert done.returncode == 0, done.stderr


def test_freeze_heap_collects_garbage_first_and_keeps_what_lives() -> None:
    _in_fresh_interpreter(
        """
        import gc, weakref
        from litellm_gmi import freeze_heap  # the README's import

        class Node:
            other = None

        garbage, alive = Node(), Node()
        garbage.other = garbage  # a cycle: only a collection frees it
        dead = weakref.ref(garbage)
        del garbage

        frozen = freeze_heap()

        assert dead() is None  # collected, not frozen forever
        assert frozen == gc.get_freeze_count() > 0
        assert not any(o is alive for o in gc.get_objects())  # out of the collector's generations
        gc.unfreeze()
        assert any(o is alive for o in gc.get_objects())
        """
    )


def test_freeze_heap_if_asked_runs_once() -> None:
    _in_fresh_interpreter(
        """
        import gc
        from litellm_gmi import heap

        heap.freeze_heap_if_asked()
        first = gc.get_freeze_count()
        gc.unfreeze()
        heap.freeze_heap_if_asked()  # a second registration in the same process
        assert first > 0
        assert gc.get_freeze_count() == 0
        """,
        **{heap.FREEZE_HEAP_ENV: "true"},
    )


@pytest.mark.parametrize("value", ["", "0", "no", "false"])
def test_freeze_heap_if_asked_is_off_otherwise(value: str) -> None:
    _in_fresh_interpreter(
        """
        import gc
        from litellm_gmi import heap

        heap.freeze_heap_if_asked()
        assert gc.get_freeze_count() == 0
        """,
        **{heap.FREEZE_HEAP_ENV: value},
    )
