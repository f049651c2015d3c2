"""pyproject.toml declares every third-party package the code imports, and ships the license.

Read from the source tree (not the installed metadata, which may belong to another checkout).
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EMULATOR = tomllib.loads((ROOT / "emulator" / "pyproject.toml").read_text())["project"]["name"]
LOCAL_DISTRIBUTIONS = {EMULATOR.replace("-", "_"): EMULATOR}
"""Distributions built from this repository, by module: installed editable (or only put on sys.path),
``packages_distributions()`` cannot name them."""


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(*groups: str) -> set[str]:
    """Distribution names in ``dependencies`` plus the named extras, without versions or markers."""
    requirements = list(PROJECT["dependencies"])
    for group in groups:
        requirements += PROJECT["optional-dependencies"][group]
    return {_normal(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]) for requirement in requirements}


def _imported_distributions(folder: Path, own: set[str]) -> dict[str, set[str]]:
    """Distribution -> files, for every absolute import under ``folder`` outside the stdlib and ``own``."""
    providers = {**packages_distributions(), **{m: [d] for m, d in LOCAL_DISTRIBUTIONS.items()}}
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in own:
                    continue
                for dist in providers.get(top, [f"<no installed distribution provides {top!r}>"]):
                    found.setdefault(_normal(dist), set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_litellm_gmi_imports_is_a_dependency() -> None:
    """Or, for the optional ``litellm-gmi emulator``/``demo`` commands, in the ``emulator`` extra."""
    imported = _imported_distributions(ROOT / "litellm_gmi", {"litellm_gmi"})
    undeclared = {dist: files for dist, files in imported.items() if dist not in _declared("emulator")}
    assert undeclared == {}
    assert {"litellm", "httpx", "typing-extensions"} <= set(imported)  # the scan sees real imports


def test_every_package_the_tests_import_is_in_the_test_extra() -> None:
    own = {"litellm_gmi", "tests", *(path.stem for path in (ROOT / "tests").rglob("*.py"))}
    imported = _imported_distributions(ROOT / "tests", own)
    declared = _declared("test", "proxy", "emulator", "clients")
    undeclared = {dist: files for dist, files in imported.items() if dist not in declared}
    assert undeclared == {}
    assert {"pytest", "pyyaml"} <= set(imported)


def test_the_license_is_shipped_and_matches_the_metadata() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def _litellm_range(extra: str | None = None) -> SpecifierSet:
    """The LiteLLM specifier the installed ``litellm-gmi`` declares (for ``extra``, its ``[proxy]`` one)."""
    for requirement in map(Requirement, metadata.requires("litellm-gmi") or []):
        in_extra = requirement.marker is not None and requirement.marker.evaluate({"extra": extra or ""})
        if requirement.name == "litellm" and (in_extra if extra else requirement.marker is None):
            return requirement.specifier
    raise AssertionError(f"litellm-gmi declares no litellm requirement (extra={extra})")


@pytest.mark.parametrize("extra", [None, "proxy"])
def test_the_supported_litellm_range_excludes_the_compromised_releases(extra: str | None) -> None:
    """1.82.7 and 1.82.8 were trojanised (BerriAI/litellm#24512); the range is a range, not a pin."""
    supported = _litellm_range(extra)
    assert "1.81.1" in supported  # the oldest release CI runs
    assert "1.82.6" in supported
    assert "1.82.9" in supported
    assert "1.82.7" not in supported
    assert "1.82.8" not in supported
    assert "1.110.2" in supported  # the newest release CI has run
    assert not any(spec.operator in ("==", "===") for spec in supported)


def test_the_proxy_extra_states_the_same_range() -> None:
    assert _litellm_range("proxy") == _litellm_range()


def test_the_installed_litellm_is_in_the_range() -> None:
    assert metadata.version("litellm") in _litellm_range()
