"""``import litellm_gmi`` points tiktoken at LiteLLM's bundled encodings, so ``gmi/`` works offline.

The end-to-end check runs tests/offline_client.py in a fresh interpreter with a clean environment (no
variable a user would not have), all network but 127.0.0.1 refused, against a stub OpenAI-compatible
server in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import litellm.main
import pytest

from litellm_gmi.litellm_seams import tiktoken_cache

CLIENT = Path(__file__).resolve().parents[1] / "offline_client.py"
REPLY = "Rayleigh scattering."
STUB_KEY = "sk-offline-stub"

LITELLM_POINTS_TIKTOKEN_ITSELF = hasattr(litellm.main, "_load_default_encoding")
"""Newer LiteLLM loads ``main.encoding`` through ``default_encoding``, which sets the cache itself; 1.81.1
calls ``tiktoken.get_encoding`` directly, so without our fix it downloads."""

WITHOUT_FIX = (
    "import sys, types, runpy; "
    "stub = types.ModuleType('litellm_gmi.litellm_seams.tiktoken_cache'); "
    "stub.use_litellm_encodings = lambda: None; "
    "sys.modules[stub.__name__] = stub; "
    "runpy.run_path(sys.argv[1], run_name='__main__')"
)
"""The client with ``litellm_gmi``'s fix replaced by a no-op before the package is imported."""


# ------------------------------------------------------------------------------------------ unit ---
@pytest.fixture
def clean_cache_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR", "CUSTOM_TIKTOKEN_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_points_tiktoken_at_the_encodings_litellm_ships(clean_cache_env: pytest.MonkeyPatch) -> None:
    tiktoken_cache.use_litellm_encodings()
    folder = Path(os.environ["TIKTOKEN_CACHE_DIR"])
    assert folder == Path(litellm.__file__).parent / "litellm_core_utils" / "tokenizers"
    # tiktoken's cache key for cl100k_base: sha1 of its download URL.
    assert (folder / "9b5ad71b2ce5302211f9c61530b329a4922fc6a4").is_file()


@pytest.mark.parametrize("name", ["TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"])
def test_a_cache_the_user_chose_wins(clean_cache_env: pytest.MonkeyPatch, name: str) -> None:
    clean_cache_env.setenv(name, "/somewhere/else")
    tiktoken_cache.use_litellm_encodings()
    assert os.environ[name] == "/somewhere/else"
    if name == "DATA_GYM_CACHE_DIR":
        assert "TIKTOKEN_CACHE_DIR" not in os.environ


def test_litellms_own_override_variable_is_honoured(clean_cache_env: pytest.MonkeyPatch) -> None:
    clean_cache_env.setenv("CUSTOM_TIKTOKEN_CACHE_DIR", "/custom")
    tiktoken_cache.use_litellm_encodings()
    assert os.environ["TIKTOKEN_CACHE_DIR"] == "/custom"


# ----------------------------------------------------------------------------------- end to end ---
class _StubHandler(BaseHTTPRequestHandler):
    """``POST /v1/chat/completions``, plain or SSE, answering :data:`REPLY` with usage."""

    server: _StubServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.path, self.headers.get("Authorization"), bool(body.get("stream"))))
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        base = {"id": "chatcmpl-stub", "created": 1, "model": body["model"]}
        usage = {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
        if not body.get("stream"):
            message = {"role": "assistant", "content": REPLY}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            self._send(
                "application/json",
                json.dumps({**base, "object": "chat.completion", "choices": [choice], "usage": usage}),
            )
            return
        chunk = {**base, "object": "chat.completion.chunk"}
        events = [
            {**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": REPLY}}]},
            {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
            {**chunk, "choices": [], "usage": usage},
        ]
        text = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
        self._send("text/event-stream", text)

    def _send(self, content_type: str, text: str) -> None:
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StubHandler)
        self.seen: list[tuple[str, str | None, bool]] = []


@pytest.fixture
def stub() -> Iterator[_StubServer]:
    server = _StubServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _run_client(
    stub: _StubServer, home: Path, *, without_fix: bool = False
) -> subprocess.CompletedProcess[str]:
    """The client in a fresh interpreter whose environment holds only what a user's shell would."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "TMPDIR": str(home),  # tiktoken's default cache lives under it: start with none
        "GMI_API_KEY": STUB_KEY,
        "GMI_API_BASE": f"http://127.0.0.1:{stub.server_address[1]}/v1",
    }
    if "PYTHONPATH" in os.environ:  # a source checkout run without installing it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    command = [sys.executable, "-c", WITHOUT_FIX] if without_fix else [sys.executable]
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [*command, str(CLIENT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_plain_streamed_and_async_calls_work_offline(stub: _StubServer, tmp_path: Path) -> None:
    result = _run_client(stub, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == {"plain": REPLY, "stream": REPLY, "async": REPLY}
    assert stub.seen == [
        ("/v1/chat/completions", f"Bearer {STUB_KEY}", False),
        ("/v1/chat/completions", f"Bearer {STUB_KEY}", True),
        ("/v1/chat/completions", f"Bearer {STUB_KEY}", False),
    ]


@pytest.mark.skipif(LITELLM_POINTS_TIKTOKEN_ITSELF, reason="this LiteLLM points tiktoken at its copy itself")
def test_without_the_fix_the_same_calls_try_to_download_tiktoken(stub: _StubServer, tmp_path: Path) -> None:
    result = _run_client(stub, tmp_path, without_fix=True)
    assert result.returncode != 0
    assert "openaipublic.blob.core.windows.net" in result.stderr
    assert stub.seen == []
