"""Refuse every connection and name lookup that is not 127.0.0.1/localhost, the way a firewalled host does.

For test subprocesses, which pytest-recording's ``--block-network`` does not reach: call
:func:`block_network` first thing in the child.
"""

from __future__ import annotations

import socket
from typing import Any

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class NetworkBlockedError(OSError):
    """What this interpreter raises for any connection that would leave the machine."""


def _check(host: object) -> None:
    if host not in LOCAL_HOSTS:
        raise NetworkBlockedError(f"network blocked by tests/network_guard.py: {host!r}")


def block_network() -> None:
    """Patch ``socket`` so that only loopback connections and lookups succeed."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        _check(host.decode() if isinstance(host, bytes) else host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _check(address[0])
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _check(address[0])
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
