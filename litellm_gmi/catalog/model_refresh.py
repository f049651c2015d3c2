"""Refreshing the catalog from GMI's live ``GET /v1/models``: tolerant parsing, diff and merge.

GMI has not published the field names it uses for context, output limit and prices
(GMI's LLM API reference, docs.gmicloud.ai/inference-engine/api-reference/llm-api-reference,
shows OpenAI's four fields only). Clients that read the live list (pgciq/pi-gmicloud-ai,
Lore-Hex/quill-router ``scripts/pricing/providers/gmi.py``) use
``context_length``, ``max_output_length`` and a ``pricing`` object of USD per token (``prompt``,
``completion``, ``input_cache_read`` or ``cache_read``, ``input_cache_write`` or ``cache_write``, as
strings or numbers), so those come first, every other known spelling is accepted too, and nothing but
``id`` is required. GMI lists a model on a promotion twice, once at a zero price (pi-gmicloud-ai): the
priced row is kept, so a promotion never makes a cost look like $0. Bare-UUID ids are custom or internal
deployments, not models to catalogue (pi-gmicloud-ai drops them too).

GMI's public price list (:mod:`litellm_gmi.catalog.price_list`) adds context tiers and a second price,
the list price, to a model: :class:`PriceRecord` keeps both with the day they were read.

The merge only touches figures the live list actually provides: flags, notes, deprecation and the
sources of untouched figures are curated by hand and survive a refresh. Pure data in, data out; no
network.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIVE_SOURCE = "GMI /v1/models"
PRICE_LIST_SOURCE = (
    "prices and tiers: GMI price list (console.gmicloud.ai/api/v1/billing/model_prices, current price)"
)
"""How a catalog entry's ``source`` names prices taken from GMI's public price list."""
TIER_KEY = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)_above_[0-9]+k?_tokens$"
)
"""LiteLLM's own tier keys, as the catalog schema allows them (``..._above_512k_tokens``)."""
FIGURES = (
    "max_input_tokens",
    "max_output_tokens",
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
)
"""The catalog fields a live listing can update, in catalog order."""

_CONTEXT_KEYS = ("context_length", "max_model_len", "context_window", "max_context_length")
_OUTPUT_KEYS = ("max_output_length", "max_output_tokens", "max_tokens", "max_completion_tokens")
_PRICE_PAIRS = (("prompt", "completion"), ("input", "output"))
_CACHE_READ_KEYS = ("input_cache_read", "cache_read")
_CACHE_WRITE_KEYS = ("input_cache_write", "cache_write")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_PER_MILLION_THRESHOLD = 0.001
"""No model costs $1,000 per 1M tokens, so a price at or above this is per 1M, below it per token."""


Prices = tuple[tuple[str, float], ...]
"""Catalog price fields and tier keys with USD-per-token values, in a stable order."""


@dataclass(frozen=True)
class PriceRecord:
    """Both prices GMI's price list gives for a model, as read on ``date`` from ``source``.

    ``current`` is what GMI shows now (possibly a promotion), ``list`` the original (list) price; each
    holds the base prices and LiteLLM-named tier keys. Which one GMI bills is not documented: the cost
    map gets ``current`` (see :mod:`litellm_gmi.catalog.price_list`).
    """

    source: str
    date: str
    current: Prices
    list: Prices


@dataclass(frozen=True)
class LiveModel:
    """What one ``/v1/models`` entry told us; ``None`` where it said nothing usable.

    ``tiers`` are LiteLLM tier keys (current prices) and ``prices`` both prices, when GMI's price list
    named the model.
    """

    id: str
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    input_cost_per_token: float | None = None
    output_cost_per_token: float | None = None
    cache_read_input_token_cost: float | None = None
    cache_creation_input_token_cost: float | None = None
    tiers: Prices = ()
    prices: PriceRecord | None = None

    def figures(self) -> dict[str, int | float | None]:
        """The values keyed by catalog field name, tier keys last."""
        return {**{name: getattr(self, name) for name in FIGURES}, **dict(self.tiers)}

    def priced(self) -> bool:
        """True when the row names a non-zero input or output price (a promo duplicate names $0)."""
        return bool(self.input_cost_per_token or self.output_cost_per_token)


@dataclass(frozen=True)
class Change:
    """One figure that differs between the catalog and the live list."""

    id: str
    field: str
    old: int | float | None
    new: int | float


