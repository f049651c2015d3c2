"""Run by tests/test_tiktoken_cache.py in a fresh interpreter: ``gmi/`` calls on a machine without internet.

Before anything else it refuses every connection and name lookup that is not 127.0.0.1/localhost, the
way a firewalled host does. Then it does what the README tells a user to do (``import litellm_gmi``, then
``litellm.completion("gmi/...")``) against the OpenAI-compatible stub whose base URL is in
``GMI_API_BASE``: one plain, one streamed and one async call. It prints one JSON line with what each call
returned, and a traceback (exit status 1) if any call failed.
"""

from __future__ import annotations

import socket
from typing import Any

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class NetworkBlockedError(OSError):
    """What this interpreter raises for any connection that would leave the machine."""


def _check(host: object) -> None:
    if host not in LOCAL_HOSTS:
        raise NetworkBlockedError(f"network blocked by offline_client: {host!r}")


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


block_network()

# Only now, as a user's script would: import the package, then call LiteLLM.
import asyncio  # noqa: E402
import json  # noqa: E402

import litellm  # noqa: E402

import litellm_gmi  # noqa: E402, F401 - registers gmi/

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "hi"}]


def main() -> None:
    plain: Any = litellm.completion(model=MODEL, messages=MESSAGES)
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in litellm.completion(model=MODEL, messages=MESSAGES, stream=True)
        if chunk.choices
    )
    async_response: Any = asyncio.run(litellm.acompletion(model=MODEL, messages=MESSAGES))
    print(
        json.dumps(
            {
                "plain": plain.choices[0].message.content,
                "stream": streamed,
                "async": async_response.choices[0].message.content,
            }
        )
    )


if __name__ == "__main__":
    main()
