"""Key, base URL and organisation resolution: argument first, then environment, then default."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import litellm
import pytest
from litellm.integrations.custom_secret_manager import CustomSecretManager
from litellm.secret_managers.main import get_secret_str
from litellm.types.secret_managers.main import KeyManagementSettings, KeyManagementSystem

from litellm_gmi import common_utils as common
from litellm_gmi.constants import API_KEY_ENVS, DEFAULT_API_BASE, DEFAULT_QUEUE_API_BASE


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_QUEUE_API_BASE", "GMI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)


def test_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_API_KEY", "sk-env")
    assert common.resolve_api_key("sk-arg") == "sk-arg"
    assert common.resolve_api_key(None) == "sk-env"


@pytest.mark.parametrize("name", API_KEY_ENVS)
def test_every_alias_is_read(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, f"sk-from-{name}")
    assert common.resolve_api_key() == f"sk-from-{name}"


def test_aliases_are_tried_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_MAAS_API_KEY", "sk-last")
    monkeypatch.setenv("GMICLOUD_API_KEY", "sk-middle")
    assert common.resolve_api_key() == "sk-middle"


def test_missing_key_names_every_variable_tried() -> None:
    with pytest.raises(litellm.AuthenticationError) as info:
        common.resolve_api_key(model="m")
    for name in API_KEY_ENVS:
        assert name in str(info.value)


def test_base_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    assert common.resolve_api_base() == DEFAULT_API_BASE
    assert common.resolve_queue_api_base() == DEFAULT_QUEUE_API_BASE
    monkeypatch.setenv("GMI_API_BASE", "http://127.0.0.1:1/v1/")
    monkeypatch.setenv("GMI_QUEUE_API_BASE", "http://127.0.0.1:1/q/")
    assert common.resolve_api_base() == "http://127.0.0.1:1/v1"
    assert common.resolve_queue_api_base() == "http://127.0.0.1:1/q"
    assert common.resolve_api_base("http://arg/v1") == "http://arg/v1"


def test_organisation_header(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "X-Organization-ID" not in common.resolve_credentials("k").headers()
    monkeypatch.setenv("GMI_ORG_ID", "org-env")
    assert common.resolve_credentials("k").headers()["X-Organization-ID"] == "org-env"
    assert common.resolve_org_id("org-arg") == "org-arg"


def test_credentials_keep_the_key_and_organisation_out_of_their_repr() -> None:
    credentials = common.resolve_credentials("sk-secret-key", "http://127.0.0.1:1/v1", "org-secret")
    assert "sk-secret-key" not in repr(credentials)
    assert "org-secret" not in repr(credentials)
    assert credentials.secrets == ("sk-secret-key", "org-secret")


def test_user_agent_names_the_package_and_litellm() -> None:
    agent = common.user_agent()
    assert agent.startswith("litellm_gmi/")
    assert agent.endswith(f" litellm/{version('litellm')}")


def test_merge_headers_is_case_insensitive() -> None:
    merged = common.merge_headers({"User-Agent": "a", "X": "1"}, {"user-agent": "b"})
    assert merged == {"X": "1", "user-agent": "b"}


class _Vault(CustomSecretManager):  # type: ignore[misc]
    """A LiteLLM custom secret manager holding secrets in a dict, recording every name asked for."""

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__(secret_manager_name="test-vault")
        self.secrets = secrets
        self.asked: list[str] = []

    def sync_read_secret(self, secret_name: str, optional_params: Any = None, timeout: Any = None) -> Any:
        self.asked.append(secret_name)
        return self.secrets.get(secret_name)

    async def async_read_secret(
        self, secret_name: str, optional_params: Any = None, timeout: Any = None
    ) -> Any:
        return self.sync_read_secret(secret_name)

    async def async_write_secret(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def async_delete_secret(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> _Vault:
    """LiteLLM configured as the proxy's ``key_management_system: custom`` configures it."""
    manager = _Vault({"GMI_CLOUD_API_KEY": "sk-from-vault"})
    monkeypatch.setattr(litellm, "secret_manager_client", manager)
    monkeypatch.setattr(litellm, "_key_management_system", KeyManagementSystem.CUSTOM)
    monkeypatch.setattr(litellm, "_key_management_settings", KeyManagementSettings(access_mode="read_only"))
    return manager


def test_keys_come_through_litellms_get_secret_str() -> None:
    # The LiteLLM internal we rely on (named in common.py and the README).
    assert common.get_secret_str is get_secret_str


def test_a_key_in_litellms_secret_manager_is_used_in_the_documented_order(vault: _Vault) -> None:
    assert common.resolve_api_key() == "sk-from-vault"
    # Aliases are asked for in API_KEY_ENVS order, up to the one the manager holds.
    assert vault.asked == list(API_KEY_ENVS[: API_KEY_ENVS.index("GMI_CLOUD_API_KEY") + 1])