@dataclass(frozen=True)
class CatalogDiff:
    """Chat models only: media models live on the request queue, not on ``/v1/models``."""

    added: tuple[LiveModel, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = field(default=())

    def is_empty(self) -> bool:
        """True when the catalog already matches the live list."""
        return not (self.added or self.removed or self.changed)


# ---------------------------------------------------------------------------------------- parsing ---
def parse_models(payload: Any) -> list[LiveModel]:
    """Entries of an OpenAI-style list (``{"data": [...]}`` or a bare list), one per id, in list order.

    Id-less and bare-UUID entries are skipped; duplicate ids are merged by :func:`dedupe`.
    """
    items = payload.get("data") if isinstance(payload, Mapping) else payload
    if not isinstance(items, list):
        return []
    parsed = (parse_entry(item) for item in items if isinstance(item, Mapping))
    return dedupe(model for model in parsed if model is not None and not _UUID.match(model.id))


def parse_entry(raw: Mapping[str, Any]) -> LiveModel | None:
    """One entry, whichever of the known spellings it uses; unknown fields are ignored."""
    model_id = raw.get("id")
    if not isinstance(model_id, str) or not model_id.strip():
        return None
    prompt, completion = _prices(raw)
    pricing = raw.get("pricing")
    cache_prices = pricing if isinstance(pricing, Mapping) else {}
    return LiveModel(
        id=model_id.strip(),
        max_input_tokens=_first_count(raw, _CONTEXT_KEYS),
        max_output_tokens=_first_count(raw, _OUTPUT_KEYS),
        input_cost_per_token=prompt,
        output_cost_per_token=completion,
        cache_read_input_token_cost=_first_price(cache_prices, _CACHE_READ_KEYS),
        cache_creation_input_token_cost=_first_price(cache_prices, _CACHE_WRITE_KEYS),
    )


def dedupe(models: Iterable[LiveModel]) -> list[LiveModel]:
    """One model per id: a priced row wins over a zero-price promo row, gaps filled from the others."""
    rows: dict[str, list[LiveModel]] = {}
    for model in models:
        rows.setdefault(model.id, []).append(model)
    return [_merge_rows(group) for group in rows.values()]


def _merge_rows(rows: list[LiveModel]) -> LiveModel:
    ranked = sorted(rows, key=lambda row: not row.priced())  # stable: list order among equals
    chosen = ranked[0]
    gaps = {
        name: next((getattr(row, name) for row in ranked[1:] if getattr(row, name) is not None), None)
        for name in FIGURES
        if getattr(chosen, name) is None
    }
    return dataclasses.replace(chosen, **{name: value for name, value in gaps.items() if value is not None})


def _first_count(raw: Mapping[str, Any], names: Iterable[str]) -> int | None:
    for name in names:
        value = _number(raw.get(name))
        if value is not None and value >= 1 and value == int(value):
            return int(value)
    return None


def _prices(raw: Mapping[str, Any]) -> tuple[float | None, float | None]:
    pricing = raw.get("pricing")
    if isinstance(pricing, Mapping):
        for prompt_key, completion_key in _PRICE_PAIRS:
            if prompt_key in pricing or completion_key in pricing:
                return _per_token(pricing.get(prompt_key)), _per_token(pricing.get(completion_key))
    return _per_token(raw.get("input_price")), _per_token(raw.get("output_price"))


def _first_price(pricing: Mapping[str, Any], names: Iterable[str]) -> float | None:
    return next((price for name in names if (price := _per_token(pricing.get(name))) is not None), None)


def _per_token(value: Any) -> float | None:
    number = _number(value)
    if number is None or number < 0:
        return None
    return number / 1_000_000 if number >= _PER_MILLION_THRESHOLD else number


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric string such as ``"0.28"`` or ``"$0.28"``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().lstrip("$").replace(",", ""))
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


