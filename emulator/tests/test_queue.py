"""The emulator's request-queue routes over real HTTP on 127.0.0.1 (no cassettes: nothing remote here)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from gmi_emulator import Fault, GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA

from .helpers import AUTH


@pytest.fixture
def http(emu: GMIEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.queue_base, headers=AUTH) as client:
        yield client


def test_models_list_and_detail(http):
    ids = http.get("/models").json()["model_ids"]
    assert {"Veo3", "seedream-5.0-lite", "Flux2-Klein", "Kling-Text2Video-V2.1-Master"} <= set(ids)
    detail = http.get("/models/seedream-5.0-lite").json()
    assert detail["model"] == "seedream-5.0-lite"
    assert detail["price_info"]["price"] == 35000
    assert http.get("/models/SEEDREAM-5.0-lite").status_code == 404


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer sk-invalid"}, 401),
        ({"Authorization": "Bearer sk-forbidden"}, 403),
    ],
)
def test_auth_rules_match_the_chat_routes(emu, headers, status):
    response = httpx.post(
        emu.queue_base + "/requests", json={"model": "Veo3", "payload": {}}, headers=headers
    )
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert "sk-" not in response.text


def test_submit_validation(http):
    assert http.post("/requests", json={"model": "veo3", "payload": {"prompt": "x"}}).status_code == 404
    empty = http.post("/requests", json={"model": "Veo3", "payload": {}})
    assert empty.status_code == 400
    assert "prompt" in empty.json()["error"]
    assert http.post("/requests", content=b"not json").status_code == 400


@pytest.mark.parametrize(
    ("model", "statuses"),
    [
        ("sora-2-pro", ["queued", "dispatched", "processing", "success"]),  # the sora-2-pro page: queued
        ("Veo3", ["dispatched", "processing", "success"]),  # the video API reference's Veo3 example
    ],
)
def test_status_progresses_with_the_state_clock(emu, http, model, statuses, monkeypatch):
    monkeypatch.setattr(emu.state.queue, "step", 60.0)  # only the advanced clock moves the job, not load
    job = http.post("/requests", json={"model": model, "payload": {"prompt": "x"}}).json()
    assert job["status"] == statuses[0]
    assert job["outcome"] is None
    seen = []
    for _ in statuses:
        seen.append(http.get(f"/requests/{job['request_id']}").json())
        emu.state.clock.advance(emu.state.queue.step)
    assert [r["status"] for r in seen] == statuses
    outcome = seen[-1]["outcome"]
    assert outcome["media_urls"][0]["id"] == "0"
    assert outcome["thumbnail_image_url"].endswith("thumbnail.png")
    artifact = httpx.get(outcome["media_urls"][0]["url"])
    assert artifact.content == MEDIA["mp4"][1]
    assert artifact.headers["content-type"] == "video/mp4"


@pytest.mark.parametrize(
    ("model", "payload", "reason"),
    [
        ("wan2.6-i2v", {"prompt": "x", "image": "https://x/a.png"}, "missing required field(s): img_url"),
        ("Veo3-Fast", {"prompt": "x"}, "missing required field(s): durationSeconds"),
        ("Veo3", {"prompt": "x", "durationSeconds": 8}, "durationSeconds must be a str"),
        ("pixverse-v5.6-t2v", {"prompt": "x", "quality": "720p", "duration": 5}, "duration must be a str"),
        ("wan2.6-t2v", {"prompt": "x", "duration": "5"}, "duration must be a int"),
        ("wan2.7-image", {"prompt": "x"}, "missing required field(s): text"),
        ("gpt-image-2-edit", {"prompt": "x", "image": "u", "size": "1K"}, "Generation rejected"),
    ],
)
def test_documented_payload_rules(http, model, payload, reason):
    response = http.post("/requests", json={"model": model, "payload": payload})
    assert response.status_code == 400
    assert reason in response.json()["error"]


def test_documented_payloads_are_accepted(http):
    for model, payload in (
        ("wan2.6-i2v", {"img_url": "https://x/a.png"}),
        ("pixverse-v5.6-t2v", {"prompt": "x", "quality": "720p", "duration": "5"}),
        ("gpt-image-2-edit", {"prompt": "x", "image": "https://x/a.png"}),
        ("Veo3", {"prompt": "x", "durationSeconds": "8"}),
    ):
        assert http.post("/requests", json={"model": model, "payload": payload}).status_code == 200, model


def test_gated_model_passes_the_probe_then_refuses_access(http):
    probe = http.post("/requests", json={"model": "seededit-3-0-i2i-250628", "payload": {}})
    assert probe.status_code == 400
    real = http.post("/requests", json={"model": "seededit-3-0-i2i-250628", "payload": {"prompt": "x"}})
    assert real.status_code == 404
    assert "do not have access" in real.json()["error"]


def test_special_models(emu, http):
    sync = http.post("/requests", json={"model": "seedream-5.0-lite", "payload": {"prompt": "x"}}).json()
    assert sync["status"] == "success"
    assert sync["outcome"]["media_urls"][0]["url"].endswith(".png")
    stuck = http.post("/requests", json={"model": "Flux2-Klein", "payload": {"prompt": "x"}}).json()
    emu.state.clock.advance(3600)
    later = http.get(f"/requests/{stuck['request_id']}").json()
    assert later["status"] == "queued"
    assert later["updated_at"] == later["created_at"]
    legacy = http.post(
        "/requests", json={"model": "Kling-Text2Video-V2.1-Master", "payload": {"prompt": "x"}}
    )
    emu.state.clock.advance(10)
    outcome = http.get(f"/requests/{legacy.json()['request_id']}").json()["outcome"]
    assert set(outcome) == {"video_url", "thumbnail_image_url"}
    failing = http.post("/requests", json={"model": "Veo3", "payload": {"prompt": "fail"}}).json()
    emu.state.clock.advance(10)
    failed = http.get(f"/requests/{failing['request_id']}").json()
    assert failed["status"] == "failed"
    assert "content policy" in failed["outcome"]["error"]
    # The sources disagree on where a failure's reason goes (genblaze vs picture_compose): legacy models use
    # `error`.
    old = http.post(
        "/requests", json={"model": "Kling-Text2Video-V2.1-Master", "payload": {"prompt": "fail"}}
    )
    emu.state.clock.advance(10)
    old_failed = http.get(f"/requests/{old.json()['request_id']}").json()
    assert (old_failed["status"], old_failed["outcome"]) == ("failed", None)
    assert "content policy" in old_failed["error"]


def test_cancel_and_list(http):
    job = http.post("/requests", json={"model": "Veo3", "payload": {"prompt": "x"}}).json()
    assert http.delete(f"/requests/{job['request_id']}").json()["status"] == "cancelled"
    assert http.delete(f"/requests/{job['request_id']}").status_code == 400
    assert http.delete("/requests/nope").status_code == 404
    listed = http.get("/requests", params={"model_id": "Veo3"}).json()
    assert listed["total"] == len(listed["requests"]) >= 1
    assert all(r["model"] == "Veo3" for r in listed["requests"])


@pytest.mark.parametrize(("file_type", "content_type"), [("jpg", "image/jpg"), ("mp3", "audio/mp3")])
def test_upload_grant_signed_put_and_public_url(http, file_type, content_type):
    grant = http.post("/upload-url", json={"file_type": file_type}).json()
    wrong = httpx.put(
        grant["upload_url"], content=b"data", headers={"Content-Type": "application/octet-stream"}
    )
    assert wrong.status_code == 403
    assert (
        httpx.put(grant["upload_url"], content=b"data", headers={"Content-Type": content_type}).status_code
        == 200
    )
    public = httpx.get(grant["public_url"])
    assert public.content == b"data"
    assert public.headers["content-type"] == content_type
    assert http.post("/upload-url", json={"file_type": "gif"}).status_code == 400


@pytest.mark.parametrize(
    ("kind", "status"), [("server_error", 500), ("unavailable", 503), ("rate_limit", 429)]
)
def test_faults_apply_to_queue_routes_by_model(emu, http, kind, status):
    emu.inject(Fault(kind, model="Veo3"))
    assert http.get("/models").status_code == 200  # a model-filtered fault skips other routes
    response = http.post("/requests", json={"model": "Veo3", "payload": {"prompt": "x"}})
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert emu.state.faults.pending() == 0


def test_malformed_and_header_faults(emu, http):
    job = http.post("/requests", json={"model": "Veo3", "payload": {"prompt": "x"}}).json()
    emu.inject(Fault("malformed", model="Veo3"))
    broken = http.get(f"/requests/{job['request_id']}")
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    header = http.get(
        f"/requests/{job['request_id']}", headers={"X-GMI-Emulator-Fault": "rate_limit;retry_after=2"}
    )
    assert header.status_code == 429
    assert header.headers["Retry-After"] == "2"
