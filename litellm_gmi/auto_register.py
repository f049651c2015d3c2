"""Register ``gmi/`` as soon as LiteLLM is loaded, without importing LiteLLM ourselves.

``import litellm_gmi`` must make ``litellm.completion("gmi/...")`` work. Importing LiteLLM takes seconds,
though, and Python runs this package's ``__init__`` for every submodule, the ``litellm-gmi`` command
line included, which must answer ``--help`` without LiteLLM. So ``__init__`` registers at once only when
LiteLLM is already loaded; otherwise :func:`call_when_imported` puts a finder first on ``sys.meta_path``.
The finder lets the other finders locate ``litellm`` and this package's submodules and wraps their
loaders: the callback runs right after LiteLLM's ``__init__`` has executed or, when a module of ours
imported LiteLLM, right after that module has finished, because registering needs our modules complete.
Then the finder removes itself. Each module gets its real loader back before it executes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader  # at run time it would import importlib.resources: ~10 ms


class _CallOnImport:
    """Wraps the loaders of ``target`` and of ``package.*`` until the callback has run."""

    def __init__(self, target: str, package: str, callback: Callable[[], None]) -> None:
        self.target = target
        self.package = package
        self.callback = callback
        self.lock = threading.Lock()
        self.ours_executing = 0
        self.done = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        ours = fullname.startswith(self.package + ".")
        if fullname != self.target and not ours:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec: ModuleSpec | None = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = cast("Loader", _NotifyingLoader(spec.loader, self, ours=ours))
                return spec
        return None

    def started(self, *, ours: bool) -> None:
        if ours:
            with self.lock:
                self.ours_executing += 1

    def finished(self, *, ours: bool, ok: bool) -> None:
        """Once the target is loaded and no module of ours is executing, fire the callback, once."""
        with self.lock:
            if ours:
                self.ours_executing -= 1
            if not ok or self.done or self.ours_executing or self.target not in sys.modules:
                return
            self.done = True
            if self in sys.meta_path:
                sys.meta_path.remove(self)
        self.callback()


class _NotifyingLoader:
    """The real loader, telling the finder when a module starts and finishes executing."""

    def __init__(self, inner: Loader, finder: _CallOnImport, *, ours: bool) -> None:
        self.inner = inner
        self.finder = finder
        self.ours = ours

    def __getattr__(self, name: str) -> Any:
        """Everything else (``get_code`` for ``python -m``, resource readers, ...) is the real loader's."""
        return getattr(self.inner, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.inner
        if module.__spec__ is not None:
            module.__spec__.loader = self.inner
        self.finder.started(ours=self.ours)
        try:
            self.inner.exec_module(module)
        except BaseException:
            self.finder.finished(ours=self.ours, ok=False)
            raise
        self.finder.finished(ours=self.ours, ok=True)


def call_when_imported(target: str, callback: Callable[[], None], *, package: str) -> None:
    """Call ``callback`` now if ``target`` is loaded, else right after it is (see the module docstring).

    ``package`` names the caller's package: its modules are complete before the callback runs.
    """
    if target in sys.modules:
        callback()
        return
    if not any(
        isinstance(finder, _CallOnImport) and (finder.target, finder.package) == (target, package)
        for finder in sys.meta_path
    ):
        sys.meta_path.insert(0, _CallOnImport(target, package, callback))
