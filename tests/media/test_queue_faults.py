"""The request queue against the independent fault server (issue 14, items 3, 7, 8 and 9).

Nothing is billed twice: terminal outcomes, wait deadlines and ambiguous submit failures are not
retried by LiteLLM's Router. Every ``timeout=`` bounds each HTTP call. Downloads fail typed and clean.
A wait whose polls all fail says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import litellm
import pytest

from litellm_gmi.media import (
    AsyncRequestQueueClient,
    QueueRequest,
    QueueStuckError,
    QueueTimeoutError,
    RequestFailedError,
    RequestQueueClient,
    SubmitUncertainError,
    video_status,
)
from litellm_gmi.media.errors import NOT_RETRYABLE_STATUS

from fault_server import FaultServer, Reply

IMAGE_MODEL = "seedream-5.0-lite"
FAST_WAIT = {"poll_interval": 0.02, "max_poll_interval": 0.05}


def fake_time() -> dict[str, Any]:
    """A client's ``sleep`` and ``clock`` where only the sleeps move time: the number of polls in a
    wait is then fixed by its schedule, not by how fast the machine answers them."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    return {"sleep": sleep, "clock": lambda: now[0]}


def record(status: str, *, created: int = 100, updated: int = 101, **extra: Any) -> dict[str, Any]:
    return {
        "request_id": "req-1",
        "model": IMAGE_MODEL,
        "status": status,
        "created_at": created,
        "updated_at": updated,
        **extra,
    }


@pytest.fixture
def queue_gmi(fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch) -> FaultServer:
    monkeypatch.setenv("GMI_QUEUE_API_BASE", fault_gmi.root)
    return fault_gmi


def router() -> litellm.Router:
    return litellm.Router(
        model_list=[{"model_name": "img", "litellm_params": {"model": f"gmi/{IMAGE_MODEL}"}}],
        num_retries=2,
        retry_after=0,
    )


# ------------------------------------------------------------------- item 3: nothing billed twice ---
@pytest.mark.parametrize(
    ("status_reply", "wait", "error"),
    [
        (Reply(body=record("failed", outcome={"error": "nsfw"})), {}, RequestFailedError),
        (Reply(body=record("processing")), {"wait_timeout": 0.2}, QueueTimeoutError),
        (Reply(body=record("queued", updated=100)), {"wait_timeout": 0.2}, QueueStuckError),
    ],
    ids=["failed", "wait deadline", "stuck"],
)
def test_router_does_not_resubmit_a_terminal_media_outcome(
    queue_gmi: FaultServer, status_reply: Reply, wait: dict[str, float], error: type[Exception]
) -> None:
    queue_gmi.route("POST", "/requests", Reply(body=record("queued", updated=100)))
    queue_gmi.route("GET", "/requests/req-1", status_reply)
    with pytest.raises(error) as caught:
        router().image_generation(model="img", prompt="a fox", **FAST_WAIT, **wait)
    assert caught.value.status_code == NOT_RETRYABLE_STATUS
    assert queue_gmi.count("/requests", method="POST") == 1


@pytest.mark.parametrize("reply", [Reply(status=500, body={"error": "boom"}), Reply(kind="reset")])
def test_router_does_not_resubmit_after_an_ambiguous_submit_failure(
    queue_gmi: FaultServer, reply: Reply
) -> None:
    queue_gmi.route("POST", "/requests", reply)
    with pytest.raises(SubmitUncertainError) as caught:
        router().image_generation(model="img", prompt="a fox", **FAST_WAIT)
    assert "may still have been accepted" in str(caught.value)
    assert queue_gmi.count("/requests", method="POST") == 1


def test_a_submit_429_is_still_retried_because_nothing_was_accepted(queue_gmi: FaultServer) -> None:
    queue_gmi.route(
        "POST",
        "/requests",
        Reply(status=429, body={"error": "slow down"}, headers={"Retry-After": "0"}),
        Reply(body=record("success", outcome={"media_urls": [{"url": queue_gmi.root + "/a.png"}]})),
    )
    response = litellm.image_generation(model=f"gmi/{IMAGE_MODEL}", prompt="a fox", **FAST_WAIT)
    assert response.data[0].url == queue_gmi.root + "/a.png"
    assert queue_gmi.count("/requests", method="POST") == 2


def test_litellm_retries_exactly_the_statuses_our_media_errors_avoid() -> None:
    """Pins ``litellm.utils.should_retry``, the rule Router and proxy retries follow."""
    should_retry = getattr(litellm.utils, "should_retry", None) or litellm._should_retry
    assert not should_retry(NOT_RETRYABLE_STATUS)
    assert all(should_retry(status) for status in (408, 409, 429, 500, 502, 503))


# ------------------------------------------------------------- item 7: timeout= bounds each call ---
def test_image_generation_timeout_bounds_the_submit_call(queue_gmi: FaultServer) -> None:
    queue_gmi.route("POST", "/requests", Reply(kind="stall", stall=3.0))
    with pytest.raises(SubmitUncertainError) as caught:
        litellm.image_generation(model=f"gmi/{IMAGE_MODEL}", prompt="a fox", timeout=0.3)
    # A read timeout (ours), not the server hanging up after its 3 s stall (no per-call bound)
    assert isinstance(caught.value.__cause__, litellm.Timeout)
    assert "ReadTimeout" in str(caught.value)


