"""The README's commands are the ones CI runs and the ones that exist."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from gmi_emulator import GMIEmulator

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()
DOCS = ROOT / "docs"


def _setup_commands() -> list[str]:
    setup = README.split("## Setup", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", setup, flags=re.DOTALL)
    return [line for block in blocks for line in block.strip().splitlines()]


def test_setup_has_install_test_and_demo() -> None:
    install, test, demo = _setup_commands()
    assert install == 'pip install -e ".[test]" -e ./emulator'
    assert test == "python -m pytest"
    assert demo.endswith("litellm-gmi demo")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test = _setup_commands()[1]
    assert f'TEST_COMMAND="{test}"' in (ROOT / ".ci" / "run").read_text()


def test_readme_starts_where_a_newcomer_starts() -> None:
    """Under 350 lines; its first 80 hold the install from a clone and an offline first call."""
    lines = README.splitlines()
    first_screen = "\n".join(lines[:80])
    assert len(lines) < 350
    assert 'pip install -e ".[test]" -e ./emulator' in first_screen
    assert "litellm.completion(" in first_screen
    assert "GMIEmulator" in first_screen
    assert "not on PyPI" in first_screen.replace("**", "").replace("Not on", "not on")


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)", README))
    assert {page.name for page in DOCS.glob("*.md")} <= linked


def test_media_page_example_runs_against_the_emulator(
    gmi_env: GMIEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = re.findall(r"```python\n(.*?)```", (DOCS / "media.md").read_text(), flags=re.DOTALL)[0]
    monkeypatch.chdir(tmp_path)
    # The example waits for its job: each poll's sleep moves the emulator's job clock instead.
    monkeypatch.setattr(time, "sleep", gmi_env.state.clock.advance)
    exec(compile(code, "docs/media.md", "exec"), {})  # noqa: S102 - the page's own example
    assert (tmp_path / "waves.mp4").stat().st_size > 0


def test_the_builtin_route_page_and_readme_table_are_generated_from_the_measurements() -> None:
    """The README's "why this package" rows claim only what docs/builtin-route.json records."""
    from builtin_route_report import PAGE, RESULTS, readme_with_table, render_page, render_readme_table

    results = json.loads(RESULTS.read_text())
    assert results, "no release measured: run python tests/builtin_route_report.py --write"
    assert PAGE.read_text() == render_page(results)
    assert readme_with_table(README, render_readme_table(results)) == README


def test_the_unsupported_operations_page_is_generated_from_the_measurements() -> None:
    from unsupported_report import PAGE, RESULTS, render_page

    results = json.loads(RESULTS.read_text())
    assert results, "no release measured: run python tests/unsupported_report.py --write"
    assert PAGE.read_text() == render_page(results)
