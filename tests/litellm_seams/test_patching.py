"""Wrapping a module attribute for gmi calls, and putting back exactly what was there."""

from __future__ import annotations

import types
from typing import Any

import pytest

from litellm_gmi.litellm_seams.wraps import names_provider, unwrap, wrap


def _module() -> types.ModuleType:
    module = types.ModuleType("fake")
    module.plain = lambda: "original"  # type: ignore[attr-defined]
    module.__getattr__ = lambda name: (lambda: "lazy") if name == "lazy" else None  # type: ignore[attr-defined]
    return module


def _shout(original: Any) -> Any:
    return lambda: original().upper()


@pytest.mark.parametrize("name", ["plain", "lazy"])
def test_wrap_once_and_unwrap_to_what_was_there(name: str) -> None:
    module = _module()
    had = name in vars(module)
    wrap(module, name, _shout)
    wrap(module, name, _shout)  # a second registration does not wrap twice
    assert getattr(module, name)() in ("ORIGINAL", "LAZY")
    unwrap(module, name)
    assert (name in vars(module)) is had
    assert getattr(module, name)() in ("original", "lazy")
    unwrap(module, name)  # harmless when nothing is wrapped


def test_names_provider() -> None:
    assert names_provider("gmi/a/b", None, "gmi")
    assert names_provider("a/b", "gmi", "gmi")
    assert not names_provider("gmi/a/b", "openai", "gmi")
    assert not names_provider("openai/gpt-4o", None, "gmi")
    assert not names_provider(None, None, "gmi")
