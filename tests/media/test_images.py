"""``litellm.image_generation`` / ``image_edit`` for ``gmi/`` image models, through GMIProvider (recorded)."""

from __future__ import annotations

import base64
from pathlib import Path

import litellm
import pytest

import litellm_gmi  # noqa: F401 - registers gmi/
from gmi_emulator import GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.media import RequestFailedError
from litellm_gmi.media.images import prepare


def posted(emulator: GMIEmulator) -> list[dict]:
    return [r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/requests")]


@pytest.mark.vcr
def test_image_generation_returns_artifact_urls_and_cost(fast_queue):
    response = litellm.image_generation(
        model="gmi/seedream-5.0-lite", prompt="a red fox", max_images=2, extra_body={"size": "2K"}
    )
    assert isinstance(response, litellm.ImageResponse)
    assert [d.url.rsplit("/", 1)[-1] for d in response.data] == ["sample_0.png", "sample_1.png"]
    assert response._hidden_params["response_cost"] == pytest.approx(0.07)  # $0.035 per image
    assert response._hidden_params["gmi_request_id"]
    if fast_queue.requests:  # recording: check what GMI received
        assert posted(fast_queue)[-1] == {
            "model": "seedream-5.0-lite",
            "payload": {"prompt": "a red fox", "max_images": 2, "size": "2K"},
        }


@pytest.mark.vcr
async def test_aimage_generation_polls_until_done(fast_queue):
    response = await litellm.aimage_generation(
        model="gmi/gemini-2.5-flash-image", prompt="a teapot", aspect_ratio="16:9", poll_interval=0.01
    )
    assert len(response.data) == 1
    assert response.data[0].url.endswith(".png")
    assert not response._hidden_params.get("response_cost")  # GMI publishes no price for it


@pytest.mark.vcr
def test_b64_json_downloads_the_image(fast_queue):
    response = litellm.image_generation(
        model="gmi/seedream-5.0-lite", prompt="a pear", extra_body={"response_format": "b64_json"}
    )
    assert base64.b64decode(response.data[0].b64_json) == MEDIA["png"][1]
    assert response.data[0].url is None


@pytest.mark.vcr
def test_failed_generation_raises_gmi_reason(fast_queue):
    with pytest.raises(RequestFailedError, match="content policy"):
        litellm.image_generation(model="gmi/gemini-2.5-flash-image", prompt="fail", poll_interval=0.01)


@pytest.mark.vcr
def test_image_edit_uploads_local_file_and_sends_image_list(fast_queue, tmp_path: Path):
    source = tmp_path / "in.png"
    source.write_bytes(MEDIA["png"][1])
    with source.open("rb") as handle:
        response = litellm.image_edit(
            model="gmi/seedream-5.0-lite", image=handle, prompt="make it blue", poll_interval=0.01
        )
    assert response.data[0].url.endswith("sample_0.png")
    if fast_queue.requests:
        payload = posted(fast_queue)[-1]["payload"]
        assert payload["prompt"] == "make it blue"
        assert payload["image"][0].endswith(".png")
        assert "/emulator-storage/public/" in payload["image"][0]


@pytest.mark.vcr
async def test_aimage_edit_passes_urls_through(fast_queue):
    response = await litellm.aimage_edit(
        model="gmi/seedream-5.0-lite", image="https://example.com/cat.png", prompt="add a hat"
    )
    assert len(response.data) == 1
    if fast_queue.requests:
        assert posted(fast_queue)[-1]["payload"]["image"] == ["https://example.com/cat.png"]


def test_prepare_keeps_payload_fields_and_drops_litellm_internals():
    job = prepare(
        "m",
        "p",
        {"seed": 3, "litellm_call_id": "x", "metadata": {}, "poll_interval": 0.5, "org_id": "o", "user": "u"},
        timeout=42,
    )
    assert job.payload == {"prompt": "p", "seed": 3}
    assert job.wait == {"timeout": 42.0, "poll_interval": 0.5}
    assert job.org_id == "o"
