"""Run :func:`litellm_gmi.register` as soon as LiteLLM is loaded, without importing LiteLLM ourselves.

``import litellm_gmi`` must make ``litellm.completion("gmi/...")`` work. Importing LiteLLM takes seconds,
though, and Python runs this package's ``__init__`` for every submodule, the ``litellm-gmi`` command
line included, which must answer ``--help`` without LiteLLM. So ``__init__`` registers at once only
when LiteLLM is already loaded; otherwise it calls :func:`register_when_litellm_loads`, which puts a finder
first on ``sys.meta_path``. The finder lets the other finders locate ``litellm`` (and this package's
submodules) and wraps their loaders; the callback runs right after LiteLLM's ``__init__`` has executed, or,
when one of our modules imported LiteLLM, right after that module finished, because registering needs
fully initialised modules of ours. Then the finder removes itself. The real loader is put back on each
module before it executes, so LiteLLM never sees the wrapper.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from typing_extensions import override

_PACKAGE_PREFIX = "litellm_gmi."


class _RegisterOnLiteLLM(MetaPathFinder):
    """Wraps the loaders of ``litellm`` and of ``litellm_gmi.*`` until the callback has run."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.lock = threading.RLock()
        self.ours_executing = 0
        self.done = False

    @override
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "litellm" and not fullname.startswith(_PACKAGE_PREFIX):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _NotifyingLoader(spec.loader, self, ours=fullname != "litellm")
                return spec
        return None

    def executed(self, *, ours: bool, starting: bool, failed: bool = False) -> None:
        """Count our modules in execution; once none is and LiteLLM is loaded, fire the callback once."""
        with self.lock:
            if ours:
                self.ours_executing += 1 if starting else -1
            if starting or failed or self.done or self.ours_executing or "litellm" not in sys.modules:
                return
            self.done = True
            if self in sys.meta_path:
                sys.meta_path.remove(self)
        self.callback()


class _NotifyingLoader(Loader):
    """Delegates to the real loader and tells the finder when a module starts and finishes executing."""

    def __init__(self, inner: Loader, finder: _RegisterOnLiteLLM, *, ours: bool) -> None:
        self.inner = inner
        self.finder = finder
        self.ours = ours

    def __getattr__(self, name: str) -> Any:
        """Everything else (``get_code`` for ``python -m``, resource readers, ...) is the real loader's."""
        return getattr(self.inner, name)

    @override
    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    @override
    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.inner
        if module.__spec__ is not None:
            module.__spec__.loader = self.inner
        self.finder.executed(ours=self.ours, starting=True)
        try:
            self.inner.exec_module(module)
        except BaseException:
            self.finder.executed(ours=self.ours, starting=False, failed=True)
            raise
        self.finder.executed(ours=self.ours, starting=False)


def register_when_litellm_loads(callback: Callable[[], None]) -> None:
    """Call ``callback`` now if LiteLLM is loaded, else right after it is (see the module docstring)."""
    if "litellm" in sys.modules:
        callback()
        return
    if not any(isinstance(finder, _RegisterOnLiteLLM) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RegisterOnLiteLLM(callback))
