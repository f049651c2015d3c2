"""Shared test configuration: the VCR setup and the local GMI emulator.

Cassettes
    One per test, under ``tests/cassettes/<test module>/<test name>.yaml``. They are recorded by really
    running the code against the emulator (``--record-mode=once``) or, with ``GMI_RECORD_LIVE=1`` and a
    real ``GMI_API_KEY``, against the live API (``--record-mode=rewrite``). CI replays them with
    ``--record-mode=none`` (see pyproject), so a missing cassette fails instead of calling out.

    Secrets never reach a cassette: ``Authorization`` and ``X-Organization-ID`` are replaced with
    ``REDACTED`` (so a review still sees that they were sent), and tests/test_secret_hygiene.py scans every
    file for anything key-shaped.

    Requests match on method, path, query, the JSON body (parsed, so key order does not matter) and the
    headers GMI cares about. Scheme, host and port are not matched: the emulator listens on a free port,
    and a cassette recorded live must still replay in CI where only the emulator exists.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
from asyncio import sleep as _asleep
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from time import monotonic as _monotonic
from time import sleep as _sleep
from typing import Any, TypeVar

# LiteLLM reads these at import time: never fetch the remote cost map, and use httpx (which VCR records)
# rather than the aiohttp transport for async calls. tiktoken's files need nothing: `import litellm_gmi`
# points tiktoken at LiteLLM's copy (tests/litellm_seams/test_tiktoken_cache.py).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("DISABLE_AIOHTTP_TRANSPORT", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # token_counter on Llama ids would try the Hugging Face hub
# The shipped catalog only: a developer's own overlay (from `litellm-gmi models --write`) must not change
# what tests see, and no test process refreshes from GMI at import. Tests that need an overlay set their own.
os.environ["LITELLM_GMI_CATALOG"] = str(Path(__file__).parent / "no-such-dir" / "catalog_overlay.json")
os.environ.pop("LITELLM_GMI_REFRESH_ON_START", None)


import pytest
import yaml

from gmi_emulator import GMIEmulator
from litellm_gmi.constants import API_KEY_ENVS, DEFAULT_API_BASE, DEFAULT_QUEUE_API_BASE


class _SnapshotLoggerDict(dict):  # type: ignore[type-arg]
    """logging's registry of loggers, whose ``values()`` is a copy, taken at once under the GIL.

    pytest (9.1 and 9.2 seen) iterates ``logging.root.manager.loggerDict.values()`` in ``catching_logs``
    at every test phase, without logging's lock, so a logger another thread creates meanwhile (LiteLLM's
    logging threads import modules lazily, each with its ``getLogger(__name__)``) failed a teardown
    with "dictionary changed size during iteration" (once, CI's proxy leg, in a pure unit test). Only
    pytest's iteration changes: ``getLogger`` still reads and writes this same dict under its lock.
    """

    def values(self) -> list[Any]:  # type: ignore[override]
        return list(super().values())


logging.root.manager.loggerDict = _SnapshotLoggerDict(logging.root.manager.loggerDict)


T = TypeVar("T")
CASSETTE_ROOT = Path(__file__).parent / "cassettes"
TEST_API_KEY = "sk-gmi-test-0000000000000000000000"

PROXY_DEPENDENCIES = ("fastapi", "orjson", "backoff", "soundfile", "redis")
"""Modules LiteLLM's proxy code imports, which a plain ``pip install litellm`` lacks. LiteLLM's streamed
native ``/v1/messages`` imports that code even outside a proxy (measured on 1.109.3 and 1.110.2)."""

needs_proxy_dependencies = pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in PROXY_DEPENDENCIES),
    reason='needs LiteLLM\'s proxy dependencies: pip install -e ".[proxy]" (or ".[proxy-deps]" where '
    "litellm[proxy] cannot be installed)",
)
TEST_ORG_ID = "org-test-4242"
LIVE_API_KEY = os.environ.get("GMI_API_KEY", "")
LIVE = os.environ.get("GMI_RECORD_LIVE") == "1" and bool(LIVE_API_KEY)
"""Recording against GMI itself needs both a real key and an explicit opt-in."""
EMULATOR_PORT = 8765
"""Recorded URIs show the emulator on this port whatever port it really had, for stable diffs."""

# Context limits the test emulator enforces instead of the catalog's, so overflow tests stay small.
SMALL_CONTEXT_MODEL = "zai-org/GLM-4.7-FP8"
SMALL_CONTEXT_LIMIT = 256

_SECRET_HEADERS = ("authorization", "x-organization-id", "api-key", "x-api-key", "cookie", "set-cookie")
_NOISY_RESPONSE_HEADERS = ("date", "server", "x-request-id", "cf-ray", "set-cookie")
_MATCHED_HEADERS = ("x-organization-id", "content-type")
_LOCAL_URL = re.compile(r"http://(127\.0\.0\.1|localhost):\d+")
_LOCAL_URL_BYTES = re.compile(rb"http://(127\.0\.0\.1|localhost):\d+")


# --------------------------------------------------------------------------------------------- VCR ---
class ReadableJSONSerializer:
    """YAML cassettes whose JSON bodies are stored as YAML trees, so a diff shows which field changed."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        for interaction in cassette_dict.get("interactions", []):
            _tree_body(interaction["request"], "body")
            _tree_body(interaction["response"]["body"], "string")
        return str(yaml.safe_dump(cassette_dict, sort_keys=False, allow_unicode=True, width=110))

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(cassette_string) or {}
        for interaction in data.get("interactions", []):
            _string_body(interaction["request"], "body")
            _string_body(interaction["response"]["body"], "string")
        return data


def _tree_body(holder: dict[str, Any], key: str) -> None:
    body = holder.get(key)
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            return
    if isinstance(body, str):
        try:
            holder[key] = {"json": json.loads(body)}
            return
        except ValueError:
            holder[key] = body
    elif body is not None:
        holder[key] = body


def _string_body(holder: dict[str, Any], key: str) -> None:
    body = holder.get(key)
    if isinstance(body, dict) and set(body) == {"json"}:
        holder[key] = json.dumps(body["json"])


def _canonical_request(request: Any) -> Any:
    canonical = f"http://127.0.0.1:{EMULATOR_PORT}"
    request.uri = _LOCAL_URL.sub(canonical, request.uri)
    # Bodies can quote URLs the emulator handed out (an uploaded file's public URL).
    if isinstance(request.body, bytes):
        request.body = _LOCAL_URL_BYTES.sub(canonical.encode(), request.body)
    elif isinstance(request.body, str):
        request.body = _LOCAL_URL.sub(canonical, request.body)
    for name in list(request.headers):
        if name.lower() == "host":  # carries the emulator's random port: noise in every diff
            del request.headers[name]
        elif name.lower() in _SECRET_HEADERS:
            request.headers[name] = "REDACTED"
    return request


def _canonical_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _NOISY_RESPONSE_HEADERS:
            del headers[name]
    # Artifact and upload URLs in queue answers name the emulator's random port; requests are not
    # matched on host or port, so the canonical port replays the same.
    # vcrpy runs this on loaded cassettes too, and its stubs need the body's original type back.
    body = response.get("body", {})
    raw = body.get("string")
    canonical = f"http://127.0.0.1:{EMULATOR_PORT}"
    if isinstance(raw, str):
        body["string"] = _LOCAL_URL.sub(canonical, raw)
    elif isinstance(raw, bytes):
        body["string"] = _LOCAL_URL_BYTES.sub(canonical.encode(), raw)
    return response


def _json_body_matcher(recorded: Any, live: Any) -> None:
    assert _parsed(recorded.body) == _parsed(live.body), "request bodies differ"


def _parsed(body: Any) -> Any:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not body:
        return None
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return body


def _gmi_headers_matcher(recorded: Any, live: Any) -> None:
    """Headers GMI acts on must agree: the organisation header's presence and the content type."""
    for name in _MATCHED_HEADERS:
        r_has = any(k.lower() == name for k in recorded.headers)
        l_has = any(k.lower() == name for k in live.headers)
        assert r_has == l_has, f"header {name} sent in one request only"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "before_record_request": _canonical_request,
        "before_record_response": _canonical_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "query", "json_body", "gmi_headers"],
        "serializer": "yaml",
        "allow_playback_repeats": False,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTE_ROOT / request.module.__name__.rsplit(".", 1)[-1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark integration tests (tests/kinds.py), here and in emulator/tests, for ``-m "not integration"``."""
    from kinds import is_integration

    for item in items:
        function = getattr(item, "function", None)
        if function is not None and is_integration(Path(str(item.path)), function.__name__):
            item.add_marker(pytest.mark.integration)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", ReadableJSONSerializer)  # replaces vcrpy's plain YAML
    vcr.register_matcher("json_body", _json_body_matcher)
    vcr.register_matcher("gmi_headers", _gmi_headers_matcher)


# ---------------------------------------------------------------------------------------- emulator ---
@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[GMIEmulator]:
    with GMIEmulator(context_limits={SMALL_CONTEXT_MODEL: SMALL_CONTEXT_LIMIT}) as emulator:
        yield emulator


@pytest.fixture
def gmi_emulator(_emulator_server: GMIEmulator) -> Iterator[GMIEmulator]:
    """The session's emulator, with faults and recorded requests cleared around each test."""
    _emulator_server.reset()
    yield _emulator_server
    _emulator_server.reset()


@pytest.fixture
def small_context_model() -> str:
    """A catalog model the test emulator limits to a few hundred tokens, so overflows stay small."""
    return SMALL_CONTEXT_MODEL


@pytest.fixture
def gmi_env(gmi_emulator: GMIEmulator, monkeypatch: pytest.MonkeyPatch) -> GMIEmulator:
    """Point the package at the emulator (or at GMI itself when recording live) through the environment."""
    for name in (*API_KEY_ENVS, "GMI_ORG_ID", "GMI_API_BASE", "GMI_QUEUE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    if LIVE:
        monkeypatch.setenv("GMI_API_KEY", LIVE_API_KEY)
        monkeypatch.setenv("GMI_API_BASE", DEFAULT_API_BASE)
        monkeypatch.setenv("GMI_QUEUE_API_BASE", DEFAULT_QUEUE_API_BASE)
    else:
        monkeypatch.setenv("GMI_API_KEY", TEST_API_KEY)
        monkeypatch.setenv("GMI_API_BASE", gmi_emulator.chat_base)
        monkeypatch.setenv("GMI_QUEUE_API_BASE", gmi_emulator.queue_base)
    return gmi_emulator


@contextmanager
def fast_jobs(emulator: GMIEmulator, step: float = 0.02) -> Iterator[GMIEmulator]:
    """The emulator's queue jobs progress every ``step`` seconds of real time: by default 20 ms, so
    recording takes no time and replays do not wait; an hour keeps a job unfinished whatever the load."""
    store = emulator.state.queue
    previous, store.step = store.step, step
    try:
        yield emulator
    finally:
        store.step = previous


@pytest.fixture
def fast_queue(gmi_env: GMIEmulator) -> Iterator[GMIEmulator]:
    """:func:`fast_jobs` on the emulator the package is pointed at (:func:`gmi_env`)."""
    with fast_jobs(gmi_env) as emulator:
        yield emulator


# ----------------------------------------------------------------------------------- fault server ---
@pytest.fixture(scope="session")
def _fault_server() -> Iterator[Any]:
    # A bare name: pytest puts tests/ on sys.path, and an editable gmi-emulator install puts its own
    # regular package `tests` ahead of this folder's, so `tests.fault_server` may not resolve.
    from fault_server import FaultServer

    with FaultServer() as server:
        yield server


@pytest.fixture
def fault_gmi(_fault_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The independent fault server (tests/fault_server.py) as GMI, its script and log cleared per test."""
    for name in (*API_KEY_ENVS, "GMI_ORG_ID", "GMI_QUEUE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GMI_API_KEY", TEST_API_KEY)
    monkeypatch.setenv("GMI_API_BASE", _fault_server.base)
    _fault_server.clear()
    yield _fault_server
    _fault_server.clear()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``time.sleep`` and ``asyncio.sleep`` recorded and cut short (tests/sleep_recorder.py)."""
    import asyncio
    import time

    from sleep_recorder import SleepRecorder  # bare name, as fault_server above

    recorder = SleepRecorder()
    monkeypatch.setattr(time, "sleep", recorder.sync)
    monkeypatch.setattr(asyncio, "sleep", recorder.asleep)
    return recorder


@pytest.fixture
def refusing_model(monkeypatch: pytest.MonkeyPatch) -> str:
    """A model whose row says ``supports_reasoning: false``. No catalog row does (no source shows GMI
    refusing reasoning for any model), so the refusal path is exercised on a patched row."""
    from litellm_gmi.catalog import capabilities, load_catalog

    model = "acme/refuses-reasoning"
    rows = {model: {**load_catalog()["openai/gpt-4o"], "id": model, "supports_reasoning": False}}
    monkeypatch.setattr(capabilities, "entry", lambda name: rows.get(name) or load_catalog().get(name))
    return model


# ---------------------------------------------------------------------------- state others update ---
def eventually(read: Callable[[], T], done: Callable[[T], bool], within: float) -> T:
    """``read()`` once ``done`` holds for it, else its last value after ``within`` s: for state another
    thread updates on its own time (a server's log, LiteLLM's logging threads, a socket's far end). The
    caller asserts on the value, so a wait that runs out fails there, and a condition that can never
    hold (a leak) fails too. Real sleeps, so a test's patched ``time.sleep`` does not shorten it."""
    deadline = _monotonic() + within
    while not done(value := read()) and _monotonic() < deadline:
        _sleep(0.01)
    return value


async def aeventually(read: Callable[[], T], done: Callable[[T], bool], within: float) -> T:
    """:func:`eventually` for state updated on the test's own event loop (LiteLLM's logging tasks)."""
    deadline = _monotonic() + within
    while not done(value := read()) and _monotonic() < deadline:
        await _asleep(0.01)
    return value


def closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused at once."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as server:
        return int(server.server_address[1])


@contextmanager
def gmi_cost_rows_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LiteLLM's ``gmi/`` cost rows and the catalog as they were, after a test that refreshes them;
    the test's environment (``monkeypatch``) is undone first, so the catalog reloads without it."""
    import litellm

    from litellm_gmi import catalog

    saved = {key: dict(row) for key, row in litellm.model_cost.items() if key.startswith("gmi/")}
    try:
        yield
    finally:
        monkeypatch.undo()
        for key in [key for key in litellm.model_cost if key.startswith("gmi/") and key not in saved]:
            del litellm.model_cost[key]
        litellm.model_cost.update(saved)
        catalog.reload_catalog()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test module's ``after_each_call()``, if it has one, once each test's call phase ends
    (tests/test_secret_hygiene.py: LiteLLM's debug printing stopped before pytest reports)."""
    yield
    after = getattr(getattr(item, "module", None), "after_each_call", None)
    if callable(after):
        after()
