"""The user's catalog overlay: GMI's live figures, kept in a user cache file, never in the package.

:func:`litellm_gmi.refresh_models` and ``litellm-gmi models --write`` store what GMI's ``/v1/models``
said here; at import :mod:`litellm_gmi.catalog` loads the shipped catalog first and applies this on top,
so the live figures win. The file lives at ``$LITELLM_GMI_CATALOG`` if set, else in the platform's user
cache directory (the same places ``platformdirs.user_cache_dir("litellm_gmi")`` picks, without the
dependency):

- Linux and other Unix: ``$XDG_CACHE_HOME/litellm_gmi/catalog_overlay.json`` (``~/.cache/...``);
- macOS: ``~/Library/Caches/litellm_gmi/catalog_overlay.json``;
- Windows: ``%LOCALAPPDATA%\\litellm_gmi\\Cache\\catalog_overlay.json``.

A row priced from GMI's price list (:mod:`litellm_gmi.catalog.price_list`) also keeps both prices with the day
they were read: ``"prices": {"source": URL, "current": {"date": ..., <fields>}, "list": {"date": ...,
<fields>}}``. Its top-level prices and tier keys are the current ones, which LiteLLM's cost map gets.

A missing overlay is normal; an unusable one is logged once (one warning) and ignored, and the shipped
catalog is used, so a bad cache file can never break ``import litellm_gmi`` (issue 21, item 5). Unusable
means unreadable, not UTF-8 (PowerShell's ``>`` writes UTF-16), not JSON, nested deeper than
:data:`MAX_DEPTH` (a file nested 100,000 deep made ``json.loads`` raise ``RecursionError``), not an
overlay, or holding a figure that is not a finite number (``Infinity``, ``NaN``, ``1e999``).
"""

from __future__ import annotations

import logging
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litellm_gmi import json_limits
from litellm_gmi.catalog.model_refresh import (
    FIGURES,
    LIVE_SOURCE,
    TIER_KEY,
    LiveModel,
    PriceRecord,
    Prices,
    parse_entry,
    write_document,
)
from litellm_gmi.catalog.path import catalog_path

OVERLAY_ENV = "LITELLM_GMI_CATALOG"
"""Path of the overlay file, overriding the user cache directory."""
OVERLAY_FILENAME = "catalog_overlay.json"
OVERLAY_VERSION = 1
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects read; an overlay as written is 3 deep."""
_APP = "litellm_gmi"

logger = logging.getLogger("litellm_gmi")


@dataclass(frozen=True)
class Overlay:
    """What one refresh read from GMI: the models, the day, and the API base it asked."""

    models: tuple[LiveModel, ...]
    fetched: str
    api_base: str | None = None


def user_cache_dir() -> Path:
    """This package's directory in the platform's user cache location (see the module docstring)."""
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local or home / "AppData" / "Local") / _APP / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / _APP
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else home / ".cache") / _APP


def overlay_path() -> Path:
    """Where the overlay is read from and written to by default: ``$LITELLM_GMI_CATALOG`` or the cache."""
    configured = os.environ.get(OVERLAY_ENV)
    return Path(configured).expanduser() if configured else user_cache_dir() / OVERLAY_FILENAME


def read_overlay(path: Path | None = None) -> Overlay | None:
    """The overlay at ``path`` (default :func:`overlay_path`), or ``None`` if it is absent or unusable."""
    target = path or overlay_path()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("litellm_gmi: ignoring catalog overlay %s: %s", target, exc)
        return None
    try:
        return parse_overlay(load_json(data))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        logger.warning("litellm_gmi: ignoring catalog overlay %s: %s", target, exc)
        return None


def load_json(data: bytes) -> Any:
    """``data`` as strict JSON: UTF-8, at most :data:`MAX_DEPTH` deep, no ``Infinity`` or ``NaN``.

    Raises ``ValueError`` (``UnicodeDecodeError`` for anything not UTF-8) before ``json.loads`` sees a
    document deep enough to exhaust Python's recursion limit.
    """
    return json_limits.loads(data, max_depth=MAX_DEPTH, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number an overlay may hold")


def parse_overlay(document: Any) -> Overlay:
    """An overlay document as :func:`write_overlay` writes it; raises ``ValueError`` on anything else."""
    if not isinstance(document, Mapping) or document.get("overlay_version") != OVERLAY_VERSION:
        raise ValueError(f"not a litellm_gmi catalog overlay (overlay_version {OVERLAY_VERSION} expected)")
    fetched = document.get("fetched")
    rows = document.get("models")
    if not isinstance(fetched, str) or not isinstance(rows, list):
        raise ValueError("an overlay needs 'fetched' (a date) and 'models' (a list)")
    models = tuple(model for row in rows if isinstance(row, Mapping) and (model := _row(row)) is not None)
    api_base = document.get("api_base")
    return Overlay(models=models, fetched=fetched, api_base=api_base if isinstance(api_base, str) else None)


def _row(row: Mapping[str, Any]) -> LiveModel | None:
    """One stored model; the figures were validated when written, so only their types are rechecked."""
    model = parse_entry({"id": row.get("id")})
    if model is None:
        return None
    figures = _numbers(model.id, row, FIGURES)
    tiers = tuple(_numbers(model.id, row, sorted(name for name in row if TIER_KEY.match(name))).items())
    return LiveModel(id=model.id, **figures, tiers=tiers, prices=_price_record(model.id, row.get("prices")))


def _numbers(model_id: str, row: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The non-negative numbers among ``names``; a non-finite one makes the whole overlay unusable."""
    figures = {
        name: row[name]
        for name in names
        if isinstance(row.get(name), int | float) and not isinstance(row.get(name), bool) and row[name] >= 0
    }
    for name, value in figures.items():
        if not math.isfinite(value):  # 1e999 parses as inf; a price of inf makes every cost inf
            raise ValueError(f"{model_id}: {name} is {value}, not a finite number")
    return figures


