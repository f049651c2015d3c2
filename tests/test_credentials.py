"""Key, base URL and organisation resolution: argument first, then environment, then default."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import litellm
import pytest
from litellm.integrations.custom_secret_manager import CustomSecretManager
from litellm.secret_managers.main import get_secret_str
from litellm.types.secret_managers.main import KeyManagementSettings, KeyManagementSystem

from litellm_gmi import credentials
from litellm_gmi.constants import API_KEY_ENVS, DEFAULT_API_BASE, DEFAULT_QUEUE_API_BASE


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_QUEUE_API_BASE", "GMI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)


def test_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_API_KEY", "sk-env")
    assert credentials.resolve_api_key("sk-arg") == "sk-arg"
    assert credentials.resolve_api_key(None) == "sk-env"


@pytest.mark.parametrize("name", API_KEY_ENVS)
def test_every_alias_is_read(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, f"sk-from-{name}")
    assert credentials.resolve_api_key() == f"sk-from-{name}"


def test_aliases_are_tried_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_MAAS_API_KEY", "sk-last")
    monkeypatch.setenv("GMICLOUD_API_KEY", "sk-middle")
    assert credentials.resolve_api_key() == "sk-middle"


def test_missing_key_names_every_variable_tried() -> None:
    with pytest.raises(litellm.AuthenticationError) as info:
        credentials.resolve_api_key(model="m")
    for name in API_KEY_ENVS:
        assert name in str(info.value)


def test_base_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    assert credentials.resolve_api_base() == DEFAULT_API_BASE
    assert credentials.resolve_queue_api_base() == DEFAULT_QUEUE_API_BASE
    monkeypatch.setenv("GMI_API_BASE", "http://127.0.0.1:1/v1/")
    monkeypatch.setenv("GMI_QUEUE_API_BASE", "http://127.0.0.1:1/q/")
    assert credentials.resolve_api_base() == "http://127.0.0.1:1/v1"
    assert credentials.resolve_queue_api_base() == "http://127.0.0.1:1/q"
    assert credentials.resolve_api_base("http://arg/v1") == "http://arg/v1"


def test_organisation_header(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "X-Organization-ID" not in credentials.auth_headers("k", credentials.resolve_org_id())
    monkeypatch.setenv("GMI_ORG_ID", "org-env")
    assert credentials.auth_headers("k", credentials.resolve_org_id())["X-Organization-ID"] == "org-env"
    assert credentials.resolve_org_id("org-arg") == "org-arg"


def test_user_agent_names_the_package_and_litellm() -> None:
    agent = credentials.user_agent()
    assert agent.startswith("litellm_gmi/")
    assert agent.endswith(f" litellm/{version('litellm')}")


def test_merge_headers_is_case_insensitive() -> None:
    merged = credentials.merge_headers({"User-Agent": "a", "X": "1"}, {"user-agent": "b"})
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
    # The LiteLLM internal we rely on (named in credentials.py and the README).
    assert credentials.get_secret_str is get_secret_str


def test_a_key_in_litellms_secret_manager_is_used_in_the_documented_order(vault: _Vault) -> None:
    assert credentials.resolve_api_key() == "sk-from-vault"
    # Aliases are asked for in API_KEY_ENVS order, up to the one the manager holds.
    assert vault.asked == list(API_KEY_ENVS[: API_KEY_ENVS.index("GMI_CLOUD_API_KEY") + 1])


def test_the_environment_still_answers_when_the_manager_lacks_the_key(
    vault: _Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.secrets.clear()
    monkeypatch.setenv("GMICLOUD_API_KEY", "sk-env")
    assert credentials.resolve_api_key() == "sk-env"
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

    monkeypatch.setattr(credentials, "get_secret_str", counting)
    messages = [{"role": "user", "content": "Hi"}]
    response = litellm.completion(model="gmi/deepseek-ai/DeepSeek-V3.2", messages=messages, stream=stream)
    if stream:
        list(response)
    assert looked_up.count("GMI_API_KEY") == 1
