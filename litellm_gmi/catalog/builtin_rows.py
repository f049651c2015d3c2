"""The installed LiteLLM's own ``gmi/`` rows, and where our catalog disagrees with them.

LiteLLM ships a ``gmi`` provider with its own cost-map rows (16 up to 1.109, 119 in 1.110, most citing
GMI's public artifacts feed ``https://ie-api.gmicloud.ai/v1/artifact/get_public_artifacts``). Our
catalog overrides them at registration (:mod:`litellm_gmi.catalog`), so a disagreement is silent in
``litellm.model_cost``; ``litellm-gmi models --diff`` prints it from here.

The rows are read from the cost map the LiteLLM wheel ships,
``litellm/model_prices_and_context_window_backup.json`` (a PRIVATE data file, present in every
supported release; LiteLLM reads it when ``LITELLM_LOCAL_MODEL_COST_MAP`` is set), not from
``litellm.model_cost``, where ours have replaced them. If a release drops the file,
:func:`builtin_gmi_rows` warns, naming it, and returns nothing.
Pure data otherwise; no network.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from litellm_gmi.constants import PROVIDER

BACKUP_FILE = "model_prices_and_context_window_backup.json"
COMPARED = (
    "max_input_tokens",
    "max_output_tokens",
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
)
"""The figures both sides carry, compared where LiteLLM's row has one."""

logger = logging.getLogger("litellm_gmi")


@dataclass(frozen=True)
class Disagreement:
    """One figure on which the catalog and LiteLLM's row differ (``ours`` ``None``: the catalog has none)."""

    id: str
    field: str
    ours: float | None
    theirs: float


@dataclass(frozen=True)
class BuiltinDiff:
    """Our chat catalog against LiteLLM's ``gmi/`` rows."""

    shared: int
    disagreements: tuple[Disagreement, ...]
    only_litellm: tuple[str, ...]


def builtin_gmi_rows() -> dict[str, dict[str, Any]]:
    """LiteLLM's shipped ``gmi/`` rows keyed by GMI id (no prefix); empty, with a warning, if unreadable."""
    try:
        text = resources.files("litellm").joinpath(BACKUP_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        logger.warning(
            "litellm_gmi: cannot read LiteLLM's shipped cost map (litellm/%s, a private file): %s; "
            "LiteLLM's gmi/ rows are not compared",
            BACKUP_FILE,
            exc,
        )
        return {}
    prefix = f"{PROVIDER}/"
    return {
        key.removeprefix(prefix): dict(row)
        for key, row in data.items()
        if key.startswith(prefix) and isinstance(row, dict)
    }


def diff_builtin(
    catalog: Mapping[str, Mapping[str, Any]], builtin: Mapping[str, Mapping[str, Any]]
) -> BuiltinDiff:
    """Where ``catalog`` (our entries by id) and LiteLLM's rows differ; chat rows only, sorted by id."""
    chat = {model_id: row for model_id, row in builtin.items() if row.get("mode", "chat") == "chat"}
    shared = sorted(set(chat) & set(catalog))
    disagreements = tuple(
        Disagreement(model_id, name, catalog[model_id].get(name), theirs)
        for model_id in shared
        for name in COMPARED
        if isinstance(theirs := chat[model_id].get(name), int | float)
        and not _same(catalog[model_id].get(name), theirs)
    )
    return BuiltinDiff(len(shared), disagreements, tuple(sorted(set(chat) - set(catalog))))


def _same(ours: Any, theirs: float) -> bool:
    return isinstance(ours, int | float) and math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=0.0)


def format_builtin_diff(diff: BuiltinDiff, version: str) -> str:
    """One ``L~`` line per disagreeing figure and one ``L+`` line per id only LiteLLM lists, then a count
    (``L`` keeps them apart from the live diff's ``~``/``+``/``-`` lines)."""
    lines = [f"LiteLLM {version}'s own gmi/ rows against the catalog (prices per 1M tokens):"]
    lines += [
        f"L~ {d.id}  {d.field}: catalog {_figure(d.field, d.ours)}, LiteLLM {_figure(d.field, d.theirs)}"
        for d in diff.disagreements
    ]
    lines += [f"L+ {model_id}  (LiteLLM lists it; the catalog does not)" for model_id in diff.only_litellm]
    models = len({d.id for d in diff.disagreements})
    lines.append(
        f"{diff.shared} shared, {models} disagree, {len(diff.only_litellm)} only in LiteLLM"
        if diff.disagreements or diff.only_litellm
        else f"{diff.shared} shared, catalog matches LiteLLM's gmi/ rows"
    )
    return "\n".join(lines)


def _figure(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    return f"${value * 1_000_000:.4g}/M" if "cost" in name else str(int(value))
