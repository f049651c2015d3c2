"""What a media job costs, from the shipped catalog, for ``_hidden_params["response_cost"]``.

GMI bills media per request (or per image) or per second of output; many prices are unpublished, and
then the cost is ``None`` rather than a guess.
"""

from __future__ import annotations

from litellm_gmi.catalog import load_catalog


def media_cost(model: str, *, outputs: int = 1, seconds: float | None = None) -> float | None:
    """Per-request price x ``outputs`` (images), else per-second price x ``seconds``, else ``None``."""
    entry = load_catalog().get(model)
    if entry is None:
        return None
    per_request = entry.get("output_cost_per_request")
    if per_request is not None:
        return float(per_request) * max(outputs, 1)
    per_second = entry.get("output_cost_per_second")
    if per_second is not None and seconds:
        return float(per_second) * seconds
    return None
