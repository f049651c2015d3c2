"""``litellm-gmi models``: list GMI's live chat models, diff them against the catalog, or refresh it.

Exit codes: 0 done, 1 GMI or the network failed, 2 usage error or no API key.
"""

# Only light imports at module level: `--help` and usage errors must not load LiteLLM (tests/test_cli.py).
# httpx, the catalog and the credential helpers (they import LiteLLM) load in the functions using them.
from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from litellm_gmi.constants import API_KEY_ENVS
from litellm_gmi.model_refresh import (
    CatalogDiff,
    LiveModel,
    diff_catalog,
    merge_catalog,
    parse_models,
    write_document,
)

PROG = "litellm-gmi models"


class CommandError(Exception):
    """A failure worth one line on stderr; ``code`` is the exit status."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run(argv: list[str]) -> int:
    """Entry point used by :func:`litellm_gmi.cli.main`."""
    args = _parser().parse_args(argv)
    from litellm_gmi.catalog import catalog_path, read_document

    try:
        live = fetch_models(args.api_base, args.org_id, args.timeout)
        path = Path(args.catalog) if args.catalog else catalog_path()
        if args.write:
            document = read_document(path)
            diff = diff_catalog(_by_id(document), live)
            write_document(merge_catalog(document, live, today=_today()), path)
            print(format_diff(diff) + f"\nwrote {path}")
        elif args.diff:
            print(format_diff(diff_catalog(_by_id(read_document(path)), live)))
        else:
            print(format_table(live))
    except CommandError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.code
    except (OSError, ValueError) as exc:  # unreadable or malformed catalog file
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--diff", action="store_true", help="show models added, removed or changed vs the catalog"
    )
    action.add_argument("--write", action="store_true", help="update the catalog file with the live figures")
    parser.add_argument("--catalog", metavar="PATH", help="catalog file (default: the one litellm_gmi loads)")
    parser.add_argument("--api-base", help="chat API base (default: $GMI_API_BASE or GMI's public endpoint)")
    parser.add_argument("--org-id", help="organisation id sent as X-Organization-ID (default: $GMI_ORG_ID)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="HTTP timeout")
    return parser


def fetch_models(api_base: str | None, org_id: str | None, timeout: float) -> list[LiveModel]:
    """``GET <api base>/models``, parsed tolerantly; raises :class:`CommandError` on any failure."""
    import httpx

    from litellm_gmi.credentials import auth_headers, resolve_api_base, resolve_api_key, resolve_org_id
    from litellm_gmi.errors import extract_message

    try:
        key = resolve_api_key(None)
    except Exception as exc:  # LiteLLM's AuthenticationError; its text is long and LiteLLM-prefixed
        raise CommandError(f"no GMI API key: set one of {', '.join(API_KEY_ENVS)}", 2) from exc
    url = f"{resolve_api_base(api_base)}/models"
    try:
        response = httpx.get(url, headers=auth_headers(key, resolve_org_id(org_id)), timeout=timeout)
    except httpx.HTTPError as exc:
        raise CommandError(f"GET {url} failed: {type(exc).__name__}: {exc}", 1) from exc
    if response.status_code >= 400:
        reason = extract_message(response.text) or response.reason_phrase
        raise CommandError(f"GMI returned HTTP {response.status_code}: {_one_line(reason)}", 1)
    try:
        payload = response.json()
    except ValueError as exc:
        raise CommandError(f"GET {url} did not return JSON", 1) from exc
    return parse_models(payload)


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
    return f"${_per_million(value)}/M" if name.endswith("cost_per_token") else str(int(value))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _today() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()
