"""``litellm-gmi doctor``: which of the package's LiteLLM seams the installed LiteLLM still has.

Exits 1 when one is missing, so CI fails on the release that moved it (a canary for the newest
LiteLLM); ``--markdown`` prints the seams as the table in docs/litellm-seams.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="litellm-gmi doctor", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the seams as a Markdown table")
    args = parser.parse_args(list(argv))
    from litellm_gmi.litellm_seams import SEAM_MISSING, check_seams, seams_markdown

    if args.markdown:
        print(seams_markdown(), end="")
        return 0
    import litellm_gmi
    from litellm_gmi.litellm_seams import LITELLM_VERSION

    litellm_gmi.register()
    results = check_seams()
    print(f"LiteLLM {LITELLM_VERSION}; litellm_gmi {litellm_gmi.__version__}")
    print(f"gmi/ goes through litellm_gmi: {not litellm_gmi.builtin_row_active()}")
    for seam, status in results:
        detail = f" ({status.detail})" if status.detail else ""
        print(f"  {status.state:<19} {seam.name}{detail}")
    missing = sum(status.state == SEAM_MISSING for _, status in results)
    print(f"{len(results) - missing} of {len(results)} seams in place or not needed; {missing} missing")
    return 1 if missing else 0