def test_the_environment_still_answers_when_the_manager_lacks_the_key(
    vault: _Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.secrets.clear()
    monkeypatch.setenv("GMICLOUD_API_KEY", "sk-env")
    assert common.resolve_api_key() == "sk-env"
    assert vault.asked[:3] == list(API_KEY_ENVS[:3])


@pytest.mark.parametrize("stream", [False, True])
def test_the_key_is_looked_up_once_per_chat_call(
    gmi_env: Any, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    """Issue 22: a chat call asked LiteLLM's secret lookup for the key three times (the provider twice,
    the chat config once); a secret manager is a network call, so it is asked once."""
    import litellm

    looked_up: list[str] = []

    def counting(name: str, *args: Any, **kwargs: Any) -> str | None:
        looked_up.append(name)
        return get_secret_str(name, *args, **kwargs)

    monkeypatch.setattr(common, "get_secret_str", counting)
    messages = [{"role": "user", "content": "Hi"}]
    response = litellm.completion(model="gmi/deepseek-ai/DeepSeek-V3.2", messages=messages, stream=stream)
    if stream:
        list(response)
    assert looked_up.count("GMI_API_KEY") == 1


# --------------------------------------------------------------- one base for every route (issue 22) ---
def _routes() -> dict[str, type]:
    from litellm_gmi.chat.transformation import GMIChatConfig
    from litellm_gmi.embeddings import GMIEmbeddingConfig
    from litellm_gmi.media.protocol import QueueProtocol
    from litellm_gmi.videos.transformation import GMIVideoConfig

    return {
        "chat": GMIChatConfig,
        "embeddings": GMIEmbeddingConfig,
        "video": GMIVideoConfig,
        "queue": QueueProtocol,
    }


def test_every_route_is_built_on_the_one_base() -> None:
    for name, route in _routes().items():
        assert issubclass(route, common.GMIBase), name
    assert not common.GMIBase.queue
    assert _routes()["video"].queue
    assert _routes()["queue"].queue


LOOKUPS = ("get_secret_str", "resolve_api_key", "resolve_org_id", "auth_headers")


def test_only_the_base_looks_credentials_up() -> None:
    """A route that read the key or organisation itself would skip the base's rules (and its one lookup)."""
    from pathlib import Path

    package = Path(common.__file__).parent
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "common_utils.py"
        and any(name in path.read_text(encoding="utf-8") for name in LOOKUPS)
    )
    assert readers == []


OTHER_KEY = {"authorization": "Bearer sk-someone-else"}


def _authorization(headers: Any) -> str:
    return {str(k).lower(): v for k, v in dict(headers).items()}["authorization"]


def test_a_callers_header_never_replaces_the_key_on_any_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chat kept the resolved key over a caller's ``Authorization``; embeddings and the queue let the
    caller's win. One base, one rule."""
    from litellm_gmi.embeddings import _Call

    monkeypatch.setenv("GMI_API_KEY", "sk-ours")
    routes = _routes()
    embedding = _Call(
        "BAAI/bge-m3",
        ["a"],
        optional_params={"extra_headers": dict(OTHER_KEY)},
        api_key=None,
        api_base=None,
        timeout=None,
        litellm_params=None,
        logging_obj=None,
    )
    seen = {
        "chat": routes["chat"]().validate_environment(dict(OTHER_KEY), "m", [], {}, {}),
        "embeddings": embedding.headers,
        "video": routes["video"]().validate_environment(dict(OTHER_KEY), "Veo3"),
        "queue": routes["queue"](headers=dict(OTHER_KEY)).list_models().headers,
    }
    assert {name: _authorization(h) for name, h in seen.items()} == dict.fromkeys(seen, "Bearer sk-ours")


def _lookup_routes() -> dict[str, Any]:
    import asyncio

    from litellm_gmi.media.queue_client import RequestQueueClient
    from litellm_gmi.native.routes import RESPONSES, native_kwargs

    chat = "gmi/deepseek-ai/DeepSeek-V3.2"
    messages = [{"role": "user", "content": "Hi"}]

    async def astream() -> None:
        async for _ in await litellm.acompletion(model=chat, messages=messages, stream=True):
            pass

    return {
        "acompletion": lambda: asyncio.run(litellm.acompletion(model=chat, messages=messages)),
        "async stream": lambda: asyncio.run(astream()),
        "embedding": lambda: litellm.embedding(model="gmi/BAAI/bge-m3", input=["a"]),
        "native responses": lambda: native_kwargs("gmi/openai/gpt-5.2", RESPONSES),
        "queue client": lambda: RequestQueueClient().close(),
        "video config": lambda: _routes()["video"]().validate_environment({}, "Veo3"),
    }


@pytest.mark.parametrize("route", sorted(_lookup_routes()))
def test_the_key_is_looked_up_once_per_call_on_every_route(
    gmi_env: Any, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    from litellm_gmi.litellm_seams import native_routes_available

    looked_up: list[str] = []

    def counting(name: str, *args: Any, **kwargs: Any) -> str | None:
        looked_up.append(name)
        return get_secret_str(name, *args, **kwargs)

    monkeypatch.setattr(common, "get_secret_str", counting)
    _lookup_routes()[route]()
    # LiteLLM 1.81.1 has no native pass-through: the call stays on the chat bridge, and nothing is resolved.
    expected = 0 if route == "native responses" and not native_routes_available() else 1
    assert looked_up.count("GMI_API_KEY") == expected
