"""The user's catalog overlay: where it lives, what it holds, and how the catalog applies it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jsonschema
import pytest

from litellm_gmi import catalog, json_limits
from litellm_gmi.catalog import overlay
from litellm_gmi.catalog.model_refresh import LIVE_SOURCE, LiveModel

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No overlay variable and a fake home, so the platform defaults show."""
    monkeypatch.delenv(overlay.OVERLAY_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, ".cache/litellm_gmi/catalog_overlay.json"),
        ("linux", {"XDG_CACHE_HOME": "/xdg/cache"}, "/xdg/cache/litellm_gmi/catalog_overlay.json"),
        ("linux", {"XDG_CACHE_HOME": "relative/ignored"}, ".cache/litellm_gmi/catalog_overlay.json"),
        ("darwin", {}, "Library/Caches/litellm_gmi/catalog_overlay.json"),
        (
            "win32",
            {"LOCALAPPDATA": "/appdata/local"},
            "/appdata/local/litellm_gmi/Cache/catalog_overlay.json",
        ),
        ("win32", {}, "AppData/Local/litellm_gmi/Cache/catalog_overlay.json"),
    ],
)
def test_default_path_is_the_platform_user_cache(
    no_env: Path, monkeypatch: pytest.MonkeyPatch, platform: str, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setattr(overlay.sys, "platform", platform)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert overlay.overlay_path() == no_env / expected  # an absolute `expected` replaces the home


def test_variable_overrides_the_cache(no_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(overlay.OVERLAY_ENV, "~/mine.json")
    assert overlay.overlay_path() == Path("~/mine.json").expanduser()


def test_written_overlay_reads_back_and_merges_into_a_valid_catalog(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "overlay.json"
    models = [
        LiveModel("deepseek-ai/DeepSeek-V3.2", 163840, None, 3e-07, 4e-07, 3e-08),
        LiveModel("acme/new-1b"),
    ]
    assert (
        overlay.write_overlay(models, fetched="2027-01-15", api_base="https://gmi.example/v1", path=path)
        == path
    )
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["source"] == LIVE_SOURCE
    assert stored["models"][1] == {"id": "acme/new-1b"}  # unknown figures are not written

    read = overlay.read_overlay(path)
    assert read == overlay.Overlay(tuple(models), "2027-01-15", "https://gmi.example/v1")
    document = catalog.effective_document(path)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    by_id = {entry["id"]: entry for entry in document["models"]}
    assert by_id["deepseek-ai/DeepSeek-V3.2"]["input_cost_per_token"] == 3e-07
    assert by_id["deepseek-ai/DeepSeek-V3.2"]["source_date"] == "2027-01-15"
    assert by_id["acme/new-1b"]["source"] == LIVE_SOURCE
    assert by_id["openai/gpt-4o"]["deprecated"] is True  # not on this live list
    assert catalog.shipped_catalog()["openai/gpt-4o"]["deprecated"] is False


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        json.dumps({"overlay_version": 99, "fetched": "2027-01-15", "models": []}),
        json.dumps({"overlay_version": 1, "models": []}),
        json.dumps([1, 2]),
    ],
)
def test_unusable_overlay_is_ignored_with_a_warning(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "overlay.json"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="litellm_gmi"):
        assert overlay.read_overlay(path) is None
    assert f"ignoring catalog overlay {path}" in caplog.text
    assert catalog.effective_document(path) == catalog.read_document()


def test_bad_rows_are_dropped_and_bad_figures_ignored(tmp_path: Path) -> None:
    path = tmp_path / "overlay.json"
    rows = [{"id": "org/a", "max_input_tokens": "lots", "input_cost_per_token": -1}, {"no": "id"}, "x"]
    path.write_text(
        json.dumps({"overlay_version": 1, "fetched": "2027-01-15", "models": rows}), encoding="utf-8"
    )
    read = overlay.read_overlay(path)
    assert read is not None
    assert read.models == (LiveModel("org/a"),)


def test_missing_overlay_is_silent(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="litellm_gmi"):
        assert overlay.read_overlay(tmp_path / "absent.json") is None
    assert caplog.text == ""


# ------------------------------------------------------------- bad local files never break import ---
_CHILD = """
import json, logging
warnings = []
class Count(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("litellm_gmi").addHandler(Count(logging.WARNING))
import litellm_gmi, litellm
from litellm_gmi import catalog
model = "deepseek-ai/DeepSeek-V3.2"
print(json.dumps({
    "warnings": warnings,
    "registered": litellm.model_cost["gmi/" + model]["input_cost_per_token"],
    "shipped": catalog.shipped_catalog()[model]["input_cost_per_token"],
}))
"""


def _overlay_text(price: str) -> str:
    row = f'{{"id": "deepseek-ai/DeepSeek-V3.2", "input_cost_per_token": {price}}}'
    return f'{{"overlay_version": 1, "fetched": "2027-01-15", "models": [{row}]}}'


BAD_FILES = {
    "utf-16": _overlay_text("1e-06").encode("utf-16"),  # PowerShell's `>` writes UTF-16 with a BOM
    "nested-100000": b'{"overlay_version": 1, "models": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "infinity": _overlay_text("Infinity").encode(),
    "1e999": _overlay_text("1e999").encode(),  # a JSON number that parses as inf
}


def _import_with_overlay(path: Path) -> dict[str, object]:
    """``import litellm_gmi`` then ``litellm`` in a fresh interpreter reading ``path`` as the overlay."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        overlay.OVERLAY_ENV: str(path),
        "PYTHONPATH": os.pathsep.join(sys.path),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_overlay_file_leaves_import_working_with_one_warning(tmp_path: Path, name: str) -> None:
    path = tmp_path / "overlay.json"
    path.write_bytes(BAD_FILES[name])
    result = _import_with_overlay(path)
    assert len(result["warnings"]) == 1, result["warnings"]  # type: ignore[arg-type]
    assert f"ignoring catalog overlay {path}" in result["warnings"][0]  # type: ignore[index]
    assert result["registered"] == result["shipped"]


def test_a_good_overlay_file_is_applied_without_warning(tmp_path: Path) -> None:
    """The control for the test above: the same child sees a usable overlay's price."""
    path = tmp_path / "overlay.json"
    path.write_text(_overlay_text("1e-06"), encoding="utf-8")
    result = _import_with_overlay(path)
    assert result["warnings"] == []
    assert result["registered"] == 1e-06 != result["shipped"]


def test_nan_prices_make_the_overlay_unusable(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "overlay.json"
    path.write_text(_overlay_text("NaN"), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="litellm_gmi"):
        assert overlay.read_overlay(path) is None
    assert "NaN" in caplog.text


def test_nesting_depth_ignores_brackets_in_strings() -> None:
    assert json_limits.depths('{"a": [1, {"b": "[[[\\\\\\"{"}]}') == (0, 3)
    assert json_limits.depths('"x\\\\" [ ]') == (0, 1)
    assert json_limits.depths('{"a": [') == (2, 2)
