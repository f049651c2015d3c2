"""Every Python snippet in the README and in docs/*.md runs, in order, against the local emulator.

The snippets of one page share one namespace, as a reader pasting them into one session would; top-level
``await`` is allowed, as in an async REPL. A snippet that cannot run offline is listed in ``NOT_RUN``
with the reason (the test fails if that list names a snippet that no longer exists), and a snippet that
needs a LiteLLM feature runs wherever the installed LiteLLM has it (``NEEDS``).

The media page's shell lines (``litellm-gmi media ...``) run too, in process, against the emulator.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import json
import re
import shlex
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from gmi_emulator import GMIEmulator
from litellm_gmi.cli import media as media_cli
from litellm_gmi.litellm_seams.version import _release

ROOT = Path(__file__).parent.parent
PAGES = ["README.md", *sorted(f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md"))]


def _snippets(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / page).read_text(), flags=re.DOTALL)


def _first_line(snippet: str) -> str:
    return snippet.strip().splitlines()[0]


NOT_RUN: dict[tuple[str, str], str] = {
    (
        "README.md",
        "from openai import OpenAI",
    ): "needs a running proxy; tests/integration/test_proxy_config.py drives a real one with the openai SDK",
    ("docs/models-and-costs.md", "import litellm_gmi"): "writes the user's catalog overlay; "
    "tests/catalog/test_refresh.py runs refresh_models",
    ("docs/models-and-costs.md", 'litellm.register_model({"gmi/Qwen/Qwen3-30B-A3B": {'): "changes a price "
    "for the whole test run; tests/catalog/test_unpriced.py registers prices",
    ("docs/performance.md", "from litellm_gmi import freeze_heap"): "freezes the heap of the whole test run; "
    "tests/test_heap.py runs freeze_heap() in fresh interpreters",
}
"""(page, first line of a snippet) -> why it cannot run here."""


def _litellm_routes_video() -> bool:
    try:
        video_route = importlib.import_module("litellm_gmi.videos.route")
    except ImportError:  # a checkout from before video went through LiteLLM's own API
        return False
    return bool(video_route.litellm_routes_video())


NEEDS: dict[tuple[str, str], tuple[Callable[[], bool], str]] = {
    ("docs/coding-agents.md", "import litellm, litellm_gmi  # noqa: F401 (registers gmi/)"): (
        lambda: _release(version("litellm")) >= (1, 106, 0),
        "LiteLLM 1.81.1 has no responses route for custom providers at all",
    ),
    ("docs/media.md", "import time"): (
        _litellm_routes_video,
        "this LiteLLM (or checkout) has no custom-provider video hook "
        "(ProviderConfigManager.get_custom_provider_video_config)",
    ),
}
"""(page, first line of a snippet) -> (whether the installed LiteLLM can run it, why not)."""


def _run(code: str, namespace: dict[str, Any], label: str) -> None:
    compiled = compile(code, label, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # noqa: S307 - the page's own example
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_the_pages_have_snippets_and_the_skip_lists_name_real_ones() -> None:
    assert len(_snippets("README.md")) >= 2
    assert sum(len(_snippets(page)) for page in PAGES) >= 20
    named = {(page, _first_line(snippet)) for page in PAGES for snippet in _snippets(page)}
    assert {*NOT_RUN, *NEEDS} <= named


@pytest.mark.parametrize("page", [page for page in PAGES if _snippets(page)])
def test_every_snippet_runs_against_the_emulator(
    page: str, gmi_env: GMIEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:  # polling loops: the emulator's job clock moves instead
        gmi_env.state.clock.advance(seconds)
        real_sleep(min(seconds, 0.05))

    monkeypatch.setattr(time, "sleep", sleep)
    namespace: dict[str, Any] = {"__name__": "docs"}
    ran = skipped = 0
    for position, snippet in enumerate(_snippets(page)):
        key = (page, _first_line(snippet))
        if key in NOT_RUN or (key in NEEDS and not NEEDS[key][0]()):
            skipped += 1
            continue
        _run(snippet, namespace, f"{page}#snippet{position}")
        ran += 1
    assert ran + skipped == len(_snippets(page))


def test_the_media_pages_shell_lines_run_against_the_emulator(
    gmi_env: GMIEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/media.md's ``litellm-gmi media`` lines, as written, with the request id filled in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(time, "sleep", gmi_env.state.clock.advance)  # the wait moves the job clock
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    block = re.search(r"## From a shell.*?```bash\n(.*?)```", (ROOT / "docs/media.md").read_text(), re.DOTALL)
    assert block is not None
    submit, download, upload = block.group(1).strip().splitlines()

    def argv(line: str) -> list[str]:
        words = shlex.split(line, comments=True)
        assert words[:2] == ["litellm-gmi", "media"]
        return words[2:]

    assert media_cli.run(argv(submit)) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["status"] == "success"
    assert media_cli.run(argv(download.replace("<request id>", record["request_id"]))) == 0
    assert (tmp_path / "waves.mp4").stat().st_size > 0
    capsys.readouterr()
    assert media_cli.run(argv(upload)) == 0
    assert capsys.readouterr().out.strip().startswith("http")
