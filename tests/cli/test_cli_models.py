"""``litellm-gmi models`` against the emulator's ``GET /v1/models`` (mixed field shapes), via cassettes.

``--write`` goes to an overlay file (``--catalog PATH`` here), never the shipped catalog. To re-record,
delete tests/cassettes/test_cli_models/ and run ``pytest tests/cli/test_cli_models.py --record-mode=once``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jsonschema
import pytest
from conftest import SMALL_CONTEXT_LIMIT, SMALL_CONTEXT_MODEL

from gmi_emulator import GMIEmulator
from gmi_emulator.model_table import UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT, UNCATALOGUED_MODEL
from litellm_gmi import catalog
from litellm_gmi.catalog import builtin_rows, refresh
from litellm_gmi.catalog.model_refresh import LIVE_SOURCE, LiveModel
from litellm_gmi.catalog.overlay import write_overlay
from litellm_gmi.cli import main
from litellm_gmi.constants import API_KEY_ENVS

ROOT = Path(__file__).resolve().parents[2]
TEST_KEY = "sk-test-key"
TODAY = "2027-01-15"


@pytest.fixture
def api_base(gmi_emulator: GMIEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A dummy key in the environment and the emulator's ``/v1`` base to pass as ``--api-base``."""
    for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GMI_API_KEY", TEST_KEY)
    monkeypatch.setattr(refresh, "utc_today", lambda: TODAY)
    return gmi_emulator.chat_base


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    """An earlier refresh: every catalogued chat model as it is, plus one GMI no longer lists."""
    path = tmp_path / "catalog_overlay.json"
    listed = [LiveModel(i) for i, e in catalog.shipped_catalog().items() if e["mode"] == "chat"]
    write_overlay([*listed, LiveModel("acme/retired-1", 4096)], fetched="2026-12-01", path=path)
    return path


def _row(out: str, model_id: str) -> list[str]:
    return next(line.split() for line in out.splitlines() if line.startswith(model_id + " "))


