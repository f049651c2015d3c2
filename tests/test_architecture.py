"""The package's shape, read from its source with ``ast`` (issue 22).

* Every reach into LiteLLM beyond its documented extension points lives in ``litellm_gmi/litellm_seams/``:
  no other module uses a LiteLLM private name, wraps a LiteLLM module or class attribute, or patches a
  method of an object; and the rest of the package imports the room only through its ``__init__``.
* No import cycle in ``litellm_gmi``, counting imports inside functions and under ``TYPE_CHECKING``.
* No module over 400 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "litellm_gmi"
SEAMS = "litellm_gmi.litellm_seams"
MAX_LINES = 400

RESPONSE_METADATA = "_hidden_params"
"""LiteLLM's response metadata (``response_cost``, ``custom_llm_provider``), which its own providers fill
and its cost tracking and callers read: the one underscore name a provider is expected to set."""


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = _modules()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _from_litellm(module: str | None) -> bool:
    return module is not None and (module == "litellm" or module.startswith("litellm."))


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _own_names() -> set[str]:
    """Every name this package defines: an underscore attribute in this set is ours, not LiteLLM's."""
    names = set()
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif (
                isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _root(node) == "self"
            ):
                names.add(node.attr)
    return names


def _functions(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The module's functions, and those among them that define a function (wrapper factories)."""
    functions, factories = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.add(node.name)
            inner = (n for n in ast.walk(node) if n is not node)
            if any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) for n in inner):
                factories.add(node.name)
    return functions, factories


def reaches(source: str, own: set[str]) -> Iterator[str]:
    """Each way ``source`` reaches into LiteLLM beyond its extension points, as ``line: what``."""
    tree = ast.parse(source)
    litellm_names = set()  # names bound to LiteLLM modules, classes or functions
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            litellm_names |= {(a.asname or a.name).split(".")[0] for a in node.names if _from_litellm(a.name)}
        elif isinstance(node, ast.ImportFrom) and not node.level and _from_litellm(node.module):
            litellm_names |= {a.asname or a.name for a in node.names}
    functions = _functions(tree)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and not node.level and _from_litellm(node.module):
            assert node.module is not None
            names = [*node.module.split("."), *(a.name for a in node.names)]
            yield from (
                f"{line}: imports private {name} from {node.module}" for name in names if _private(name)
            )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _from_litellm(alias.name) and any(_private(part) for part in alias.name.split(".")):
                    yield f"{line}: imports private {alias.name}"
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr != RESPONSE_METADATA:
            if _root(node) in litellm_names or node.attr not in own:
                yield f"{line}: private attribute {ast.unparse(node)}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) >= 2:
            verb, (target, name) = node.func.id, node.args[:2]
            if verb in ("setattr", "delattr") and _root(target) in litellm_names:
                yield f"{line}: {verb} on LiteLLM's {ast.unparse(target)}"
            named = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else ""
            foreign = named != RESPONSE_METADATA and (_root(target) in litellm_names or named not in own)
            if verb in ("getattr", "hasattr", "setattr", "delattr") and _private(named) and foreign:
                yield f"{line}: {verb} of private {named!r}"
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            value = getattr(node, "value", None)
            for target in targets:
                if not isinstance(target, ast.Attribute):
                    continue
                if _root(target) in litellm_names:
                    yield f"{line}: assigns LiteLLM's {ast.unparse(target)}"
                elif _root(target) != "self" and _is_function(value, functions):
                    yield f"{line}: patches {ast.unparse(target)} with a function"


def _is_function(value: ast.AST | None, functions: tuple[set[str], set[str]]) -> bool:
    """A lambda, one of the module's functions, or what one of its wrapper factories returns."""
    defined, factories = functions
    if isinstance(value, ast.Lambda):
        return True
    if isinstance(value, ast.Name):
        return value.id in defined
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in factories


def _outside_seams() -> dict[str, Path]:
    return {name: path for name, path in MODULES.items() if not (name + ".").startswith(SEAMS + ".")}


def test_the_detector_sees_each_kind_of_reach() -> None:
    """The check below is only as good as this: each kind of reach named in issue 22 is found."""
    own = {"mine", "_mine"}
    cases = [
        ("from litellm._version import version", "imports private _version"),
        ("from litellm.utils import _invalidate_model_cost_lowercase_map", "imports private _invalidate"),
        ("import litellm\nlitellm._custom_providers.remove('gmi')", "private attribute litellm._custom"),
        ("def f(registry):\n    registry._providers.pop('gmi')", "private attribute registry._providers"),
        ("import litellm\nlitellm.completion_with_retries = wrapper", "assigns LiteLLM's litellm.completion"),
        ("import litellm.main\nsetattr(litellm.main, name, wrapper)", "setattr on LiteLLM's litellm.main"),
        ("def f(o):\n    def masked(): pass\n    o.pre_call = masked", "patches o.pre_call"),
        ("import litellm\ngetattr(litellm.utils, '_runtime_registered_model_cost')", "getattr of private"),
        (
            "def wrap(f):\n    def g(): pass\n    return g\ndef h(cls):\n    cls.get_error_class = wrap(1)",
            "patches cls.get_error_class",
        ),
    ]
    for source, expected in cases:
        found = list(reaches(source, own))
        assert any(expected in item for item in found), (source, found)
    innocent = (
        "import litellm\nlitellm.callbacks.append(x)\n"
        "def f(response):\n    response.model = 'gmi/x'\n    response._hidden_params['cost'] = 1\n"
        "class C:\n    def g(self):\n        self._mine = 1\n        self.route = self.g\n"
    )
    assert list(reaches(innocent, own)) == []


def test_no_module_outside_the_seams_room_reaches_into_litellm() -> None:
    own = _own_names()
    found = {
        name: hits
        for name, path in _outside_seams().items()
        if (hits := list(reaches(path.read_text(), own)))
    }
    assert found == {}, f"move these into {SEAMS}: {found}"


def test_the_rest_of_the_package_imports_the_seams_room_only_through_its_surface() -> None:
    """``from litellm_gmi.litellm_seams import name``; never one of its modules by path."""
    found = []
    for name, path in _outside_seams().items():
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                modules.append(node.module or "")
            found += [f"{name}: {m}" for m in modules if m.startswith(SEAMS + ".")]
    assert found == []


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere (functions and ``TYPE_CHECKING`` included).

    ``from litellm_gmi import x`` is an edge to ``litellm_gmi.x`` when that is a module, else to the
    package; the seams room's lazy ``__init__`` is represented by its ``TYPE_CHECKING`` imports."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
                candidates = subs or [target]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {c for c in candidates if c in MODULES and c != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_the_package() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_one_retry_after_parser_for_the_package() -> None:
    """Issue 22: two parsers disagreed (the media one ignored ``retry-after-ms``); retries.py owns it."""
    readers = {
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower() == "retry-after"
    }
    assert readers == {"litellm_gmi.retries"}


def test_the_media_queue_reads_retry_after_as_the_chat_retries_do() -> None:
    from litellm_gmi.media.protocol import retry_after

    assert retry_after({"retry-after-ms": "1500"}) == 1.5
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert retry_after({"retry-after": "600"}) == 60.0  # capped at a minute for the queue
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after(None) is None
