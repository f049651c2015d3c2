"""``litellm-gmi models`` against the emulator's ``GET /v1/models`` (mixed field shapes), via cassettes.

To re-record, delete tests/cassettes/test_cli_models/ and run
``pytest tests/test_cli_models.py --record-mode=once``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SMALL_CONTEXT_LIMIT, SMALL_CONTEXT_MODEL

from gmi_emulator import GMIEmulator
from gmi_emulator.model_table import UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT, UNCATALOGUED_MODEL
from litellm_gmi.cli import main
from litellm_gmi.cli import models as models_cli
from litellm_gmi.constants import API_KEY_ENVS

ROOT = Path(__file__).resolve().parent.parent
TEST_KEY = "sk-test-key"
TODAY = "2027-01-15"


@pytest.fixture
def api_base(gmi_emulator: GMIEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A dummy key in the environment and the emulator's ``/v1`` base to pass as ``--api-base``."""
    for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GMI_API_KEY", TEST_KEY)
    monkeypatch.setattr(models_cli, "_today", lambda: TODAY)
    return gmi_emulator.chat_base


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """The shipped catalog plus one chat model GMI no longer lists."""
    document: dict[str, Any] = json.loads((ROOT / "model_catalog.json").read_text(encoding="utf-8"))
    retired = {**document["models"][0], "id": "acme/retired-1", "source": "test fixture"}
    document["models"].insert(0, retired)
    path = tmp_path / "model_catalog.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "model_catalog.schema.json", tmp_path)
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


@pytest.mark.vcr
def test_diff_against_catalog(api_base: str, catalog_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(catalog_copy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"+ {UNCATALOGUED_MODEL}  context {UNCATALOGUED_CONTEXT}, max out {UNCATALOGUED_MAX_OUTPUT}" in lines
    )
    assert "- acme/retired-1  (no longer listed)" in lines
    assert f"~ {SMALL_CONTEXT_MODEL}  max_input_tokens: 202752 -> {SMALL_CONTEXT_LIMIT}" in lines
    # The emulator's table is written from GMI's public sources, not from our catalog, so the diff also
    # shows what those sources know and the catalog lacks (catalog_sources.md): ids and figures.
    assert "+ anthropic/claude-haiku-4.5  context -, max out -" in lines
    assert "~ Qwen/Qwen3-32B-FP8  max_input_tokens: - -> 131072" in lines
    catalog_ids = {e["id"] for e in json.loads(catalog_copy.read_text(encoding="utf-8"))["models"]}
    added = [line.split()[1] for line in lines if line.startswith("+ ")]
    changed = {line.split()[1] for line in lines if line.startswith("~ ")}  # one line per changed figure
    removed = [line for line in lines if line.startswith("- ")]
    assert added
    assert not catalog_ids & set(added)
    assert removed == ["- acme/retired-1  (no longer listed)"]  # every catalogued chat id is served
    assert lines[-1] == f"{len(added)} added, 1 removed, {len(changed)} changed"


@pytest.mark.vcr
def test_write_updates_and_keeps_curation(
    api_base: str, catalog_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {e["id"]: e for e in json.loads(catalog_copy.read_text(encoding="utf-8"))["models"]}
    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(catalog_copy)]) == 0
    changed = {line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("~ ")}
    assert SMALL_CONTEXT_MODEL in changed
    assert main(["models", "--write", "--api-base", api_base, "--catalog", str(catalog_copy)]) == 0
    assert f"wrote {catalog_copy}" in capsys.readouterr().out
    document = json.loads(catalog_copy.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    after = {e["id"]: e for e in document["models"]}

    glm = after[SMALL_CONTEXT_MODEL]
    assert glm["max_input_tokens"] == SMALL_CONTEXT_LIMIT
    assert glm["source"] == "GMI /v1/models (max_input_tokens); " + before[SMALL_CONTEXT_MODEL]["source"]
    assert glm["source_date"] == TODAY
    assert {k: v for k, v in glm.items() if k not in ("max_input_tokens", "source", "source_date")} == {
        k: v
        for k, v in before[SMALL_CONTEXT_MODEL].items()
        if k not in ("max_input_tokens", "source", "source_date")
    }
    new = after[UNCATALOGUED_MODEL]
    assert (new["max_input_tokens"], new["max_output_tokens"], new["input_cost_per_token"]) == (
        UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT, None
    )  # fmt: skip
    assert new["supports_function_calling"] is False
    assert after["acme/retired-1"]["deprecated"] is True
    untouched = set(before) - changed - {"acme/retired-1"}
    assert all(after[i] == before[i] for i in untouched)
    assert all(after[i]["source_date"] == TODAY for i in changed)

    assert main(["models", "--diff", "--api-base", api_base, "--catalog", str(catalog_copy)]) == 0
    assert capsys.readouterr().out.strip() == "catalog matches GMI's live list (chat models)"


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
