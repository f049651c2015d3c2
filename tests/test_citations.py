"""Comments, docstrings and docs cite sources by public URL or name, never a file outside the repository.

The research notes the code was written from are not shipped; a reader of this repository can open
docs.gmicloud.ai, a public repository or LiteLLM's source, but not a file on one engineer's machine.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
SCANNED_DIRS = ("litellm_gmi", "emulator", "tests", "bench", "docs")
SUFFIXES = (".py", ".md", ".yaml")

# Built from pieces so that this file does not match itself.
_NOTES = "|".join(
    re.escape(name)
    for name in (
        "shared" + "/reference",
        "gmi_api" + "_facts",
        "catalog" + "_sources",
        "sources" + "_2026",
        "extension" + "_points",
        "gmi-llm" + "-api.md",
        "gmi-request-queue" + "-api.md",
        "llms-py" + "-api-reference",
        "litellm-gmi" + "-provider-page",
    )
)
SECTION = "\u00a7"  # the section sign the notes' citations used, e.g. "(facts \u00a73.4)"
PRIVATE_NOTE = re.compile(rf"{_NOTES}|(?:extension notes|facts)\s*{SECTION}|\({SECTION}\s*\d", re.IGNORECASE)


def _scanned_files() -> list[Path]:
    files = [ROOT / "README.md", *ROOT.glob("*.yaml"), *ROOT.glob("model_catalog*.json")]
    for folder in SCANNED_DIRS:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return sorted(files)


def private_citations(files: list[Path]) -> list[str]:
    """``path:line: text`` for every line that cites a research note instead of its public source."""
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PRIVATE_NOTE.search(line):
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append(f"{shown}:{number}: {line.strip()}")
    return found


def test_the_scan_covers_code_tests_emulator_bench_and_every_docs_page() -> None:
    names = {str(p.relative_to(ROOT)) for p in _scanned_files()}
    assert {"README.md", "litellm_gmi/provider.py", "emulator/README.md", "bench/README.md"} <= names
    assert {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")} <= names
    assert "tests/test_citations.py" in names


def test_the_pattern_catches_each_way_a_note_was_cited(tmp_path: Path) -> None:
    cited = tmp_path / "cited.py"
    cited.write_text(
        "\n".join(
            [
                '"""(' + "gmi_api" + '_facts.md \u00a71.7)."""',
                "# (facts \u00a73.4) and (extension notes \u00a73a)",
                "# see " + "shared" + "/reference/" + "catalog" + "_sources.md",
                "# (\u00a73.5)",
                "# GMI's LLM API reference, docs.gmicloud.ai/inference-engine/api-reference/llm-api",
            ]
        )
    )
    assert len(private_citations([cited])) == 4


def test_no_file_cites_a_research_note_outside_the_repository() -> None:
    found = private_citations(_scanned_files())
    assert not found, "cite the public source instead:\n" + "\n".join(found)
