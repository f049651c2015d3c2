"""The proxy's ``/v1/videos`` serving ``gmi/`` video end to end: create, status, content, one submit.

A real ``litellm`` proxy with the example config (its ``gmi/*`` entry takes ``gmi/Veo3``) and the one
``custom_provider_map`` entry it already has: :class:`~litellm_gmi.provider.GMIProvider` is LiteLLM's video
config for ``gmi`` too. On LiteLLM releases without the custom video hook the route answers a 400 naming
``litellm_gmi``'s functions and GMI's queue is never called.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from conftest import fast_jobs
from test_proxy_config import GMI_KEY, LITELLM_CLI, MASTER_KEY, Proxy, proxy_env, running_proxy

from gmi_emulator import GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.videos.route import litellm_routes_video

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("fastapi") is None or not LITELLM_CLI.exists(),
    reason='needs the LiteLLM proxy: pip install "litellm-gmi[proxy]"',
)


@pytest.fixture(scope="module")
def video_proxy(_emulator_server: GMIEmulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    env = proxy_env(
        chat_base=_emulator_server.chat_base, queue_base=_emulator_server.queue_base, gmi_key=GMI_KEY
    )
    with running_proxy(tmp_path_factory.mktemp("video_proxy"), env) as proxy:
        yield proxy


@pytest.fixture
def client(video_proxy: Proxy) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=video_proxy.base_url, headers={"Authorization": f"Bearer {MASTER_KEY}"}, timeout=60
    ) as http:
        yield http


@pytest.fixture
def fast_queue(gmi_emulator: GMIEmulator) -> Iterator[GMIEmulator]:
    with fast_jobs(gmi_emulator) as emulator:
        yield emulator


def queue_requests(emulator: GMIEmulator, method: str | None = None) -> list[dict[str, object]]:
    return [
        r.json
        for r in emulator.requests.snapshot()
        if "requestqueue" in r.path and (method is None or r.method == method)
    ]


def completed_video_content(get: Callable[[str], httpx.Response], video_id: str) -> bytes:
    """Poll the proxy's ``/v1/videos/{id}`` until the job completes, then fetch its content."""
    for _ in range(200):
        status = get(f"/v1/videos/{video_id}")
        assert status.status_code == 200, status.text
        if status.json()["status"] == "completed":
            break
        time.sleep(0.05)
    assert status.json()["status"] == "completed"
    content = get(f"/v1/videos/{video_id}/content")
    assert content.status_code == 200, content.text
    return content.content


@pytest.mark.skipif(not litellm_routes_video(), reason="this LiteLLM has no custom-provider video hook")
def test_v1_videos_create_status_and_content(client: httpx.Client, fast_queue: GMIEmulator) -> None:
    created = client.post(
        "/v1/videos", json={"model": "gmi/wan2.6-t2v", "prompt": "waves", "seconds": "5", "size": "1280x720"}
    )
    assert created.status_code == 200, created.text
    video = created.json()
    assert video["status"] == "queued"

    assert completed_video_content(client.get, video["id"]) == MEDIA["mp4"][1]
    assert queue_requests(fast_queue, "POST") == [
        {"model": "wan2.6-t2v", "payload": {"prompt": "waves", "duration": 5, "size": "1280*720"}}
    ]


@pytest.mark.skipif(not litellm_routes_video(), reason="this LiteLLM has no custom-provider video hook")
def test_v1_videos_content_of_an_unfinished_job_is_a_400(
    client: httpx.Client, gmi_emulator: GMIEmulator
) -> None:
    with fast_jobs(gmi_emulator, step=3600):  # unfinished however long the calls take under load
        created = client.post("/v1/videos", json={"model": "gmi/Veo3", "prompt": "slow"})
        assert created.status_code == 200, created.text
        content = client.get(f"/v1/videos/{created.json()['id']}/content")
    assert content.status_code == 400, content.text
    assert "content exists once it completes" in content.text
    assert len(queue_requests(gmi_emulator, "POST")) == 1


@pytest.mark.skipif(litellm_routes_video(), reason="this LiteLLM routes gmi/ video to litellm_gmi")
def test_v1_videos_points_at_our_functions(client: httpx.Client, gmi_emulator: GMIEmulator) -> None:
    created = client.post("/v1/videos", json={"model": "gmi/Veo3", "prompt": "waves"})
    assert created.status_code == 400, created.text
    assert "litellm_gmi.avideo_generation" in created.json()["error"]["message"]
    assert queue_requests(gmi_emulator) == []
