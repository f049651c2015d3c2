"""The model catalog this package ships, the user's overlay on it, and their registration into LiteLLM.

The catalog is data the package owns (``model_catalog.json``): GMI ids with context, prices, price
tiers and capability flags, each figure with its source. A user's overlay (written by
:func:`litellm_gmi.refresh_models` from GMI's live ``/v1/models``, see :mod:`litellm_gmi.catalog.overlay`) is
applied on top, so its figures win. LiteLLM answers cost, context and capability lookups from
``litellm.model_cost``, so :func:`register_catalog` merges our rows there; they override LiteLLM's own
``gmi/`` rows because ours are newer and cover ~10x more models. The JSON is parsed once, on first use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypedDict, cast

from litellm_gmi.catalog.path import catalog_path
from litellm_gmi.constants import PROVIDER

Mode = Literal["chat", "embedding", "image", "video", "audio"]

FLAGS = (
    "supports_function_calling",
    "supports_vision",
    "supports_reasoning",
    "supports_response_schema",
    "supports_tool_choice",
)
"""Capability flags, named as in LiteLLM's cost map so they copy across unchanged."""

_COST_FIELDS = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
)
_TIER_KEY = "_above_"
"""LiteLLM's price-tier keys, e.g. ``input_cost_per_token_above_512k_tokens``, copied as they are.

LiteLLM's cost calculator (``litellm_core_utils/llm_cost_calc/utils.py``, ``_get_token_base_cost``)
reads any ``{input,output}_cost_per_token_above_<N>[k]_tokens`` and
``cache_read_input_token_cost_above_<N>[k]_tokens`` key of a model's info on 1.106.2; 1.81.1's
``get_model_info`` keeps only the 128k and 200k keys, so there other tiers are priced at the base rate
(tests/catalog/test_catalog.py pins both)."""
_LITELLM_MODES: Mapping[str, str] = {
    "chat": "chat",
    "embedding": "embedding",
    "image": "image_generation",
    "video": "video_generation",
    "audio": "audio_speech",
}


class _OptionalFields(TypedDict, total=False):
    cache_creation_input_token_cost: float | None
    output_cost_per_request: float | None
    output_cost_per_second: float | None
    supported_endpoints: list[str]
    supported_endpoints_source: str
    notes: str
    max_tokens_param: Literal["max_tokens", "max_completion_tokens"]
    max_tokens_param_source: str


class CatalogEntry(_OptionalFields):
    """One model as stored in ``model_catalog.json`` (see ``model_catalog.schema.json``)."""

    id: str
    mode: Mode
    max_input_tokens: int | None
    max_output_tokens: int | None
    input_cost_per_token: float | None
    output_cost_per_token: float | None
    cache_read_input_token_cost: float | None
    supports_function_calling: bool
    supports_vision: bool
    supports_reasoning: bool | None
    supports_response_schema: bool | None
    supports_tool_choice: bool
    deprecated: bool
    replacement: str | None
    source: str
    source_date: str


