"""One core, two faces: the media code's logic written once as a sans-IO step generator.

A core is a generator that yields :class:`Op` values, each naming one I/O primitive of its *target*
(a queue client: ``_send``, ``_sleep``, ``status`` ...) and its arguments, and is sent back the
primitive's result (or has its exception thrown in, so ``try``/``with`` blocks in the core see it where
they stand). :func:`drive` runs a core against a synchronous target, :func:`adrive` against an
asynchronous one, awaiting each primitive; neither knows anything else, so request building, parsing,
validation, retries and the polling schedule exist once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeAlias, TypeVar

T = TypeVar("T")
C = TypeVar("C")
P = ParamSpec("P")


@dataclass(frozen=True)
class Op:
    """One I/O primitive to run: the target's attribute ``name`` called with ``args`` and ``kwargs``."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def op(name: str, *args: Any, **kwargs: Any) -> Op:
    return Op(name, args, kwargs)


Steps: TypeAlias = Generator[Op, Any, T]
"""A core: yields :class:`Op` values, is sent their results, returns ``T``."""


@dataclass(frozen=True)
class _Done:
    value: Any


def _resume(steps: Steps[Any], sent: Any, error: BaseException | None) -> Op | _Done:
    """The core's next step after it is sent ``sent`` (or has ``error`` thrown in); ``_Done`` at its end."""
    try:
        return steps.send(sent) if error is None else steps.throw(error)
    except StopIteration as stop:
        return _Done(stop.value)


def drive(target: object, steps: Steps[T]) -> T:
    """Run ``steps`` against a synchronous ``target``."""
    step = _resume(steps, None, None)
    while isinstance(step, Op):
        try:
            sent, error = getattr(target, step.name)(*step.args, **step.kwargs), None
        except BaseException as exc:  # handed to the core, which re-raises what it does not handle
            sent, error = None, exc
        step = _resume(steps, sent, error)
    return step.value  # type: ignore[no-any-return]


async def adrive(target: object, steps: Steps[T]) -> T:
    """Run ``steps`` against an asynchronous ``target``, awaiting each primitive."""
    step = _resume(steps, None, None)
    while isinstance(step, Op):
        try:
            sent, error = await getattr(target, step.name)(*step.args, **step.kwargs), None
        except BaseException as exc:  # handed to the core, which re-raises what it does not handle
            sent, error = None, exc
        step = _resume(steps, sent, error)
    return step.value  # type: ignore[no-any-return]


def signed(
    face: Callable[..., Any], core: Callable[..., Any], *, name: str = "", method: bool = False
) -> None:
    """``face`` takes ``core``'s docs, signature and (unless given) ``name``, with a ``Steps[X]`` or
    ``Plan[X]`` result read as ``X``; for a ``method``, the core's first parameter is named ``self``."""
    functools.update_wrapper(face, core)
    if name:
        face.__name__ = face.__qualname__ = name
    delattr(face, "__wrapped__")  # the signature below is the face's own
    signature = inspect.signature(core)
    params = list(signature.parameters.values())
    returns = signature.return_annotation
    for wrapper in ("Steps[", "Plan["):
        if isinstance(returns, str) and returns.startswith(wrapper) and returns.endswith("]"):
            returns = returns.removeprefix(wrapper).removesuffix("]")
    annotations = {**core.__annotations__, "return": returns}
    if method:
        annotations.pop(params[0].name, None)
        params[0] = params[0].replace(
            name="self", kind=inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=inspect.Parameter.empty
        )
    face.__signature__ = signature.replace(parameters=params, return_annotation=returns)  # type: ignore[attr-defined]
    face.__annotations__ = annotations


def blocking(core: Callable[Concatenate[C, P], Steps[T]]) -> Callable[Concatenate[C, P], T]:
    """The synchronous face of a core whose first argument is the target (a client)."""

    def face(target: C, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return drive(target, core(target, *args, **kwargs))

    signed(face, core, method=True)
    return face


def awaiting(
    core: Callable[Concatenate[C, P], Steps[T]],
) -> Callable[Concatenate[C, P], Coroutine[Any, Any, T]]:
    """The asynchronous face of a core whose first argument is the target (a client)."""

    async def face(target: C, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await adrive(target, core(target, *args, **kwargs))

    signed(face, core, method=True)
    return face
