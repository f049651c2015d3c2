"""``litellm_gmi.video_generation`` and friends, which work on every supported LiteLLM (LiteLLM's own
video API reaching ``gmi/`` where it can is tests/videos/test_video_litellm.py)."""

from __future__ import annotations

import litellm
import pytest
from litellm.types.videos.main import VideoObject

import litellm_gmi
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.media import (
    avideo_content,
    avideo_generation,
    avideo_status,
    video_content,
    video_generation,
    video_status,
)
from litellm_gmi.media.video_params import video_payload


@pytest.mark.vcr
def test_generate_returns_queued_video_object_with_cost(fast_queue):
    video = video_generation(prompt="a cat", model="gmi/Kling-Text2Video-V2.1-Master", seconds="5")
    assert isinstance(video, VideoObject)
    assert video.status == "queued"
    assert video.progress == 0
    assert video.model == "Kling-Text2Video-V2.1-Master"
    assert video._hidden_params["gmi_status"] in ("created", "queued")
    assert video._hidden_params["response_cost"] == pytest.approx(0.28)
    if fast_queue.requests:
        assert fast_queue.requests[-1].json["payload"] == {"prompt": "a cat", "duration": "5"}


@pytest.mark.vcr
def test_generate_wait_status_and_content(fast_queue):
    video = video_generation(
        prompt="waves", model="gmi/wan2.6-t2v", seconds=5, size="1280x720", wait=True, poll_interval=0.01
    )
    assert video.status == "completed"
    assert video.progress == 100
    assert video_status(video.id).status == "completed"
    assert video_content(video.id) == MEDIA["mp4"][1]
    assert video_content(video.id, variant="thumbnail") == MEDIA["png"][1]
    if fast_queue.requests:
        submitted = next(r.json for r in fast_queue.requests if r.method == "POST")
        assert submitted["payload"] == {"prompt": "waves", "duration": 5, "size": "1280*720"}


@pytest.mark.vcr
def test_failed_video_status_carries_gmi_reason(fast_queue):
    with pytest.raises(litellm_gmi.media.RequestFailedError):
        video_generation(prompt="fail", model="gmi/Veo3", wait=True, poll_interval=0.01)


@pytest.mark.vcr
def test_content_before_completion_is_a_bad_request(fast_queue):
    video = video_generation(prompt="not yet", model="gmi/Flux2-Klein")
    assert video_status(video.id).status == "queued"
    with pytest.raises(litellm.BadRequestError, match="content exists once it completes"):
        video_content(video.id)


@pytest.mark.vcr
async def test_async_video_with_uploaded_reference(fast_queue):
    video = await avideo_generation(
        prompt="animate",
        model="gmi/Veo3",
        seconds="8",
        input_reference=MEDIA["png"][1],
        wait=True,
        poll_interval=0.01,
    )
    assert video.status == "completed"
    assert (await avideo_status(video.id)).status == "completed"
    assert await avideo_content(video.id) == MEDIA["mp4"][1]
    if fast_queue.requests:
        payload = next(r.json for r in fast_queue.requests if r.path.endswith("/requests"))["payload"]
        assert payload["durationSeconds"] == "8"
        assert payload["image"].endswith(".png")


def test_family_parameter_names():
    assert video_payload("Veo3-Fast", seconds="6", size="1280x720") == {"durationSeconds": "6"}
    assert video_payload("sora-2-pro", seconds=4, size="1280x720", reference="u") == {
        "seconds": "4",
        "size": "1280x720",
        "input_reference": "u",
    }
    assert video_payload("kling-v2-6", seconds="10", reference="u") == {"duration": "10", "image": "u"}
    assert video_payload("pixverse-v5.6-i2v", reference="u") == {"image_url": "u"}
    assert video_payload("wan2.6-i2v", reference="u") == {"img_url": "u"}
    assert video_payload("seedance-2-0-260128", seconds="5", reference="u") == {
        "duration": 5,
        "first_frame": "u",
    }


def test_other_providers_and_query_params_are_refused(gmi_env):
    with pytest.raises(ValueError, match="provider"):
        video_generation(prompt="x", model="Veo3", custom_llm_provider="openai")
    with pytest.raises(ValueError, match="query"):
        video_status("r", extra_query={"a": 1})
