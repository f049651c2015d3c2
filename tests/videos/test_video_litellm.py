"""``gmi/`` video through LiteLLM's own API where LiteLLM lets a custom provider in, and a clear refusal
pointing at ``litellm_gmi.video_generation`` where it does not (:mod:`litellm_gmi.videos.route`).

Against the emulator's request queue (no cassettes: the submit count is read from its request log) and,
for failures, against the independent fault server.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import litellm
import pytest
from conftest import eventually, fast_jobs
from litellm.types.videos.main import VideoObject

import litellm_gmi
from gmi_emulator import GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.media.errors import NOT_RETRYABLE_STATUS
from litellm_gmi.videos.route import litellm_routes_video

from fault_server import FaultServer, Reply

HOOK = litellm_routes_video()
needs_hook = pytest.mark.skipif(not HOOK, reason="this LiteLLM has no custom-provider video hook")
POLL_LIMIT = 400
"""Status polls allowed before a test gives up on the emulator finishing a job (it takes ~0.1 s)."""


@pytest.fixture
def queue_gmi(fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch) -> FaultServer:
    monkeypatch.setenv("GMI_QUEUE_API_BASE", fault_gmi.root)
    return fault_gmi


def submits(emulator: GMIEmulator) -> list[dict[str, Any]]:
    return [
        r.json for r in emulator.requests.snapshot() if r.method == "POST" and r.path.endswith("/requests")
    ]


def queue_calls(emulator: GMIEmulator) -> list[Any]:
    return [r for r in emulator.requests.snapshot() if "requestqueue" in r.path]


def until_done(video_id: str) -> VideoObject:
    for _ in range(POLL_LIMIT):
        video = litellm.video_status(video_id)
        if video.status in ("completed", "failed"):
            return video
        time.sleep(0.01)
    pytest.fail(f"{video_id} did not finish after {POLL_LIMIT} polls")


# --------------------------------------------------------------------------- LiteLLM's own API ---
@needs_hook
def test_litellm_video_generation_status_and_content_with_one_submit(fast_queue: GMIEmulator) -> None:
    video = litellm.video_generation(model="gmi/wan2.6-t2v", prompt="waves", seconds="5", size="1280x720")

    assert isinstance(video, VideoObject)
    assert video.status == "queued"
    assert (video.model, video.seconds, video.size) == ("wan2.6-t2v", "5", "1280x720")
    assert submits(fast_queue) == [
        {"model": "wan2.6-t2v", "payload": {"prompt": "waves", "duration": 5, "size": "1280*720"}}
    ]
    done = until_done(video.id)  # the id alone names gmi: no custom_llm_provider needed
    assert done.status == "completed"
    assert done.id == video.id
    assert litellm.video_content(video.id) == MEDIA["mp4"][1]
    assert litellm.video_content(video.id, variant="thumbnail") == MEDIA["png"][1]
    assert len(submits(fast_queue)) == 1


@needs_hook
async def test_async_litellm_video_functions(fast_queue: GMIEmulator) -> None:
    video = await litellm.avideo_generation(
        model="gmi/Veo3", prompt="animate", seconds="8", input_reference=MEDIA["png"][1]
    )
    for _ in range(POLL_LIMIT):
        status = await litellm.avideo_status(video.id)
        if status.status == "completed":
            break
        await asyncio.sleep(0.01)
    assert status.status == "completed"
    assert await litellm.avideo_content(video.id) == MEDIA["mp4"][1]
    (submitted,) = submits(fast_queue)
    assert submitted["payload"]["durationSeconds"] == "8"
    assert submitted["payload"]["image"].endswith(".png")  # the bytes were uploaded first


@needs_hook
def test_a_failed_job_reports_gmi_reason_in_its_status(fast_queue: GMIEmulator) -> None:
    done = until_done(litellm.video_generation(model="gmi/Veo3", prompt="fail").id)
    assert done.status == "failed"
    assert "content policy" in done.error["message"]
    assert done._hidden_params["gmi_status"] == "failed"


@needs_hook
def test_content_before_completion_is_a_bad_request(gmi_env: GMIEmulator) -> None:
    with fast_jobs(gmi_env, step=3600):  # unfinished however long the calls take under load
        video = litellm.video_generation(model="gmi/Veo3", prompt="not yet")
        with pytest.raises(litellm.BadRequestError, match="content exists once it completes") as caught:
            litellm.video_content(video.id)
    assert str(caught.value).count("BadRequestError") == 1  # not wrapped twice on the way out


@needs_hook
def test_unknown_video_is_not_found(fast_queue: GMIEmulator) -> None:
    with pytest.raises(litellm.NotFoundError):
        litellm.video_status("no-such-request", custom_llm_provider="gmi")


@needs_hook
def test_bad_input_fails_before_any_request(fast_queue: GMIEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(litellm.BadRequestError, match=re.escape("litellm.video_status(video.id)")):
        litellm.video_generation(model="gmi/Veo3", prompt="x", wait=True)
    with pytest.raises(litellm.BadRequestError, match="cannot upload"):
        litellm.video_generation(model="gmi/Veo3", prompt="x", input_reference=b"not an image")
    monkeypatch.delenv("GMI_API_KEY")
    with pytest.raises(litellm.AuthenticationError, match="GMI API key not found"):
        litellm.video_generation(model="gmi/Veo3", prompt="x")
    assert queue_calls(fast_queue) == []


# ------------------------------------------------------------------------ the submit is sent once ---
def video_router() -> litellm.Router:
    return litellm.Router(
        model_list=[{"model_name": "vid", "litellm_params": {"model": "gmi/Veo3"}}],
        num_retries=2,
        retry_after=0,
    )


@needs_hook
@pytest.mark.parametrize("reply", [Reply(status=500, body={"error": "boom"}), Reply(kind="reset")])
def test_router_does_not_resubmit_after_an_ambiguous_submit_failure(
    queue_gmi: FaultServer, reply: Reply
) -> None:
    queue_gmi.route("POST", "/requests", reply)
    with pytest.raises(litellm_gmi.SubmitUncertainError, match="may still have been accepted") as caught:
        video_router().video_generation(model="vid", prompt="waves")
    assert caught.value.status_code == NOT_RETRYABLE_STATUS
    assert queue_gmi.count("/requests", method="POST") == 1


@needs_hook
async def test_async_router_does_not_resubmit_a_timed_out_submit(queue_gmi: FaultServer) -> None:
    queue_gmi.route("POST", "/requests", Reply(kind="stall", stall=3.0))
    with pytest.raises(litellm_gmi.SubmitUncertainError, match="Timeout"):
        await video_router().avideo_generation(model="vid", prompt="waves", timeout=0.3)
    # The server's thread logs the POST it is stalling on its own time.
    submits = eventually(lambda: queue_gmi.count("/requests", method="POST"), bool, 10)
    assert submits == 1


@needs_hook
def test_a_submit_429_stays_a_rate_limit_error(queue_gmi: FaultServer) -> None:
    """Nothing was accepted, so a retry layer may try again (the package functions retry it themselves)."""
    queue_gmi.route("POST", "/requests", Reply(status=429, body={"error": "slow down"}))
    with pytest.raises(litellm.RateLimitError):
        litellm.video_generation(model="gmi/Veo3", prompt="waves")


# ---------------------------------------------------------------------- releases without the hook ---
@pytest.mark.skipif(HOOK, reason="this LiteLLM routes gmi/ video to litellm_gmi's video config")
@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: litellm.video_generation(model="gmi/Veo3", prompt="x"), "litellm_gmi.video_generation"),
        (lambda: litellm.video_status("r", custom_llm_provider="gmi"), "litellm_gmi.video_status"),
        (
            lambda: asyncio.run(litellm.avideo_content("r", custom_llm_provider="gmi")),
            "litellm_gmi.avideo_content",
        ),
    ],
    ids=["video_generation", "video_status", "avideo_content"],
)
def test_litellm_video_functions_point_at_ours(gmi_env: GMIEmulator, call: Any, names: str) -> None:
    with pytest.raises(litellm.BadRequestError, match=re.escape(names)):
        call()
    assert queue_calls(gmi_env) == []


def test_our_functions_serve_a_video_made_by_either_front_door(fast_queue: GMIEmulator) -> None:
    """One implementation: the package's functions, on every release, read GMI's request id."""
    video = litellm_gmi.video_generation(
        model="gmi/Veo3", prompt="waves", seconds="8", wait=True, poll_interval=0.01
    )
    assert litellm_gmi.video_status(video.id).status == "completed"
    assert litellm_gmi.video_content(video.id) == MEDIA["mp4"][1]
    if HOOK:
        assert litellm.video_status(video.id, custom_llm_provider="gmi").status == "completed"
    assert len(submits(fast_queue)) == 1
