"""Every Python snippet in the README runs, in order, against the local emulator.

The snippets share one namespace, as a reader pasting them into one session would; top-level ``await``
is allowed, as in an async REPL. A snippet that needs something the test run lacks is listed in
``NOT_RUN`` with the reason, and the test fails if that list names a snippet that no longer exists.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from litellm_gmi.compat import _release

README = (Path(__file__).parent.parent / "README.md").read_text()
SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
NOT_RUN: dict[str, str] = {
    "import litellm_gmi": "writes the user's catalog overlay; tests/test_refresh.py runs refresh_models",
    "from openai import OpenAI": "needs a running proxy; tests/test_proxy_config.py drives a real one",
    'litellm.register_model({"gmi/Qwen/Qwen3-30B-A3B": {': "changes a price for the whole test run",
    "from litellm_gmi import freeze_heap": "freezes the heap of the whole test run; tests/test_heap.py "
    "runs freeze_heap() in fresh interpreters",
}
"""First line of a snippet -> why it is not run here."""
NEEDS_1_106 = "import litellm, litellm_gmi  # noqa: F401 (registers gmi/)"
"""The native-endpoint snippet: LiteLLM 1.81.1 has no responses route for custom providers at all
(``litellm.aresponses`` raises "'gmi' is not a valid LlmProviders"); see the compatibility table."""


def _run(code: str, namespace: dict[str, Any], label: str) -> None:
    compiled = compile(code, label, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # noqa: S307 - the README's own example
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 5
    assert {*NOT_RUN, NEEDS_1_106} <= {snippet.strip().splitlines()[0] for snippet in SNIPPETS}


def test_every_readme_snippet_runs_against_the_emulator(
    gmi_env: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "readme"}
    ran = 0
    skipped = set(NOT_RUN) | ({NEEDS_1_106} if _release(version("litellm")) < (1, 106, 0) else set())
    for position, snippet in enumerate(SNIPPETS):
        if snippet.strip().splitlines()[0] in skipped:
            continue
        _run(snippet, namespace, f"README.md#snippet{position}")
        ran += 1
    assert ran == sum(1 for snippet in SNIPPETS if snippet.strip().splitlines()[0] not in skipped)
