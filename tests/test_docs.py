"""The README's commands are the ones CI runs and the ones that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


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


def test_readme_media_example_runs_against_the_emulator(
    gmi_env: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = README.split("## Media", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", media, flags=re.DOTALL)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md#media", "exec"), {})  # noqa: S102 - the README's own example
    assert (tmp_path / "waves.mp4").stat().st_size > 0


def test_the_builtin_route_page_and_readme_table_are_generated_from_the_measurements() -> None:
    """The README's "why this package" rows claim only what docs/builtin-route.json records."""
    from builtin_route_report import PAGE, RESULTS, readme_with_table, render_page, render_readme_table

    results = json.loads(RESULTS.read_text())
    assert results, "no release measured: run python tests/builtin_route_report.py --write"
    assert PAGE.read_text() == render_page(results)
    assert readme_with_table(README, render_readme_table(results)) == README
