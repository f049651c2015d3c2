"""Key, base URL and organisation resolution: argument first, then environment, then default."""

from __future__ import annotations

from importlib.metadata import version

import litellm
import pytest

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
