"""Thin sync and async faces for media functions whose core is a :data:`~litellm_gmi.media.steps.Steps`.

A function core checks its arguments and returns a :class:`Plan`: the :class:`Connection` to open and
the steps to drive on it. :func:`calling` opens a :class:`RequestQueueClient` and drives the steps with
``drive``; :func:`acalling` opens an :class:`AsyncRequestQueueClient` and awaits them. So a bad argument
still fails before any client exists, and every public signature is written once, on its core.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

from litellm_gmi.media.queue_client import (
    DEFAULT_HTTP_TIMEOUT,
    AsyncRequestQueueClient,
    RequestQueueClient,
    http_timeout,
)
from litellm_gmi.media.steps import Steps, adrive, drive, signed

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Connection:
    """How to reach GMI for one call: the client's constructor arguments."""

    api_key: str | None = field(default=None, repr=False)
    api_base: str | None = None
    org_id: str | None = field(default=None, repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    timeout: float = DEFAULT_HTTP_TIMEOUT
    """Each HTTP call's bound (the caller's ``timeout`` when shorter than the default)."""

    @classmethod
    def of(
        cls, kwargs: dict[str, Any], extra_headers: Mapping[str, object] | None, timeout: Any = None
    ) -> Connection:
        """Take ``api_key``/``api_base``/``org_id`` out of ``kwargs``, as LiteLLM's functions accept them."""
        return cls(
            api_key=kwargs.pop("api_key", None),
            api_base=kwargs.pop("api_base", None),
            org_id=kwargs.pop("org_id", None),
            headers={str(k): str(v) for k, v in (extra_headers or {}).items()},
            timeout=http_timeout(timeout),
        )

    def sync(self) -> RequestQueueClient:
        return RequestQueueClient(
            self.api_key, self.api_base, self.org_id, headers=self.headers, timeout=self.timeout
        )

    def async_(self) -> AsyncRequestQueueClient:
        return AsyncRequestQueueClient(
            self.api_key, self.api_base, self.org_id, headers=self.headers, timeout=self.timeout
        )


@dataclass(frozen=True)
class Plan(Generic[T]):
    """A checked call: where to send it and the steps that make its result."""

    connection: Connection
    steps: Steps[T]


def calling(core: Callable[P, Plan[T]], name: str) -> Callable[P, T]:
    """The synchronous function: plan, then drive the steps on a :class:`RequestQueueClient`."""

    def face(*args: P.args, **kwargs: P.kwargs) -> T:
        plan = core(*args, **kwargs)
        with plan.connection.sync() as client:
            return drive(client, plan.steps)

    signed(face, core, name=name)
    return face


def acalling(core: Callable[P, Plan[T]], name: str) -> Callable[P, Coroutine[Any, Any, T]]:
    """The asynchronous function: plan, then await the steps on an :class:`AsyncRequestQueueClient`."""

    async def face(*args: P.args, **kwargs: P.kwargs) -> T:
        plan = core(*args, **kwargs)
        async with plan.connection.async_() as client:
            return await adrive(client, plan.steps)

    signed(face, core, name=name)
    return face
