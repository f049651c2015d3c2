"""``import litellm_gmi`` registers ``gmi/`` the moment LiteLLM loads, and never loads LiteLLM itself.

The finder is exercised on a throwaway target module and package (fast, in process); one subprocess
checks the real thing, starting from the hardest order: a module of ours is the first to import LiteLLM.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest

from litellm_gmi.auto_register import _CallOnImport, call_when_imported

TARGET, PACKAGE = "heavy_target", "light_pkg"


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """A target module and a package whose ``uses_target`` imports it mid-way; the callback's record."""
    (tmp_path / f"{TARGET}.py").write_text("LOADED = True\n")
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text("VALUE = 1\nprint('helper ran')\n")
    (package / "uses_target.py").write_text(
        f"import {TARGET}\nfrom {PACKAGE}.helper import VALUE\nREADY = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import_module(PACKAGE)  # the package itself is loaded before the finder, as litellm_gmi is

    record: list[object] = []

    def callback() -> None:
        # What register() needs: our modules complete. Record whether uses_target was.
        record.append(getattr(sys.modules.get(f"{PACKAGE}.uses_target"), "READY", "not loaded"))

    call_when_imported(TARGET, callback, package=PACKAGE)
    yield record
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _CallOnImport) or f.target != TARGET]
    for name in [n for n in sys.modules if n == TARGET or n.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _armed() -> bool:
    return any(isinstance(f, _CallOnImport) and f.target == TARGET for f in sys.meta_path)


def test_fires_once_right_after_the_target_loads_then_steps_aside(calls: list[object]) -> None:
    heavy_target = import_module(TARGET)

    assert calls == ["not loaded"]
    assert not _armed()
    assert type(heavy_target.__loader__).__name__ == "SourceFileLoader"  # the real loader, not our wrapper
    import_module(f"{PACKAGE}.uses_target")

    assert calls == ["not loaded"]


def test_waits_until_our_module_that_imported_the_target_is_complete(calls: list[object]) -> None:
    import_module(f"{PACKAGE}.uses_target")

    assert calls == [True]


def test_our_modules_alone_do_not_fire_it(calls: list[object]) -> None:
    import_module(f"{PACKAGE}.helper")

    assert calls == []
    assert _armed()
    assert TARGET not in sys.modules


def test_python_dash_m_still_runs_our_modules(
    calls: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_module(f"{PACKAGE}.helper", run_name="__main__")  # needs the real loader's get_code
    assert capsys.readouterr().out == "helper ran\n"


def test_a_loaded_target_fires_at_once() -> None:
    record: list[str] = []
    call_when_imported("os", lambda: record.append("now"), package=PACKAGE)
    assert record == ["now"]
    assert not any(isinstance(f, _CallOnImport) and f.target == "os" for f in sys.meta_path)


def _python(code: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def test_import_litellm_gmi_leaves_litellm_unloaded_and_registers_when_it_loads() -> None:
    code = (
        "import sys, litellm_gmi\n"
        "print('litellm' in sys.modules)\n"
        "from litellm_gmi.common_utils import resolve_api_key  # imports LiteLLM mid-way\n"
        "import litellm\n"
        "print([i['provider'] for i in litellm.custom_provider_map])\n"
        "print(litellm.custom_provider_map[0]['custom_handler'] is litellm_gmi.gmi_provider)\n"
        "print(any(type(f).__name__ == '_CallOnImport' for f in sys.meta_path))\n"
    )
    assert _python(code).splitlines() == ["False", "['gmi']", "True", "False"]


def test_auto_register_off_installs_nothing() -> None:
    code = "import sys, litellm_gmi; print(any(type(f).__name__ == '_CallOnImport' for f in sys.meta_path))"
    assert _python(code, LITELLM_GMI_AUTO_REGISTER="0") == "False"
    assert _python(code) == "True"
