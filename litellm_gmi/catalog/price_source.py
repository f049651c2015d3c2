"""Which source priced a ``gmi/`` call: the shipped catalog, the user's overlay, LiteLLM's map, or none.

Every response (and, on LiteLLM >= 1.89, every streamed chunk) carries
``_hidden_params["gmi_price_source"]`` with one of:

- ``"overlay"``: the price LiteLLM uses is the one the user's overlay holds (written by
  ``litellm-gmi models --write`` / :func:`litellm_gmi.refresh_models` from GMI's live list and price list);
- ``"catalog"``: it is the one the shipped ``model_catalog.json`` holds;
- ``"litellm"``: our catalog has no price for the model (or holds another one), and LiteLLM's cost map
  does: LiteLLM's own ``gmi/`` row (1.110 ships 119), ``litellm.register_model`` or a proxy entry's
  ``model_info``;
- ``"unknown"``: no input and output price anywhere; LiteLLM would count the call as $0
  (:mod:`litellm_gmi.catalog.unpriced` warns and sets ``gmi_price_unknown``).

The decision reads the row LiteLLM prices from, ``litellm.model_cost["gmi/<model>"]`` (public), and
credits our catalog or overlay only when that row's prices are theirs. A $0 price counts only when the
catalog or overlay records it: LiteLLM 1.81's ``register_model`` writes 0 for every price a row leaves
out, so there a registered 0 and "unknown" look the same.
"""

from __future__ import annotations

import math
from typing import Final, Literal

import litellm

from litellm_gmi.constants import PROVIDER

PRICE_SOURCE: Final = "gmi_price_source"
"""The ``_hidden_params`` key naming the source of a call's price."""

Source = Literal["catalog", "overlay", "litellm", "unknown"]
SOURCES: Final[tuple[Source, ...]] = ("catalog", "overlay", "litellm", "unknown")


def price_source(model: str) -> Source:
    """The source of the price LiteLLM will charge for ``gmi/<model>`` (see the module docstring)."""
    from litellm_gmi.catalog import load_catalog, overlay_priced_ids

    row = litellm.model_cost.get(f"{PROVIDER}/{model}")
    if not isinstance(row, dict):
        return "unknown"
    charged = _prices(row.get("input_cost_per_token"), row.get("output_cost_per_token"))
    if charged is None:
        return "unknown"
    entry = load_catalog().get(model)
    ours = None if entry is None else _prices(entry["input_cost_per_token"], entry["output_cost_per_token"])
    if ours is not None and all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0) for a, b in zip(charged, ours, strict=True)
    ):
        return "overlay" if model in overlay_priced_ids() else "catalog"
    return "litellm" if any(charged) else "unknown"


def _prices(prompt: object, completion: object) -> tuple[float, float] | None:
    """Both prices as numbers, or ``None`` when either is missing."""
    if isinstance(prompt, int | float) and isinstance(completion, int | float):
        return float(prompt), float(completion)
    return None
