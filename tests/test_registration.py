"""``gmi/`` resolves to our provider on LiteLLM releases with and without the built-in JSON row.

If a LiteLLM upgrade moves the JSON registry or its dispatch order, these tests fail loudly.
"""

from __future__ import annotations

from importlib.metadata import version

import litellm
import pytest

import litellm_gmi
from litellm_gmi.litellm_seams import builtin_row
from litellm_gmi.litellm_seams.version import _release

HAS_BUILTIN_ROW = _release(version("litellm")) >= (1, 81, 3)


@pytest.fixture
def reregister():
    yield
    litellm_gmi.register()


def test_import_registers_gmi_as_a_custom_provider() -> None:
    entries = [i for i in litellm.custom_provider_map if i["provider"] == "gmi"]
    assert [e["custom_handler"] for e in entries] == [litellm_gmi.gmi_provider]
    assert "gmi" in litellm._custom_providers


def test_builtin_row_is_out_of_the_way() -> None:
    assert not litellm_gmi.builtin_row_active()
    model, provider, _, _ = litellm.get_llm_provider("gmi/deepseek-ai/DeepSeek-V3.2")
    assert (model, provider) == ("deepseek-ai/DeepSeek-V3.2", "gmi")


def test_register_is_idempotent() -> None:
    before = list(litellm.custom_provider_map)
    litellm_gmi.register()
    litellm_gmi.register()
    assert litellm.custom_provider_map == before


@pytest.mark.skipif(not HAS_BUILTIN_ROW, reason="this LiteLLM has no built-in gmi row to restore")
def test_unregister_gives_litellm_its_row_back(reregister: None) -> None:
    litellm_gmi.unregister()
    assert litellm_gmi.builtin_row_active()
    assert not any(i["custom_handler"] is litellm_gmi.gmi_provider for i in litellm.custom_provider_map)
    litellm_gmi.register()
    assert not litellm_gmi.builtin_row_active()


@pytest.mark.skipif(HAS_BUILTIN_ROW, reason="only releases before 1.81.3 lack the built-in row")
def test_old_release_has_no_row_to_pop() -> None:
    assert builtin_row._saved_row is None


def test_private_structure_we_touch_still_exists() -> None:
    registry = builtin_row.json_registry()
    assert registry is not None, "litellm.llms.openai_like.json_loader.JSONProviderRegistry moved"
    assert isinstance(registry._providers, dict)


def test_media_names_are_reexported_lazily() -> None:
    import sys

    import litellm_gmi.media

    assert litellm_gmi.video_generation is litellm_gmi.media.video_generation
    assert litellm_gmi.RequestQueueClient is litellm_gmi.media.RequestQueueClient
    assert "litellm_gmi.media" in sys.modules
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = litellm_gmi.no_such_name


def test_every_media_name_is_listed_and_resolves() -> None:
    media_names = set(litellm_gmi._LAZY_MODULES["litellm_gmi.media"])
    assert media_names <= set(litellm_gmi.__all__)
    for name in media_names:
        assert getattr(litellm_gmi, name) is not None


WRAPPED = (
    (litellm, "get_supported_openai_params"),
    (litellm.utils, "get_supported_openai_params"),
    (litellm.main, "get_optional_params_embeddings"),
    (litellm, "completion_with_retries"),
    (litellm, "acompletion_with_retries"),
    (litellm, "moderation"),
    (litellm, "amoderation"),
)


def test_unregister_restores_litellm_s_functions(reregister: None) -> None:
    assert all(hasattr(getattr(module, name), "__gmi_original__") for module, name in WRAPPED)
    litellm_gmi.unregister()
    assert not any(hasattr(getattr(module, name), "__gmi_original__") for module, name in WRAPPED)
    litellm_gmi.register()
    assert all(hasattr(getattr(module, name), "__gmi_original__") for module, name in WRAPPED)


def test_litellm_looks_the_wrapped_functions_up_at_call_time() -> None:
    """What makes the wrappers take effect (litellm/utils.py, litellm/main.py on every release)."""
    import inspect

    utils_source = inspect.getsource(litellm.utils)
    assert "litellm.completion_with_retries(" in utils_source
    assert "litellm.acompletion_with_retries(" in utils_source
    assert "get_supported_openai_params(" in inspect.getsource(litellm.utils.get_optional_params)