@pytest.mark.vcr
def test_table_of_live_models(api_base: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--api-base", api_base]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["id", "context", "max", "out", "$/M", "in", "$/M", "out"]
    assert _row(out, "deepseek-ai/DeepSeek-V3.2") == [
        "deepseek-ai/DeepSeek-V3.2",
        "163840",
        "65536",
        "0.29",
        "0.43",
    ]
    assert _row(out, UNCATALOGUED_MODEL) == [
        UNCATALOGUED_MODEL, str(UNCATALOGUED_CONTEXT), str(UNCATALOGUED_MAX_OUTPUT), "-", "-"
    ]  # fmt: skip
    assert _row(out, SMALL_CONTEXT_MODEL)[1] == str(SMALL_CONTEXT_LIMIT)
    assert "Veo3" not in out  # media models are not on /v1/models
    assert TEST_KEY not in out


def _diff(lines: list[str]) -> tuple[list[str], list[str], set[str]]:
    """Added ids, removed ids and changed ids of ``litellm-gmi models --diff`` output."""
    added = [line.split()[1] for line in lines if line.startswith("+ ")]
    removed = [line.split()[1] for line in lines if line.startswith("- ")]
    changed = {line.split()[1] for line in lines if line.startswith("~ ")}  # one line per changed figure
    assert lines[-1] == f"{len(added)} added, {len(removed)} removed, {len(changed)} changed"
    return added, removed, changed


@pytest.mark.vcr
def test_diff_against_catalog_and_overlay(
    api_base: str, overlay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(overlay)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"+ {UNCATALOGUED_MODEL}  context {UNCATALOGUED_CONTEXT}, max out {UNCATALOGUED_MAX_OUTPUT}" in lines
    )
    assert "- acme/retired-1  (no longer listed)" in lines  # known only from the overlay
    assert f"~ {SMALL_CONTEXT_MODEL}  max_input_tokens: 202752 -> {SMALL_CONTEXT_LIMIT}" in lines
    # The emulator's table is written from GMI's public sources, not from our catalog, so the diff also
    # shows where those differ, cache prices included.
    assert "~ anthropic/claude-opus-4.7  cache_read_input_token_cost: $0.5/M -> $0.45/M" in lines
    added, removed, _ = _diff(lines)
    assert not set(added) & set(catalog.load_catalog())
    assert set(removed) <= {*catalog.load_catalog(), "acme/retired-1"}


@pytest.mark.vcr
def test_write_stores_an_overlay_and_leaves_the_catalog_alone(
    api_base: str, overlay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = catalog.catalog_path().read_bytes()
    assert main(["models", "--write", "--api-base", api_base, "--catalog", str(overlay)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"wrote {overlay}"
    assert out[-2].endswith("models priced from GMI's price list (current and list price)")
    _, removed, changed = _diff(out[:-2])
    assert catalog.catalog_path().read_bytes() == shipped

    document = catalog.effective_document(overlay)
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    after = {e["id"]: e for e in document["models"]}
    before = catalog.shipped_catalog()

    glm = after[SMALL_CONTEXT_MODEL]
    assert glm["max_input_tokens"] == SMALL_CONTEXT_LIMIT
    assert glm["source"].startswith(f"{LIVE_SOURCE} (max_input_tokens, ")
    assert glm["source"].endswith("; " + before[SMALL_CONTEXT_MODEL]["source"])
    assert all(after[i]["source_date"] == TODAY for i in changed)
    curated = ("supports_function_calling", "supports_reasoning", "notes", "supported_endpoints")
    assert all(after[i].get(k) == before[i].get(k) for i in changed for k in curated)
    new = after[UNCATALOGUED_MODEL]
    assert (new["max_input_tokens"], new["max_output_tokens"], new["input_cost_per_token"]) == (
        UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT, None
    )  # fmt: skip
    assert new["supports_function_calling"] is False
    assert "acme/retired-1" not in after  # the new overlay replaced the old one
    assert all(after[i]["deprecated"] for i in removed if i in after)
    untouched = set(before) - changed - set(removed)
    assert [i for i in sorted(untouched) if after[i] != before[i]] == []

    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(overlay)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "catalog matches GMI's live list (chat models)"


def test_write_into_the_package_is_refused_before_any_request(
    gmi_emulator: GMIEmulator, api_base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = catalog.catalog_path().read_bytes()
    target = str(catalog.catalog_path())
    assert main(["models", "--write", "--api-base", api_base, "--catalog", target]) == 2
    assert "part of the installed package" in capsys.readouterr().err
    assert catalog.catalog_path().read_bytes() == shipped
    assert not gmi_emulator.requests.snapshot()


@pytest.mark.vcr
def test_http_error_is_one_line_with_gmis_reason(
    api_base: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GMI_API_KEY", "sk-invalid-test-key")  # the emulator answers 401 to such keys
    assert main(["models", "--api-base", api_base]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "litellm-gmi models: GMI returned HTTP 401: Invalid API key\n"


def test_missing_key_exits_2_without_a_request(
    gmi_emulator: GMIEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in API_KEY_ENVS:
        monkeypatch.delenv(name, raising=False)
    assert main(["models", "--api-base", gmi_emulator.chat_base]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("litellm-gmi models: no GMI API key: set one of GMI_API_KEY")
    assert not gmi_emulator.requests.snapshot()


def test_unreachable_api_exits_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GMI_API_KEY", TEST_KEY)
    assert main(["models", "--api-base", "http://127.0.0.1:9/v1", "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("litellm-gmi models: GET http://127.0.0.1:9/v1/models failed: ConnectError")
    assert TEST_KEY not in err


def test_write_and_diff_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["models", "--write", "--diff"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# -------------------------------------------------------------------- against LiteLLM's own gmi/ rows ---
# A stand-in for the installed LiteLLM's gmi/ rows: the test is about our diff, not about LiteLLM's data.
BUILTIN = {
    "deepseek-ai/DeepSeek-V3.2": {
        "mode": "chat",
        "max_input_tokens": 163840,
        "input_cost_per_token": 2.8e-07,
    },
    "google/gemini-3-pro-preview": {"mode": "chat", "input_cost_per_token": 2e-06},
    "acme/only-in-litellm": {"mode": "chat", "input_cost_per_token": 1e-07},
    "acme/an-image-model": {"mode": "image_generation"},
}


@pytest.mark.vcr
def test_diff_also_compares_litellms_own_rows(
    api_base: str, overlay: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(builtin_rows, "builtin_gmi_rows", lambda: BUILTIN)
    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(overlay)]) == 0
    lines = capsys.readouterr().out.splitlines()
    ours = catalog.load_catalog()["deepseek-ai/DeepSeek-V3.2"]["input_cost_per_token"]
    assert (
        f"L~ deepseek-ai/DeepSeek-V3.2  input_cost_per_token: catalog ${ours * 1e6:.4g}/M, LiteLLM $0.28/M"
        in lines
    )
    assert "L~ google/gemini-3-pro-preview  input_cost_per_token: catalog -, LiteLLM $2/M" in lines
    assert "L+ acme/only-in-litellm  (LiteLLM lists it; the catalog does not)" in lines
    assert not any("max_input_tokens" in line for line in lines if line.startswith("L~ deepseek"))  # agree
    assert "2 shared, 2 disagree, 1 only in LiteLLM" in lines
    _diff(lines)  # the live diff still ends the output


def test_litellm_comparison_shows_without_gmi(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(builtin_rows, "builtin_gmi_rows", lambda: BUILTIN)
    monkeypatch.setenv("GMI_API_KEY", TEST_KEY)
    assert main(["models", "--diff", "--api-base", "http://127.0.0.1:9/v1", "--timeout", "2"]) == 1
    assert "L+ acme/only-in-litellm  (LiteLLM lists it; the catalog does not)" in capsys.readouterr().out


def test_litellms_rows_are_read_from_its_shipped_map_and_a_missing_file_is_loud(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = builtin_rows.builtin_gmi_rows()
    assert all(not key.startswith("gmi/") and isinstance(row, dict) for key, row in rows.items())
    monkeypatch.setattr(builtin_rows, "BACKUP_FILE", "no_such_cost_map.json")
    with caplog.at_level(logging.WARNING, logger="litellm_gmi"):
        assert builtin_rows.builtin_gmi_rows() == {}
    assert "litellm/no_such_cost_map.json" in caplog.text
