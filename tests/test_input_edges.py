"""Issue 21, item 11: inputs that were sent, or silently changed, are refused before any network call.

Each end-to-end test aims at the independent fault server (tests/fault_server.py) and checks that it
received nothing.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import litellm
import pytest

from litellm_gmi.chat.params import MAX_CHOICES
from litellm_gmi.common_utils import resolve_api_base
from litellm_gmi.native.routes import native_routes_available
from litellm_gmi.provider import checked_timeout

from fault_server import FaultServer

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]


def _chat(**kwargs: Any) -> Any:
    return litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0, **kwargs)


# ------------------------------------------------------------------------------------------------ n ---
@pytest.mark.parametrize("n", [10**9, MAX_CHOICES + 1, 0])
def test_absurd_n_is_refused_before_the_network(fault_gmi: FaultServer, n: int) -> None:
    with pytest.raises(litellm.BadRequestError, match=f"invalid n={n}: must be between 1 and {MAX_CHOICES}"):
        _chat(n=n)
    assert fault_gmi.seen == []


def test_n_up_to_the_cap_is_sent(fault_gmi: FaultServer) -> None:
    _chat(n=MAX_CHOICES)
    assert fault_gmi.bodies()[-1]["n"] == MAX_CHOICES


# ----------------------------------------------------------------------------------- api_base #frag ---
def test_a_fragment_in_api_base_is_refused_before_the_network(fault_gmi: FaultServer) -> None:
    with pytest.raises(litellm.BadRequestError, match="#fragment"):
        _chat(api_base=f"{fault_gmi.base}#section")
    assert fault_gmi.seen == []


def test_a_fragment_in_gmi_api_base_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_API_BASE", "https://api.gmi-serving.com/v1#x")
    with pytest.raises(litellm.BadRequestError, match="#x"):
        resolve_api_base()


@pytest.mark.skipif(not native_routes_available(), reason="this LiteLLM has no pass-through")
async def test_a_fragment_in_api_base_is_refused_on_the_native_routes(fault_gmi: FaultServer) -> None:
    with pytest.raises(litellm.BadRequestError, match="#fragment"):
        await litellm.aresponses(model="gmi/openai/gpt-5.2", input="Hi", api_base=f"{fault_gmi.base}#x")
    assert fault_gmi.seen == []


# ------------------------------------------------------------------------------------------ timeout ---
@pytest.mark.parametrize("timeout", [0, 0.0, -1, float("nan"), float("-inf")])
def test_a_timeout_that_is_not_positive_is_refused(timeout: float) -> None:
    with pytest.raises(litellm.BadRequestError, match="timeout must be a positive number"):
        checked_timeout(timeout, model=MODEL)


def test_a_timeout_left_unset_is_the_default_and_a_positive_one_is_kept() -> None:
    assert checked_timeout(None, model=MODEL) == 600.0
    assert checked_timeout(2.5, model=MODEL) == 2.5


def test_a_negative_timeout_is_refused_before_the_network(fault_gmi: FaultServer) -> None:
    with pytest.raises(litellm.BadRequestError, match="timeout must be a positive number"):
        _chat(timeout=-1)
    assert fault_gmi.seen == []


@pytest.mark.skipif(
    importlib.util.find_spec("litellm.litellm_core_utils.completion_timeout") is None,
    reason="this LiteLLM turns timeout=0 into 600 s before any provider sees it (README, Errors)",
)
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_timeout_zero_is_refused_before_the_network(fault_gmi: FaultServer, stream: bool) -> None:
    """It silently became 600 s."""
    with pytest.raises(litellm.BadRequestError, match="timeout must be a positive number"):
        await litellm.acompletion(model=MODEL, messages=MESSAGES, timeout=0, stream=stream, num_retries=0)
    assert fault_gmi.seen == []
