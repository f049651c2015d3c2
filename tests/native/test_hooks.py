"""The package's hook comes back after something replaced ``litellm.callbacks``.

A proxy config's ``callbacks:`` written as one name replaces the list after the package registered
(LiteLLM's ``initialize_callbacks_on_proxy``); the hook then routes nothing and refuses nothing. The
provider's async entry points put it back, so the calls after the first ``gmi/`` one get it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import litellm
import pytest

from litellm_gmi.native import hooks
from litellm_gmi.native.routes import native_routes_available

from fault_server import FaultServer, Reply, anthropic_message, chat_answer

CLAUDE = "gmi/anthropic/claude-sonnet-4.6"
HELLO = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture
def replaced_callbacks() -> Iterator[None]:
    """``litellm.callbacks`` as a one-name ``callbacks:`` leaves it: without the package's hook."""
    hooks.uninstall()
    hooks._warn_replaced.cache_clear()  # the warning is once per process; this test reads it
    try:
        yield
    finally:
        hooks.install()


@pytest.mark.usefixtures("replaced_callbacks")
async def test_an_async_gmi_call_puts_the_hook_back_and_says_so(
    fault_gmi: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    fault_gmi.script(Reply(body=chat_answer("Paris.")))
    with caplog.at_level(logging.WARNING, logger="litellm_gmi.native.hooks"):
        response = await litellm.acompletion(model=CLAUDE, messages=HELLO)

    assert response.choices[0].message.content == "Paris."
    assert hooks.installed()
    assert [r.getMessage() for r in caplog.records if "callbacks: [name]" in r.getMessage()]


def test_restore_changes_nothing_while_the_hook_is_there() -> None:
    before = list(litellm.callbacks)
    assert hooks.installed()
    assert hooks.restore() is False
    assert litellm.callbacks == before


@pytest.mark.skipif(not native_routes_available(), reason="this LiteLLM has no pass-through")
@pytest.mark.usefixtures("replaced_callbacks")
async def test_messages_go_native_again_after_one_bridged_call(fault_gmi: FaultServer) -> None:
    """Without the hook, ``/v1/messages`` takes LiteLLM's bridge to our provider (on 1.110.2 GMI sees a
    chat completion; where LiteLLM sends it is LiteLLM's business, so both paths are answered); that
    call restores the hook, and the next one reaches GMI's ``/v1/messages``."""
    fault_gmi.route("POST", "/v1/chat/completions", Reply(body=chat_answer("Paris.")))
    fault_gmi.route("POST", "/v1/messages", Reply(body=anthropic_message(model=CLAUDE)))

    for _ in range(2):
        await litellm.anthropic.messages.acreate(model=CLAUDE, max_tokens=256, messages=HELLO)

    assert len(fault_gmi.seen) == 2
    assert fault_gmi.seen[-1].path == "/v1/messages"
