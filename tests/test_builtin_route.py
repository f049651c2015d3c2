"""Our side of every row of the comparison with LiteLLM's built-in ``gmi`` row.

The rows live in ``tests/builtin_route_report.py``, which also measures the built-in route into
``docs/builtin-route.md``. Only this package's behaviour is asserted here, on every release: LiteLLM's
own route changes when LiteLLM changes, and that is reported, never tested.
"""

from __future__ import annotations

import pytest
from builtin_route_report import ROWS, Row

from fault_server import FaultServer


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_our_route_does_what_the_comparison_says(row: Row, fault_gmi: FaultServer) -> None:
    observed = row.measure("ours", fault_gmi)
    assert row.holds(observed), f"{row.label}: {observed!r}, the comparison says {row.ours!r}"
