"""Issue 21, item 4 through a real proxy: an upstream that echoes the key and organisation on the native
``/v1/messages`` and ``/v1/responses`` routes reaches neither the proxy's client nor its debug log.

The proxy runs the example config's two native entries with ``GMI_ORG_ID`` set, ``--detailed_debug``, and
neither retries, fallbacks nor cooldowns (so every test reaches the upstream); the independent fault
server (tests/fault_server.py) plays GMI and echoes both credentials in every error body.
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

from litellm_gmi.native.routes import native_routes_available

from fault_server import FaultServer, Reply

GMI_KEY = "sk-gmi-proxy-native-secret-7Hq2Lx9Vw4"
GMI_ORG = "org-proxy-native-secret-5c1e8a"
HELLO = [{"role": "user", "content": "Say hello to the proxy."}]
ECHO = {"error": {"message": f"key {GMI_KEY} of org {GMI_ORG} refused (Authorization: Bearer {GMI_KEY})"}}

CONFIG = """\
model_list:
  - model_name: claude-sonnet
    litellm_params:
      model: gmi/anthropic/claude-sonnet-4.5
      api_key: os.environ/GMI_API_KEY
    model_info:
      supported_endpoints: ["/v1/chat/completions", "/v1/messages"]
  - model_name: gpt-5.2
    litellm_params:
      model: gmi/openai/gpt-5.2
      api_key: os.environ/GMI_API_KEY
    model_info:
      supported_endpoints: ["/v1/chat/completions", "/v1/responses"]
litellm_settings:
  custom_provider_map:
    - provider: gmi
      custom_handler: litellm_gmi.gmi_provider
router_settings:
  num_retries: 0
  disable_cooldowns: true
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""

native = pytest.mark.skipif(not native_routes_available(), reason="this LiteLLM has no pass-through")


@pytest.fixture(scope="module")
def native_proxy(_fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    env = {**proxy_env(chat_base=_fault_server.base, gmi_key=GMI_KEY), "GMI_ORG_ID": GMI_ORG}
    workdir = tmp_path_factory.mktemp("litellm_native_secret_proxy")
    config = workdir / "native_secrets.yaml"
    config.write_text(CONFIG)
    with running_proxy(workdir, env, config, args=["--detailed_debug"]) as running:
        yield running


@pytest.fixture
def proxied(
    native_proxy: Proxy, _fault_server: FaultServer
) -> Iterator[tuple[httpx.Client, FaultServer, int]]:
    _fault_server.clear()
    offset = native_proxy.log_path.stat().st_size
    headers = {"Authorization": f"Bearer {MASTER_KEY}"}
    with httpx.Client(base_url=native_proxy.base_url, headers=headers, timeout=60) as client:
        try:
            yield client, _fault_server, offset
        except BaseException:
            print(_log_tail(native_proxy.log_path, offset))
            raise
    _fault_server.clear()


REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("/v1/messages", {"model": "claude-sonnet", "max_tokens": 64, "messages": HELLO}),
    ("/v1/responses", {"model": "gpt-5.2", "input": "Hi"}),
]


@native
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize("status", [401, 500])
@pytest.mark.parametrize(("path", "body"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_an_echoed_key_and_org_reach_neither_answer_nor_log(
    proxied: tuple[httpx.Client, FaultServer, int],
    native_proxy: Proxy,
    path: str,
    body: dict[str, Any],
    status: int,
    stream: bool,
) -> None:
    client, server, offset = proxied
    server.script(Reply(status=status, body=ECHO))
    response = client.post(path, json={**body, "stream": stream})

    assert response.status_code == status, response.text
    assert server.seen, "the proxy never reached the fault server"
    assert [s.path for s in server.seen] == [path]
    assert server.seen[0].headers["X-Organization-ID"] == GMI_ORG
    for secret in (GMI_KEY, GMI_ORG):
        assert secret not in response.text
        assert secret not in repr(dict(response.headers))
    assert "****" in response.text  # masked by litellm_gmi, not by LiteLLM's own "REDACTED"
    log = _log_tail(native_proxy.log_path, offset, limit=10_000_000)
    assert path in log  # the debug log really covers the call
    leaked = [line for line in log.splitlines() if GMI_KEY in line or GMI_ORG in line]
    assert leaked == [], f"{len(leaked)} log lines hold a credential, e.g. {leaked[:3]}"
