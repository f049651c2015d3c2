"""``litellm-gmi models``: list GMI's live chat models, diff them against the catalog, or refresh it.

``--write`` stores the live figures as the user's catalog overlay (``--catalog PATH``,
``$LITELLM_GMI_CATALOG`` or the user cache directory), never in the installed package, with GMI's public
price list (current and list prices, tiers) where it can be read; ``--diff`` compares the live list
with the catalog litellm_gmi loads, overlay included, and that catalog with the installed LiteLLM's own
``gmi/`` rows (prices and contexts), so drift on either side shows in one command.

Exit codes: 0 done, 1 GMI or the network failed, 2 usage error or no API key.
"""

# Only light imports at module level: `--help` and usage errors must not load LiteLLM (tests/cli/test_cli.py).
# The catalog and the refresh (httpx, the credential helpers) load in the functions using them.
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from litellm_gmi.catalog.model_refresh import CatalogDiff, LiveModel, diff_catalog

PROG = "litellm-gmi models"


def run(argv: list[str]) -> int:
    """Entry point used by :func:`litellm_gmi.cli.main`."""
    args = _parser().parse_args(argv)
    from litellm_gmi.catalog import effective_document
    from litellm_gmi.catalog.refresh import RefreshError, fetch_live_models, refresh_models

    overlay = Path(args.catalog).expanduser() if args.catalog else None
    try:
        if args.write:
            before = _by_id(effective_document(overlay))
            result = refresh_models(None, args.api_base, overlay, org_id=args.org_id, timeout=args.timeout)
            print(format_diff(diff_catalog(before, result.models)))
            if result.price_list_error is not None:
                print(f"GMI's price list not read, prices from /v1/models only: {result.price_list_error}")
            else:
                print(
                    f"{result.priced_from_list} models priced from GMI's price list (current and list price)"
                )
            print(f"wrote {result.path}")
            return 0
        if args.diff:
            ours = _by_id(effective_document(overlay))
            builtin = _builtin_diff(ours)
            try:
                live = fetch_live_models(None, args.api_base, org_id=args.org_id, timeout=args.timeout)
            finally:
                print(builtin)  # LiteLLM's rows need no network: shown even when GMI cannot be asked
            print(format_diff(diff_catalog(ours, live)))
        else:
            live = fetch_live_models(None, args.api_base, org_id=args.org_id, timeout=args.timeout)
            print(format_table(live))
    except RefreshError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.code
    except (OSError, ValueError) as exc:  # unreadable catalog, or an overlay path inside the package
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--diff", action="store_true", help="show models added, removed or changed vs the catalog"
    )
    action.add_argument("--write", action="store_true", help="store the live figures as your catalog overlay")
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        help="overlay file to write and compare with (default: $LITELLM_GMI_CATALOG or the user cache)",
    )
    parser.add_argument("--api-base", help="chat API base (default: $GMI_API_BASE or GMI's public endpoint)")
    parser.add_argument("--org-id", help="organisation id sent as X-Organization-ID (default: $GMI_ORG_ID)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="HTTP timeout")
    return parser


def format_table(models: Sequence[LiveModel]) -> str:
    """Aligned columns: id, context, max output, USD per 1M tokens in and out; ``-`` where unknown."""
    header = ("id", "context", "max out", "$/M in", "$/M out")
    rows = [
        (
            m.id,
            _count(m.max_input_tokens),
            _count(m.max_output_tokens),
            _per_million(m.input_cost_per_token),
            _per_million(m.output_cost_per_token),
        )
        for m in sorted(models, key=lambda m: m.id)
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_cell(value, widths[i], i) for i, value in enumerate(row)) for row in [header, *rows]]
    return "\n".join([*lines, f"{len(rows)} models"])


def format_diff(diff: CatalogDiff) -> str:
    """One line per added, removed or changed model figure; chat models only."""
    if diff.is_empty():
        return "catalog matches GMI's live list (chat models)"
    lines = [
        f"+ {m.id}  context {_count(m.max_input_tokens)}, max out {_count(m.max_output_tokens)}"
        for m in diff.added
    ]
    lines += [f"- {model_id}  (no longer listed)" for model_id in diff.removed]
    lines += [
        f"~ {c.id}  {c.field}: {_figure(c.field, c.old)} -> {_figure(c.field, c.new)}" for c in diff.changed
    ]
    changed_models = len({c.id for c in diff.changed})
    lines.append(f"{len(diff.added)} added, {len(diff.removed)} removed, {changed_models} changed")
    return "\n".join(lines)


def _builtin_diff(ours: Mapping[str, Mapping[str, Any]]) -> str:
    from litellm_gmi.catalog.builtin_rows import builtin_gmi_rows, diff_builtin, format_builtin_diff
    from litellm_gmi.litellm_seams import LITELLM_VERSION

    return format_builtin_diff(diff_builtin(ours, builtin_gmi_rows()), LITELLM_VERSION)


def _by_id(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {entry["id"]: entry for entry in document["models"]}


def _cell(value: str, width: int, column: int) -> str:
    return value.ljust(width) if column == 0 else value.rjust(width)


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _per_million(value: float | None) -> str:
    return "-" if value is None else f"{value * 1_000_000:.4g}"


def _figure(name: str, value: float | None) -> str:
    """Prices shown per 1M tokens, like the table; token counts as they are."""
    if value is None:
        return "-"
    return f"${_per_million(value)}/M" if "cost" in name else str(int(value))