# ------------------------------------------------------------------------------------------- diff ---
def diff_catalog(catalog: Mapping[str, Mapping[str, Any]], live: Sequence[LiveModel]) -> CatalogDiff:
    """Added, removed (and not yet deprecated) and changed chat models, each sorted by id."""
    chat = {model_id: entry for model_id, entry in catalog.items() if entry.get("mode") == "chat"}
    live_by_id = {model.id: model for model in live}
    added = tuple(sorted((m for m in live_by_id.values() if m.id not in catalog), key=lambda m: m.id))
    removed = tuple(sorted(i for i, e in chat.items() if i not in live_by_id and not e.get("deprecated")))
    changed = tuple(
        Change(model_id, name, chat[model_id].get(name), new)
        for model_id in sorted(set(chat) & set(live_by_id))
        for name, new in live_by_id[model_id].figures().items()
        if new is not None and not _same(chat[model_id].get(name), new)
    )
    return CatalogDiff(added=added, removed=removed, changed=changed)


def _same(old: Any, new: float) -> bool:
    return isinstance(old, int | float) and math.isclose(old, new, rel_tol=1e-9, abs_tol=0.0)


# ------------------------------------------------------------------------------------------ merge ---
def merge_catalog(document: Mapping[str, Any], live: Sequence[LiveModel], *, today: str) -> dict[str, Any]:
    """A new catalog document with the live figures applied; the input is not modified.

    Changed figures (tier keys included) are overwritten and their entry's ``source`` names the live
    list, and GMI's price list where the prices came from it; a tier the live figures do not name is
    kept, like every other figure they leave out; models GMI no
    longer lists are marked ``deprecated`` (never deleted); new models are added after the last chat
    entry with unknown figures null and every flag false, for a human to curate.
    """
    models: list[dict[str, Any]] = [dict(entry) for entry in document["models"]]
    by_id = {entry["id"]: entry for entry in models}
    diff = diff_catalog(by_id, live)
    changed_fields: dict[str, list[str]] = {}
    for change in diff.changed:
        by_id[change.id][change.field] = change.new
        changed_fields.setdefault(change.id, []).append(change.field)
    priced = {model.id for model in live if model.prices is not None}
    for model_id, names in changed_fields.items():
        entry = by_id[model_id]
        entry["source"] = _with_live_source(entry["source"], names, price_list=model_id in priced)
        entry["source_date"] = today
    for model_id in diff.removed:
        by_id[model_id]["deprecated"] = True
    last_chat = max((i for i, entry in enumerate(models) if entry.get("mode") == "chat"), default=-1)
    models[last_chat + 1 : last_chat + 1] = [new_entry(model, today=today) for model in diff.added]
    return {**document, "updated": today, "models": models}


_REQUIRED = frozenset(FIGURES) - {"cache_creation_input_token_cost"}
"""Figures every catalog entry carries, ``null`` when unknown (the schema's required fields)."""


def new_entry(model: LiveModel, *, today: str) -> dict[str, Any]:
    """A catalog entry for a model first seen on the live list: its figures, nothing assumed."""
    return {
        "id": model.id,
        "mode": "chat",
        **{name: value for name, value in model.figures().items() if value is not None or name in _REQUIRED},
        "supports_function_calling": False,
        "supports_vision": False,
        "supports_reasoning": None,
        "supports_response_schema": None,
        "supports_tool_choice": False,
        "deprecated": False,
        "replacement": None,
        "source": LIVE_SOURCE,
        "source_date": today,
    }


def _with_live_source(source: str, fields: Iterable[str], *, price_list: bool = False) -> str:
    """``source`` with one leading ``GMI /v1/models (<fields>)`` part, merged with any earlier one, and
    the price list named next when the prices came from it."""
    parts = [part.strip() for part in source.split(";") if part.strip() and part.strip() != PRICE_LIST_SOURCE]
    earlier = [part for part in parts if part.startswith(LIVE_SOURCE)]
    named = set(fields)
    for part in earlier:
        named.update(
            name.strip() for name in part[len(LIVE_SOURCE) :].strip(" ()").split(",") if name.strip()
        )
    ordered = ", ".join([*(name for name in FIGURES if name in named), *sorted(named - set(FIGURES))])
    priced = [PRICE_LIST_SOURCE] if price_list else []
    return "; ".join(
        [f"{LIVE_SOURCE} ({ordered})", *priced, *(part for part in parts if part not in earlier)]
    )


def write_document(document: Mapping[str, Any], path: Path) -> None:
    """Write a catalog or overlay document as the repo keeps JSON (2-space, trailing newline), atomically."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        if path.exists():
            Path(temp).chmod(path.stat().st_mode)  # mkstemp creates 0600
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
