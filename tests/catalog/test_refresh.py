"""``litellm_gmi.refresh_models`` and the opt-in start-up refresh, against a tiny ``/v1/models`` stub.

The stub below is written for these tests (not the emulator): it serves a fixed GMI-style list on
127.0.0.1 (per-token ``pricing`` objects, a zero-price promo duplicate, a bare-UUID id) and records the
headers it was sent. ``hold`` makes it keep a request open until released, which shows the start-up
refresh runs beside the import instead of before it, without timing anything.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import litellm
import pytest
from conftest import closed_port, gmi_cost_rows_restored

import litellm_gmi
from litellm_gmi import catalog
from litellm_gmi.catalog import refresh
from litellm_gmi.catalog.model_refresh import LiveModel
from litellm_gmi.catalog.overlay import read_overlay, write_overlay
from litellm_gmi.constants import API_KEY_ENVS

KEY = "sk-refresh-test-0000000000"
M3 = "MiniMaxAI/MiniMax-M3"
SHIPPED_M3_INPUT = catalog.shipped_catalog()[M3]["input_cost_per_token"]
LISTING: dict[str, Any] = {
    "object": "list",
    "data": [
        {  # GMI's zero-price promo row for M3, listed before its priced row
            "id": M3,
            "context_length": 1048576,
            "pricing": {"prompt": "0", "completion": "0"},
        },
        {
            "id": M3,
            "context_length": 1048576,
            "max_output_length": 131072,
            "pricing": {"prompt": "0.0000007", "completion": "0.0000028", "input_cache_read": "0.00000014"},
        },
        {
            "id": "deepseek-ai/DeepSeek-V3.2",
            "context_length": 163840,
            "pricing": {"prompt": 2.9e-07, "completion": 4.3e-07},
        },
        {
            "id": "acme/brand-new-9b",
            "context_length": 32768,
            "pricing": {"prompt": 1e-07, "completion": 2e-07},
        },
        {"id": "0b6f2a51-7c9e-4d3a-9f11-2e5c8a7b6d40", "context_length": 4096},
    ],
}


class StubGMI(ThreadingHTTPServer):
    """``GET /v1/models`` on 127.0.0.1; everything else 404."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict[str, str]] = []
        """Headers of each ``GET /v1/models``."""
        self.paths: list[str] = []
        self.received = threading.Event()
        self.release = threading.Event()
        self.release.set()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: StubGMI

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        if self.path != "/v1/models":  # GMI's price list is not served here: the refresh goes on without it
            self._answer(404, {"error": "not found"})
            return
        self.server.seen.append(dict(self.headers))
        self.server.received.set()
        self.server.release.wait(timeout=30)
        self._answer(200, LISTING)

    def _answer(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: pytest shows what matters."""


@pytest.fixture
def stub() -> Iterator[StubGMI]:
    server = StubGMI()
    # A short poll: shutdown() waits up to one interval (0.5 s by default) at every test's end.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def overlay_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private overlay location for the test; LiteLLM's ``gmi/`` rows are restored afterwards."""
    with gmi_cost_rows_restored(monkeypatch):
        path = tmp_path / "cache" / "catalog_overlay.json"
        monkeypatch.setenv("LITELLM_GMI_CATALOG", str(path))
        for name in (
            *API_KEY_ENVS,
            "GMI_API_BASE",
            "GMI_ORG_ID",
            refresh.REFRESH_ON_START_ENV,
            refresh.REFRESH_TTL_ENV,
        ):
            monkeypatch.delenv(name, raising=False)
        yield path


# ------------------------------------------------------------------------------------ refresh_models ---
def test_refresh_writes_only_the_overlay_and_its_figures_win(stub: StubGMI, overlay_file: Path) -> None:
    shipped = catalog.catalog_path()
    before = shipped.read_bytes()
    assert litellm.get_model_info(f"gmi/{M3}")["input_cost_per_token"] == pytest.approx(SHIPPED_M3_INPUT)

    result = litellm_gmi.refresh_models(api_key=KEY, api_base=stub.base)

    assert shipped.read_bytes() == before  # the shipped catalog is untouched, byte for byte
    assert result.path == overlay_file
    assert [m.id for m in result.models] == [M3, "deepseek-ai/DeepSeek-V3.2", "acme/brand-new-9b"]
    assert stub.seen[0]["Authorization"] == f"Bearer {KEY}"
    stored = read_overlay(overlay_file)
    assert stored is not None
    assert stored.api_base == stub.base
    assert KEY not in overlay_file.read_text(encoding="utf-8")

    info = litellm.get_model_info(f"gmi/{M3}")  # registered at once: no restart needed
    assert info["input_cost_per_token"] == pytest.approx(7e-07)  # the priced row, not the promo row
    assert info["output_cost_per_token"] == pytest.approx(2.8e-06)
    assert info["cache_read_input_token_cost"] == pytest.approx(1.4e-07)
    assert info["max_output_tokens"] == 131072
    new = litellm.get_model_info("gmi/acme/brand-new-9b")
    assert (new["max_input_tokens"], new["input_cost_per_token"]) == (32768, pytest.approx(1e-07))
    entry = catalog.load_catalog()[M3]
    assert entry["source"].startswith("GMI /v1/models (max_output_tokens, input_cost_per_token")
    assert entry["notes"] == catalog.shipped_catalog()[M3]["notes"]  # curation survives


def test_refresh_to_another_path_leaves_the_loaded_catalog_alone(
    stub: StubGMI, overlay_file: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    result = litellm_gmi.refresh_models(api_key=KEY, api_base=stub.base, path=elsewhere)
    assert result.path == elsewhere
    assert elsewhere.is_file()
    assert not overlay_file.exists()
    assert "acme/brand-new-9b" not in catalog.load_catalog()


def test_refresh_refuses_the_installed_package(stub: StubGMI, overlay_file: Path) -> None:
    before = catalog.catalog_path().read_bytes()
    for target in (catalog.catalog_path(), Path(litellm_gmi.__file__).parent / "catalog_overlay.json"):
        with pytest.raises(ValueError, match="part of the installed package"):
            litellm_gmi.refresh_models(api_key=KEY, api_base=stub.base, path=target)
    assert catalog.catalog_path().read_bytes() == before
    assert not (Path(litellm_gmi.__file__).parent / "catalog_overlay.json").exists()
    assert stub.seen == []  # refused before asking GMI


def test_refresh_failures_are_refresh_errors_without_the_key(overlay_file: Path) -> None:
    with pytest.raises(litellm_gmi.RefreshError, match="no GMI API key") as no_key:
        litellm_gmi.refresh_models(api_base="http://127.0.0.1:9/v1")
    assert no_key.value.code == 2
    with pytest.raises(litellm_gmi.RefreshError, match="ConnectError") as down:
        litellm_gmi.refresh_models(api_key=KEY, api_base=f"http://127.0.0.1:{closed_port()}/v1", timeout=5)
    assert down.value.code == 1
    assert KEY not in str(down.value)
    assert not overlay_file.exists()


# ------------------------------------------------------------------------------- refresh at start-up ---
def test_start_up_refresh_is_opt_in(
    stub: StubGMI, overlay_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GMI_API_KEY", KEY)
    monkeypatch.setenv("GMI_API_BASE", stub.base)
    assert refresh.start_refresh_on_start() is None  # not enabled
    monkeypatch.setenv(refresh.REFRESH_ON_START_ENV, "1")
    monkeypatch.delenv("GMI_API_KEY")
    assert refresh.start_refresh_on_start() is None  # enabled, but no key
    assert stub.seen == []


def test_start_up_refresh_runs_beside_the_import_and_honours_the_ttl(
    stub: StubGMI, overlay_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GMI_API_KEY", KEY)
    monkeypatch.setenv("GMI_API_BASE", stub.base)
    monkeypatch.setenv(refresh.REFRESH_ON_START_ENV, "1")
    stub.release.clear()  # GMI answers only when the test says so

    thread = refresh.start_refresh_on_start()

    assert thread is not None
    assert thread.daemon
    assert stub.received.wait(timeout=30)
    assert thread.is_alive()  # the caller got control back while GMI has not answered yet
    assert not overlay_file.exists()
    stub.release.set()
    thread.join(timeout=30)
    assert overlay_file.is_file()
    assert litellm.get_model_info(f"gmi/{M3}")["input_cost_per_token"] == pytest.approx(7e-07)

    monkeypatch.setenv(refresh.REFRESH_TTL_ENV, "3600")
    assert refresh.start_refresh_on_start() is None  # the overlay is younger than the TTL
    os.utime(overlay_file, (0, 0))
    stale = refresh.start_refresh_on_start()
    assert stale is not None
    stale.join(timeout=30)
    assert len(stub.seen) == 2


def test_unreachable_gmi_never_fails_the_start_up_refresh(
    overlay_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GMI_API_KEY", KEY)
    monkeypatch.setenv("GMI_API_BASE", f"http://127.0.0.1:{closed_port()}/v1")
    monkeypatch.setenv(refresh.REFRESH_ON_START_ENV, "1")
    with caplog.at_level(logging.WARNING, logger="litellm_gmi"):
        thread = refresh.start_refresh_on_start()
        assert thread is not None
        thread.join(timeout=30)
    assert not overlay_file.exists()
    (record,) = [r for r in caplog.records if "start-up catalog refresh failed" in r.getMessage()]
    assert KEY not in record.getMessage()
    assert litellm.get_model_info(f"gmi/{M3}")["input_cost_per_token"] == pytest.approx(SHIPPED_M3_INPUT)


def test_import_loads_the_overlay_and_survives_unreachable_gmi(overlay_file: Path) -> None:
    """What the proxy does at start-up: ``import litellm_gmi``, here with an overlay, the refresh on and
    GMI down. The overlay's figures win in ``get_model_info`` and start-up goes on."""
    write_overlay([LiveModel(M3, 1048576, None, 9e-07, 3.6e-06)], fetched="2027-01-15", path=overlay_file)
    before = overlay_file.read_bytes()
    env = {k: v for k, v in os.environ.items() if k not in API_KEY_ENVS}
    env.update(
        GMI_API_KEY=KEY,
        GMI_API_BASE=f"http://127.0.0.1:{closed_port()}/v1",
        LITELLM_GMI_REFRESH_ON_START="1",
        LITELLM_GMI_REFRESH_TTL="0",  # the overlay counts as stale: a refresh is attempted
        LITELLM_GMI_CATALOG=str(overlay_file),
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    script = (
        "import logging, threading, litellm, litellm_gmi\n"
        "logging.basicConfig(level=logging.WARNING)\n"
        "info = litellm.get_model_info('gmi/MiniMaxAI/MiniMax-M3')\n"
        "print(info['input_cost_per_token'], info['output_cost_per_token'], flush=True)\n"
        "[t.join(30) for t in threading.enumerate() if t.name == 'litellm_gmi-catalog-refresh']\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["9e-07", "3.6e-06"]  # the overlay's figures, not the shipped 6e-07
    assert "start-up catalog refresh failed" in done.stderr
    assert KEY not in done.stderr
    assert overlay_file.read_bytes() == before  # a failed refresh leaves the overlay as it was
