"""``proxy_config.example.yaml`` in a real ``litellm --config`` proxy, aimed at the independent fault server.

Issue 14 through the proxy: a streamed request is retried after upstream 429s (item 2), a media job is
submitted once whatever fails (item 3), an echoed key never reaches the proxy's client (item 5), and a
garbage upstream body is a 5xx, not a 400 blaming the client (item 12). One proxy serves the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from test_proxy_config import (
    MASTER_KEY,
    Proxy,
    _log_tail,
    proxy_env,
    pytestmark,  # noqa: F401 - the same skip when the proxy is not installed, and the same one rerun
    running_proxy,
)

from fault_server import FaultServer, Reply, good_stream

GMI_KEY = "sk-gmi-proxy-fault-key-0123456789"
HELLO = [{"role": "user", "content": "Say hello to the proxy."}]


@pytest.fixture(scope="module")
def fault_proxy(_fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    env = proxy_env(chat_base=_fault_server.base, queue_base=_fault_server.root, gmi_key=GMI_KEY)
    with running_proxy(tmp_path_factory.mktemp("litellm_fault_proxy"), env) as running:
        yield running


@pytest.fixture
def proxied(fault_proxy: Proxy, _fault_server: FaultServer) -> Iterator[tuple[httpx.Client, FaultServer]]:
    _fault_server.clear()
    offset = fault_proxy.log_path.stat().st_size
    with httpx.Client(
        base_url=fault_proxy.base_url, headers={"Authorization": f"Bearer {MASTER_KEY}"}, timeout=60
    ) as client:
        try:
            yield client, _fault_server
        except BaseException:
            print(_log_tail(fault_proxy.log_path, offset))
            raise
    _fault_server.clear()


def _stream(client: httpx.Client, model: str = "gmi/deepseek-ai/DeepSeek-V3.2") -> tuple[int, str]:
    body: dict[str, Any] = {"model": model, "messages": HELLO, "stream": True}
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        return response.status_code, response.read().decode()


def test_a_streamed_request_is_retried_after_upstream_429s(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    limited = Reply(status=429, body={"error": "rate limited"}, headers={"Retry-After": "0"})
    server.script(limited, limited, Reply(kind="sse", events=good_stream("Hel", "lo.")))
    status, text = _stream(client)
    assert status == 200, text
    assert '"Hel"' in text
    assert "[DONE]" in text
    assert server.count("/chat/completions") == 3


def test_an_echoed_key_never_reaches_the_proxys_client(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    server.script(Reply(status=401, body={"error": {"message": f"bad key: Authorization: Bearer {GMI_KEY}"}}))
    status, text = _stream(client)
    assert status == 401, text
    assert GMI_KEY not in text
    assert "****" in text


def test_a_garbage_upstream_body_is_a_5xx_not_a_400(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    server.script(*[Reply(body=b"[1, 2]")] * 6)  # enough for the proxy's retries and fallback
    response = client.post(
        "/v1/chat/completions", json={"model": "gmi/deepseek-ai/DeepSeek-V3.2", "messages": HELLO}
    )
    assert response.status_code >= 500, response.text
    assert "Traceback" not in response.text


def test_a_failed_media_job_is_submitted_once(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    queued = {
        "request_id": "req-1",
        "model": "seedream-5.0-lite",
        "status": "queued",
        "created_at": 1,
        "updated_at": 1,
    }
    server.route("POST", "/requests", Reply(body=queued))
    server.route(
        "GET", "/requests/req-1", Reply(body={**queued, "status": "failed", "outcome": {"error": "nsfw"}})
    )
    response = client.post(
        "/v1/images/generations",
        json={"model": "gmi/seedream-5.0-lite", "prompt": "a fox", "poll_interval": 0.02},
    )
    assert response.status_code == 424, response.text
    assert "nsfw" in response.text
    assert server.count("/requests", method="POST") == 1


def test_a_submit_500_is_not_resubmitted(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    server.route("POST", "/requests", Reply(status=500, body={"error": "boom"}))
    response = client.post(
        "/v1/images/generations", json={"model": "gmi/seedream-5.0-lite", "prompt": "a fox"}
    )
    assert response.status_code == 424, response.text
    assert server.count("/requests", method="POST") == 1


def test_pin_the_proxy_blames_the_client_for_attribute_errors() -> None:
    """LiteLLM's rule our unreadable-body error avoids (README, Errors): an ``AttributeError`` in an
    exception's chain becomes a 400. When this fails, the proxy changed that rule."""
    import inspect

    from litellm.proxy import common_request_processing

    source = inspect.getsource(common_request_processing)
    assert "Invalid request format" in source
    assert "AttributeError" in source
