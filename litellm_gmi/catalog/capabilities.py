"""What the shipped catalog says one model can do, for the decisions made before a request is sent.

Every answer comes from ``model_catalog.json``. A model the catalog does not know (GMI serves more
models than any source lists) gets the answer that refuses nothing: GMI itself then decides.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from litellm_gmi.catalog import CatalogEntry, load_catalog

MaxTokensName = Literal["max_tokens", "max_completion_tokens"]

_OPENAI_REASONING_FAMILY: Final = re.compile(r"^openai/(gpt-5|o[1-9])")
"""OpenAI's reasoning families, which refuse ``max_tokens`` at OpenAI (LiteLLM's own ``OpenAIGPT5Config``
and ``OpenAIOSeriesConfig`` rename it for them). Used only for ids the catalog does not list."""


def entry(model: str) -> CatalogEntry | None:
    """The catalog row for a GMI id (no ``gmi/`` prefix), or ``None``."""
    return load_catalog().get(model)


def supports_reasoning(model: str) -> bool:
    """Whether ``reasoning_effort`` and ``thinking`` may be sent to ``model``: refused only where the
    catalog says ``false`` (a source shows GMI refuses them); unknown (null) and unlisted models: yes."""
    row = entry(model)
    return row is None or row.get("supports_reasoning") is not False


def supports_response_schema(model: str) -> bool:
    """Whether the catalog says ``model`` honours ``json_schema`` natively (unknown models: no)."""
    row = entry(model)
    return bool(row and row.get("supports_response_schema"))


def max_tokens_name(model: str) -> MaxTokensName:
    """The body field ``model`` takes for its output limit: the catalog's ``max_tokens_param`` rule.

    GMI documents only ``max_tokens``; the catalog names ``max_completion_tokens`` for the models whose
    upstream refuses ``max_tokens`` (see each row's ``max_tokens_param_source``). An id the catalog
    does not list follows OpenAI's reasoning families by name.
    """
    row = entry(model)
    if row is not None:
        return row.get("max_tokens_param") or "max_tokens"
    return "max_completion_tokens" if _OPENAI_REASONING_FAMILY.match(model) else "max_tokens"


def serves(model: str, mode: str) -> bool:
    """False only when the catalog lists ``model`` under another mode (a chat model asked to embed)."""
    row = entry(model)
    return row is None or row["mode"] == mode
