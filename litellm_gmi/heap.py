"""Opt-in heap freeze for long-running processes: ``LITELLM_GMI_FREEZE_HEAP=1``, or :func:`freeze_heap`.

A process that has imported LiteLLM holds some 340k objects that live as long as it does: modules,
pydantic models, the cost map. Every full garbage collection walks them all, holding the GIL for tens
to hundreds of milliseconds, and the pause lands on whichever request happens to cross the collector's
threshold (``python -m bench --only startup`` measures it). ``gc.freeze()`` moves everything alive into
the permanent generation, which collections skip, so later pauses only walk what the process allocated
since. In a pre-fork server (gunicorn's ``--preload``) it also keeps the collector from writing to, and
so copying, the pages the workers share.

Off by default, because of the trade-off: whatever is alive at that moment is kept for the life of the
process, even once nothing refers to it (a cache replaced later, a reloaded config). Garbage present at
that moment would be kept forever too, so a full collection runs first.
"""

from __future__ import annotations

import gc
import os
from typing import Final

FREEZE_HEAP_ENV: Final = "LITELLM_GMI_FREEZE_HEAP"

_frozen = False


def freeze_heap() -> int:
    """Collect, then move every object alive into the permanent generation; returns how many are there.

    Call it once, when start-up is done (after imports, config and clients), not per request.
    """
    global _frozen  # noqa: PLW0603
    gc.collect()
    gc.freeze()
    _frozen = True
    return gc.get_freeze_count()


def freeze_heap_if_asked() -> None:
    """:func:`freeze_heap` once per process, when ``LITELLM_GMI_FREEZE_HEAP`` is ``1``/``true``/``yes``."""
    if not _frozen and os.environ.get(FREEZE_HEAP_ENV, "").strip().lower() in {"1", "true", "yes"}:
        freeze_heap()
