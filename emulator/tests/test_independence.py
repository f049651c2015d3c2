"""The emulator stands on its own: no module of it imports LiteLLM or the litellm_gmi client.

Checked twice: statically, by reading every module's imports, and by running it in a fresh interpreter
in which importing ``litellm`` or ``litellm_gmi`` fails outright, serving a request there, and then
listing what got loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import gmi_emulator

PACKAGE = Path(gmi_emulator.__file__).parent
FORBIDDEN = ("litellm", "litellm_gmi")


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _imported_names(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names += [
                a.value for a in node.args[:1] if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return names


def test_no_module_imports_litellm_or_the_client():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20  # the whole package was scanned, not an empty folder
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for path in modules
        for name in _imported_names(ast.parse(path.read_text(encoding="utf-8")))
        if _top(name) in FORBIDDEN
    }
    assert offenders == {}


def test_the_scan_would_catch_an_import():
    assert _imported_names(ast.parse("import litellm\nfrom litellm_gmi.x import y")) == [
        "litellm",
        "litellm_gmi.x",
    ]
    assert _imported_names(ast.parse("importlib.import_module('litellm')")) == ["litellm"]


_PROBE = """
import importlib.abc, json, pkgutil, sys, urllib.request

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("litellm", "litellm_gmi"):
            raise ImportError(f"{name} is blocked in this test")
        return None

sys.meta_path.insert(0, Refuse())
import gmi_emulator
for module in pkgutil.walk_packages(gmi_emulator.__path__, "gmi_emulator."):
    __import__(module.name)
with gmi_emulator.GMIEmulator() as emu:
    request = urllib.request.Request(emu.chat_base + "/models", headers={"Authorization": "Bearer sk-x"})
    status = urllib.request.urlopen(request).status
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("litellm", "litellm_gmi"))
print(json.dumps({"status": status, "loaded": loaded}))
"""


def test_imports_and_serves_where_litellm_cannot_be_imported():
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"status": 200, "loaded": []}