def test_video_status_timeout_bounds_its_call(queue_gmi: FaultServer) -> None:
    queue_gmi.route("GET", "/requests/req-1", Reply(kind="stall", stall=3.0))
    with pytest.raises(litellm.Timeout, match="ReadTimeout"):
        video_status("req-1", timeout=0.3)


# ---------------------------------------------------------------- item 8: downloads fail cleanly ---
CUT_BODY = Reply(kind="raw", body=b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nonly the start")


def test_a_cut_download_raises_a_connection_error_and_leaves_no_part_file(
    queue_gmi: FaultServer, tmp_path: Path
) -> None:
    queue_gmi.route("GET", "/out/video.mp4", CUT_BODY)
    with RequestQueueClient() as queue, pytest.raises(litellm.APIConnectionError):
        queue.download(queue_gmi.root + "/out/video.mp4", tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_a_stalled_async_download_times_out_and_leaves_no_part_file(
    queue_gmi: FaultServer, tmp_path: Path
) -> None:
    queue_gmi.route("GET", "/out/video.mp4", Reply(kind="sse", events=["a", "b"], stall_after=1, stall=3.0))
    async with AsyncRequestQueueClient(timeout=0.3) as queue:
        with pytest.raises(litellm.Timeout):
            await queue.download(queue_gmi.root + "/out/video.mp4", tmp_path / "v.mp4")
    assert list(tmp_path.iterdir()) == []


def test_fetch_of_a_cut_body_raises_a_connection_error(queue_gmi: FaultServer) -> None:
    queue_gmi.route("GET", "/out/a.png", CUT_BODY)
    with RequestQueueClient() as queue, pytest.raises(litellm.APIConnectionError):
        queue.fetch(queue_gmi.root + "/out/a.png")


def test_fetch_of_an_unfinished_job_is_a_bad_request_not_a_value_error() -> None:
    pending = QueueRequest.from_json(record("processing"))
    with RequestQueueClient(api_key="sk-x") as queue, pytest.raises(litellm.BadRequestError):
        queue.fetch(pending)


def test_fetch_of_something_that_is_not_a_url_is_a_bad_request() -> None:
    with RequestQueueClient(api_key="sk-x") as queue, pytest.raises(litellm.BadRequestError):
        queue.fetch("not-a-url")


# ------------------------------------------------------- item 9: a wait reports its failing polls ---
def test_a_wait_whose_polls_all_fail_reports_the_poll_error(queue_gmi: FaultServer) -> None:
    never_touched = QueueRequest.from_json(record("queued", updated=100))
    queue_gmi.route("GET", "/requests/req-1", Reply(status=503, body={"error": "status service down"}))
    with RequestQueueClient(**fake_time()) as queue, pytest.raises(QueueTimeoutError) as caught:
        queue.wait(never_touched, timeout=0.2, **FAST_WAIT)
    assert not isinstance(caught.value, QueueStuckError)  # not "model may be unavailable"
    assert "status service down" in str(caught.value)
    assert isinstance(caught.value.__cause__, litellm.ServiceUnavailableError)
    assert queue_gmi.count("/requests/req-1") >= 2


def test_a_wait_that_saw_the_job_untouched_still_reports_it_stuck(queue_gmi: FaultServer) -> None:
    queue_gmi.route("GET", "/requests/req-1", Reply(body=record("queued", updated=100)))
    with RequestQueueClient(**fake_time()) as queue, pytest.raises(QueueStuckError, match="never picked up"):
        queue.wait("req-1", timeout=0.2, **FAST_WAIT)


def test_the_queue_client_uses_no_environment_proxy_for_loopback() -> None:
    """Sanity for this file: httpx sends 127.0.0.1 directly, so the fault server sees every call."""
    assert httpx.URL("http://127.0.0.1/").host == "127.0.0.1"


# ---------------------------------------------------------- item 4: an error body is read only so far ---
async def _status(request_id: str, client_kind: str) -> QueueRequest:
    if client_kind == "sync":
        with RequestQueueClient() as queue:
            return queue.status(request_id)
    async with AsyncRequestQueueClient() as aqueue:
        return await aqueue.status(request_id)


@pytest.mark.parametrize("client_kind", ["sync", "async"])
async def test_a_huge_queue_error_body_is_not_downloaded(queue_gmi: FaultServer, client_kind: str) -> None:
    reason = json.dumps({"error": "status store unavailable", "junk": "z" * 30_000_000}).encode()
    queue_gmi.route("GET", "/requests/req-1", Reply(status=500, body=reason))
    with pytest.raises(litellm.InternalServerError) as caught:
        await _status("req-1", client_kind)
    assert "status store unavailable" in str(caught.value)
    assert len(str(caught.value)) < 5000
    seen = queue_gmi.seen[-1]
    assert seen.answered.wait(10)  # the server's write ends (refused) once the client hangs up
    assert not seen.delivered  # the client stopped reading after the first bytes