def _price_record(model_id: str, raw: Any) -> PriceRecord | None:
    if not isinstance(raw, Mapping):
        return None
    current, listed = raw.get("current"), raw.get("list")
    if not isinstance(current, Mapping) or not isinstance(listed, Mapping):
        return None
    source, date = raw.get("source"), current.get("date")
    return PriceRecord(
        source=source if isinstance(source, str) else "",
        date=date if isinstance(date, str) else "",
        current=_price_fields(model_id, current),
        list=_price_fields(model_id, listed),
    )


def _price_fields(model_id: str, block: Mapping[str, Any]) -> Prices:
    names = [name for name in block if name in FIGURES or TIER_KEY.match(name)]
    return tuple(_numbers(model_id, block, names).items())


def _stored(model: LiveModel) -> dict[str, Any]:
    """One overlay row: the figures (current prices), and both prices with their date when known."""
    row: dict[str, Any] = {"id": model.id, **{k: v for k, v in model.figures().items() if v is not None}}
    if model.prices is not None:
        record = model.prices
        row["prices"] = {
            "source": record.source,
            "current": {"date": record.date, **dict(record.current)},
            "list": {"date": record.date, **dict(record.list)},
        }
    return row


def write_overlay(
    models: Sequence[LiveModel], *, fetched: str, api_base: str | None = None, path: Path | None = None
) -> Path:
    """Store ``models`` as the overlay at ``path`` (default :func:`overlay_path`); returns the path.

    Refuses any path inside the installed package or onto the shipped catalog: those are replaced on
    every upgrade, and a refresh against a test server must never rewrite what the package ships.
    """
    target = (path or overlay_path()).expanduser()
    refuse_package_path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "overlay_version": OVERLAY_VERSION,
        "source": LIVE_SOURCE,
        "api_base": api_base,
        "fetched": fetched,
        "models": [_stored(model) for model in models],
    }
    write_document(document, target)
    return target


def refuse_package_path(target: Path) -> None:
    """Raise ``ValueError`` if ``target`` is the shipped catalog or inside the installed package."""
    resolved = target.resolve()
    package = Path(__file__).resolve().parents[1]  # litellm_gmi/, not litellm_gmi/catalog/
    if resolved == catalog_path().resolve() or resolved.is_relative_to(package):
        raise ValueError(
            f"refusing to write the catalog overlay to {target}: it is part of the installed package; "
            f"use the default ({user_cache_dir() / OVERLAY_FILENAME}), --catalog PATH or ${OVERLAY_ENV}"
        )
