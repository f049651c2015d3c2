"""Writing catalog rows into LiteLLM's cost map in one pass, instead of through ``litellm.register_model``.

``register_model`` runs a full ``get_model_info`` for every row before merging it (to copy LiteLLM's
derived defaults into the stored entry), which made ``import litellm_gmi`` spend ~24 ms on 114 rows. The
lookups LiteLLM answers from the cost map (``get_model_info``, ``completion_cost``, ``cost_per_token``,
the ``supports_*`` helpers) derive those defaults again on every call, so the merged copy buys nothing.
:func:`write_rows` keeps exactly the parts of ``register_model`` (1.81.1, 1.106.2, 1.109.1) that a lookup
or a later cost-map reload depends on:

1. the row is merged into ``litellm.model_cost[key]`` with ``dict.update``, so a figure the row leaves
   out keeps LiteLLM's own value (public attribute); an unknown output limit is stored as ``None``, as
   the merge did, because ``litellm.get_max_tokens`` reads the raw ``max_output_tokens`` and raises
   without it (the only lookup that told the two apart, over every catalog row on 1.81.1 and 1.106.2);
2. LiteLLM's case-insensitive key index and its model-info caches are dropped once for the batch, with
   PRIVATE ``litellm.utils._invalidate_model_cost_lowercase_map`` (all supported releases);
3. where LiteLLM replays registrations after adopting a freshly downloaded cost map (1.106.2 on,
   ``reapply_runtime_model_cost_registrations``), the row is recorded in PRIVATE
   ``litellm.utils._runtime_registered_model_cost``, so a late download does not erase it. 1.81.1 has no
   replay; there a download that lands after import replaces the map and our rows with it, exactly as
   it would after ``register_model``.

Skipped because no ``gmi/`` lookup reads them: the per-provider model-name sets (none exists for
``gmi``) and 1.106.2's ``_registered_pricing_fields`` (read only for Bedrock).
tests/litellm_seams/test_cost_map.py pins every internal named here.

Checked at registration (:mod:`.registry`): both private names are probed, and a missing one is
named in a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import litellm


def write_rows(rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Merge ``{"gmi/<id>": row}`` into ``litellm.model_cost`` so LiteLLM's lookups answer from it."""
    cost_map = litellm.model_cost
    for key, row in rows.items():
        entry = cost_map.setdefault(key, {})
        entry.update(row)
        if "max_output_tokens" not in entry:
            # ``get_max_tokens`` reads this raw key and says "isn't mapped" without it (1.109.1 ignores
            # ``max_tokens``); register_model's merge stored the derived value, None when unknown.
            entry["max_output_tokens"] = entry.get("max_tokens")
    # PRIVATE: litellm.utils._invalidate_model_cost_lowercase_map (what register_model calls per row).
    litellm.utils._invalidate_model_cost_lowercase_map()
    # PRIVATE: litellm.utils._runtime_registered_model_cost (1.106.2 on; absent on 1.81.1).
    replayed = getattr(litellm.utils, "_runtime_registered_model_cost", None)
    if isinstance(replayed, dict):
        for key, row in rows.items():
            replayed[key] = {**replayed.get(key, {}), **row}