def read_document(path: Path | None = None) -> dict[str, Any]:
    """The whole catalog file (header and ``models``), uncached; the refresh CLI rewrites it."""
    data = json.loads((path or catalog_path()).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise ValueError(f"{path or catalog_path()}: not a model catalog (no 'models' list)")
    return data


@cache
def load_catalog() -> Mapping[str, CatalogEntry]:
    """Catalog entries keyed by GMI id (no ``gmi/`` prefix), the user's overlay applied; parsed once."""
    return _by_id(effective_document())


@cache
def shipped_catalog() -> Mapping[str, CatalogEntry]:
    """The shipped entries alone, without the overlay."""
    return _by_id(read_document())


@cache
def overlay_priced_ids() -> frozenset[str]:
    """Ids whose input and output prices the user's overlay holds
    (:mod:`litellm_gmi.catalog.price_source`)."""
    from litellm_gmi.catalog.overlay import read_overlay

    overlay = read_overlay()
    if overlay is None:
        return frozenset()
    return frozenset(
        model.id
        for model in overlay.models
        if model.input_cost_per_token is not None and model.output_cost_per_token is not None
    )


def effective_document(overlay_file: Path | None = None) -> dict[str, Any]:
    """The shipped catalog document with the overlay (default: the user's) merged in; uncached."""
    from litellm_gmi.catalog.model_refresh import merge_catalog
    from litellm_gmi.catalog.overlay import read_overlay

    document = read_document()
    overlay = read_overlay(overlay_file)
    if overlay is None:
        return document
    return merge_catalog(document, overlay.models, today=overlay.fetched)


def _by_id(document: Mapping[str, Any]) -> Mapping[str, CatalogEntry]:
    models = cast("list[CatalogEntry]", document["models"])
    return MappingProxyType({entry["id"]: entry for entry in models})


def supported_endpoints(model_id: str) -> tuple[str, ...]:
    """GMI endpoints that serve ``model_id`` natively, per the catalog; empty when it says nothing.

    Used to route ``/v1/messages`` and ``/v1/responses`` calls (:mod:`litellm_gmi.native.routes`); the
    catalog records the source of each list.
    """
    entry = load_catalog().get(model_id.removeprefix(f"{PROVIDER}/"))
    return tuple(entry.get("supported_endpoints", ())) if entry is not None else ()


def litellm_row(entry: CatalogEntry) -> dict[str, Any]:
    """One cost-map row in LiteLLM's field names.

    Unknown (null) figures are left out rather than written as ``None``: LiteLLM multiplies costs
    without checking, and an absent key lets a built-in figure stand instead of erasing it.
    """
    row: dict[str, Any] = {"litellm_provider": PROVIDER, "mode": _LITELLM_MODES[entry["mode"]]}
    figures: dict[str, Any] = {
        "max_input_tokens": entry["max_input_tokens"],
        "max_output_tokens": entry["max_output_tokens"],
        "max_tokens": entry["max_output_tokens"],
    }
    figures.update({name: entry.get(name) for name in _COST_FIELDS})
    figures.update({name: value for name, value in entry.items() if _TIER_KEY in name})
    per_request = entry.get("output_cost_per_request")
    per_second = entry.get("output_cost_per_second")
    if entry["mode"] == "image":
        figures["output_cost_per_image"] = per_request
    elif entry["mode"] == "video":
        figures["output_cost_per_video_per_second"] = per_second
        figures["output_cost_per_second"] = per_second
    if per_request is not None:
        figures["output_cost_per_request"] = per_request
    row.update({name: value for name, value in figures.items() if value is not None})
    flags = {flag: entry.get(flag) for flag in FLAGS}
    row.update({flag: value for flag, value in flags.items() if value is not None})
    if entry.get("supported_endpoints"):
        row["supported_endpoints"] = list(entry["supported_endpoints"])
    if entry["mode"] == "chat":
        row["supports_system_messages"] = True
    if entry["deprecated"]:
        row["deprecated"] = True
    return row


def litellm_cost_map() -> dict[str, dict[str, Any]]:
    """The whole catalog as LiteLLM cost-map rows, keyed ``gmi/<id>``."""
    return {f"{PROVIDER}/{model_id}": litellm_row(entry) for model_id, entry in load_catalog().items()}


_registered: dict[str, dict[str, Any]] | None = None


def register_catalog() -> None:
    """Merge the catalog into ``litellm.model_cost`` so lookups answer from it; idempotent.

    The rows are written in one pass (:func:`litellm_gmi.litellm_seams.cost_map.write_rows`), not through
    ``litellm.register_model``, which spends ~0.2 ms a row on a lookup we do not need. A second call is
    a no-op unless something (e.g. a late remote cost-map download on releases without replay) replaced
    our rows in between.
    """
    # Imported here, not above: importing any catalog module (the CLI's light ones) must not load LiteLLM.
    import litellm

    from litellm_gmi.litellm_seams import write_cost_rows

    global _registered  # noqa: PLW0603 - one registration per process
    if _registered is not None and all(
        litellm.model_cost.get(key, {}).get("litellm_provider") == PROVIDER
        and all(litellm.model_cost[key].get(name) == value for name, value in row.items())
        for key, row in _registered.items()
    ):
        return
    mapping = litellm_cost_map()
    write_cost_rows(mapping)
    _registered = mapping


def reload_catalog() -> None:
    """Read the catalog and overlay again and re-register them, e.g. after a refresh wrote a new overlay."""
    global _registered  # noqa: PLW0603
    load_catalog.cache_clear()
    overlay_priced_ids.cache_clear()
    _registered = None
    register_catalog()
