"""Which tests are integration tests: ``pytest -m "not integration"`` runs the fast rest (docs/testing.md).

A test is an integration test when it, a function of its module it calls, or a fixture of its module
it takes starts a process (``subprocess``, ``sys.executable``: proxies, fleets, fresh interpreters,
Redis, the emulator as a process), when its module is in tests/integration/ (:data:`INTEGRATION_FOLDER`:
the ``litellm`` proxy, the fleet, real client libraries), or when it is a soak test
(:data:`SOAK_TESTS`: hundreds of concurrent connections through the whole stack). Everything else is
a unit test: in-process, with at most an in-process server (the emulator, the fault server).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

INTEGRATION_FOLDER = "integration"
"""tests/integration/: the proxy (its processes started by helpers in ``test_proxy_config``), the fleet,
and real client libraries driven through the whole stack."""
SOAK_TESTS = frozenset(
    {
        "test_500_concurrent_calls_without_errors_or_leaked_connections",
        "test_soak_sync_and_async_streams_leave_no_socket_and_never_hang",
        "test_500_concurrent_streams",
    }
)
_SPAWNS = ("subprocess", "sys.executable", "Popen", "os.system")


@cache
def spawning_functions(path: Path) -> frozenset[str]:
    """The module-level functions of ``path`` that start a process, directly or through each other."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls: dict[str, set[str]] = {}
    direct = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            source = ast.unparse(node)
            if any(word in source for word in _SPAWNS):
                direct.add(node.name)
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            names |= {a.arg for a in node.args.args}  # fixtures the function takes
            calls[node.name] = names
    spawning = set(direct)
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name not in spawning and called & spawning:
                spawning.add(name)
                changed = True
    return frozenset(spawning)


def is_integration(path: Path, test_name: str) -> bool:
    """Whether the test function ``test_name`` (no parameter suffix) of the module at ``path`` is one."""
    if path.parent.name == INTEGRATION_FOLDER or test_name in SOAK_TESTS:
        return True
    return test_name in spawning_functions(path)
