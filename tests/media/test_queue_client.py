"""The request-queue clients against the emulator, recorded: submit, poll, wait outcomes, upload,
download, cancel, and the retry rules (a submit is retried only on 429; status polls ride out 5xx).

Time is simulated: the clients get a fake ``sleep``/``clock`` that also advances the emulator's clock, so
jobs progress without real waiting and a replay makes exactly the recorded polls.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import litellm
import pytest

from gmi_emulator import FakeTime, Fault, GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.constants import API_KEY_ENVS
from litellm_gmi.media import (
    AsyncRequestQueueClient,
    QueueStuckError,
    QueueTimeoutError,
    RequestCancelledError,
    RequestFailedError,
    RequestQueueClient,
    SubmitUncertainError,
)
from litellm_gmi.media.protocol import WaitLoop, parse_models
from litellm_gmi.media.records import QueueRequest

TEST_KEY = "sk-gmi-test-0000000000000000000000"


@pytest.fixture
def fake(gmi_env: GMIEmulator) -> FakeTime:
    return FakeTime(gmi_env)


@pytest.fixture
def client(fake: FakeTime):
    with RequestQueueClient(sleep=fake.sleep, clock=fake.clock) as queue:
        yield queue


def counting_client(fake: FakeTime) -> tuple[RequestQueueClient, list[httpx.Request]]:
    """A client whose HTTP requests are counted (hooks fire on replay too: VCR patches the transport)."""
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    return RequestQueueClient(http_client=http, sleep=fake.sleep, clock=fake.clock), sent


# ------------------------------------------------------------------------------------------ recorded ---
@pytest.mark.vcr
def test_list_and_get_models(client):
    models = client.list_models()
    assert {"Veo3", "seedream-5.0-lite", "Flux2-Klein"} <= set(models)
    detail = client.get_model("seedream-5.0-lite")
    assert detail["model"] == "seedream-5.0-lite"
    assert any(p["name"] == "prompt" for p in detail["parameters"])


@pytest.mark.vcr
def test_submit_then_poll_until_success(client, fake):
    record = client.submit("Veo3", {"prompt": "a lighthouse at dusk", "durationSeconds": "8"})
    assert record.status in ("queued", "dispatched")  # GMI's pages show both in the submit answer
    assert not record.is_terminal
    seen: list[str] = []
    done = client.wait(
        record,
        poll_interval=0.1,
        max_poll_interval=0.15,
        timeout=30,
        on_update=lambda r: seen.append(r.status),
    )
    assert done.succeeded
    assert done.artifact_urls[0].endswith("/sample_0.mp4")
    assert done.thumbnail_url is not None
    assert done.thumbnail_url not in done.artifact_urls
    assert seen[0] == record.status
    assert seen[-1] == "success"
    assert {"dispatched", "processing"} <= set(seen)
    assert fake.sleeps[1] > fake.sleeps[0]  # backoff


@pytest.mark.vcr
def test_wait_by_id_polls_immediately(client):
    record = client.submit("Veo3", {"prompt": "waves"})
    assert client.wait(record.request_id, poll_interval=0.2, timeout=30).succeeded


@pytest.mark.vcr
def test_synchronous_success_in_submit_answer_needs_no_poll(fake):
    queue, sent = counting_client(fake)
    with queue:
        record = queue.submit("seedream-5.0-lite", {"prompt": "a red fox", "max_images": 2})
        assert record.succeeded
        assert len(record.artifact_urls) == 2
        assert queue.wait(record) is record
    assert len(sent) == 1
    assert fake.sleeps == []


@pytest.mark.vcr
def test_legacy_outcome_shape(client):
    done = client.run("Kling-Text2Video-V2.1-Master", {"prompt": "a cat"}, poll_interval=0.1, timeout=30)
    assert "video_url" in done.outcome
    assert done.artifact_urls == [done.outcome["video_url"]]


@pytest.mark.vcr
def test_failed_job_raises_with_gmi_reason(client):
    with pytest.raises(RequestFailedError) as caught:
        client.run("Veo3", {"prompt": "fail"}, poll_interval=0.1, timeout=30)
    assert "content policy" in caught.value.reason
    assert caught.value.record.status == "failed"
    assert not isinstance(caught.value, RequestCancelledError)


@pytest.mark.vcr
def test_stuck_in_queued_times_out_with_a_clear_message(client, fake):
    record = client.submit("Flux2-Klein", {"prompt": "a bird"})
    with pytest.raises(QueueStuckError) as caught:
        client.wait(record, poll_interval=0.5, max_poll_interval=2, timeout=6)
    assert "may be unavailable" in str(caught.value)
    assert caught.value.record.status == "queued"
    assert sum(fake.sleeps) == pytest.approx(6)


@pytest.mark.vcr
def test_running_job_times_out_without_stuck(client, fake, monkeypatch):
    # The job clock is real time plus the fake sleeps: a long step keeps it running whatever the load.
    monkeypatch.setattr(fake.emulator.state.queue, "step", 60.0)
    record = client.submit("Veo3", {"prompt": "slow"})
    with pytest.raises(QueueTimeoutError) as caught:
        client.wait(record, poll_interval=0.1, timeout=0.5)
    assert not isinstance(caught.value, QueueStuckError)
    assert isinstance(caught.value, litellm.Timeout)
    assert caught.value.record.status in ("dispatched", "processing")


@pytest.mark.vcr
def test_cancel_then_wait_raises_cancelled(client):
    record = client.submit("Veo3", {"prompt": "to cancel"})
    assert client.cancel(record.request_id) is True
    with pytest.raises(RequestCancelledError):
        client.wait(record.request_id, poll_interval=0.1, timeout=5)
    assert client.cancel(record.request_id) is False  # already finished: best effort says no
    assert client.cancel("no-such-request") is False


@pytest.mark.vcr
def test_upload_bytes_and_path_then_fetch_public_url(client, tmp_path: Path):
    url = client.upload(b"\xff\xd8\xff\xe0fake-jpeg", "jpg")
    assert url.endswith(".jpg")
    assert client.fetch(url) == b"\xff\xd8\xff\xe0fake-jpeg"
    sound = tmp_path / "voice.wav"
    sound.write_bytes(MEDIA["wav"][1])
    assert client.upload(sound).endswith(".wav")
    with pytest.raises(ValueError, match="file_type"):
        client.upload(b"x")
    with pytest.raises(ValueError, match="GMI accepts"):
        client.upload(b"x", "gif")


@pytest.mark.vcr
def test_download_streams_artifact_to_a_directory_or_file(client, tmp_path: Path):
    done = client.run("seedream-5.0-lite", {"prompt": "a pear"})
    path = client.download(done, tmp_path)
    assert path.name == "sample_0.png"
    assert path.read_bytes() == MEDIA["png"][1]
    other = client.download(done.artifact_urls[0], tmp_path / "pear.png")
    assert other.read_bytes().startswith(b"\x89PNG")
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.vcr
def test_submit_is_not_retried_on_500(gmi_env, fake):
    gmi_env.inject(Fault("server_error", model="Veo3"))
    queue, sent = counting_client(fake)
    with queue, pytest.raises(SubmitUncertainError, match="Internal server error") as caught:
        queue.submit("Veo3", {"prompt": "bill me once"})
    assert caught.value.upstream_status == 500  # GMI's 500, chained, under a class no retry layer retries
    assert isinstance(caught.value.__cause__, litellm.InternalServerError)
    assert len(sent) == 1
    assert fake.sleeps == []


@pytest.mark.vcr
def test_submit_is_retried_on_429_honouring_retry_after(gmi_env, fake):
    gmi_env.inject(Fault("rate_limit", model="Veo3", retry_after=3))
    queue, sent = counting_client(fake)
    with queue:
        record = queue.submit("Veo3", {"prompt": "again"})
    assert record.request_id
    assert len(sent) == 2
    assert fake.sleeps == [3.0]


@pytest.mark.vcr
def test_status_polls_ride_out_5xx_429_and_malformed_answers(gmi_env, client):
    record = client.submit("Veo3", {"prompt": "flaky network"})
    gmi_env.inject(Fault("server_error", model="Veo3"))
    gmi_env.inject(Fault("unavailable", model="Veo3"))
    gmi_env.inject(Fault("rate_limit", model="Veo3", retry_after=0))
    gmi_env.inject(Fault("malformed", model="Veo3"))
    assert client.wait(record, poll_interval=0.1, timeout=30).succeeded


@pytest.mark.vcr
def test_wrong_case_model_is_404_with_a_casing_hint(client):
    with pytest.raises(litellm.NotFoundError, match="case-sensitive"):
        client.submit("veo3", {"prompt": "x"})


@pytest.mark.vcr
def test_invalid_key_is_an_authentication_error(gmi_env, monkeypatch):
    monkeypatch.setenv("GMI_API_KEY", "sk-invalid-key")
    with RequestQueueClient() as queue, pytest.raises(litellm.AuthenticationError) as caught:
        queue.list_models()
    assert "sk-invalid-key" not in str(caught.value)


@pytest.mark.vcr
async def test_async_client_submit_wait_download(fake, tmp_path: Path):
    async with AsyncRequestQueueClient(sleep=fake.asleep, clock=fake.clock) as queue:
        done = await queue.run("Veo3", {"prompt": "async"}, poll_interval=0.1, timeout=30)
        assert done.succeeded
        path = await queue.download(done, tmp_path)
        assert path.read_bytes() == MEDIA["mp4"][1]
        assert (await queue.upload(b"\x89PNG\r\n", "png")).endswith(".png")
        with pytest.raises(RequestFailedError):
            await queue.run("Veo3", {"prompt": "fail"}, poll_interval=0.1, timeout=30)
        assert await queue.cancel("no-such-request") is False


@pytest.mark.vcr
async def test_async_submit_not_retried_on_500(gmi_env, fake):
    gmi_env.inject(Fault("server_error", model="Veo3"))
    sent: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    http = httpx.AsyncClient(event_hooks={"request": [count]})
    async with AsyncRequestQueueClient(http_client=http, sleep=fake.asleep, clock=fake.clock) as queue:
        with pytest.raises(SubmitUncertainError):
            await queue.submit("Veo3", {"prompt": "once"})
    await http.aclose()
    assert len(sent) == 1


# ------------------------------------------------------------------------------------------ offline ---
def test_missing_key_fails_before_any_network(monkeypatch):
    for name in API_KEY_ENVS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(litellm.AuthenticationError, match="GMI_API_KEY"):
        RequestQueueClient()


def test_repr_hides_the_key():
    queue = RequestQueueClient(api_key=TEST_KEY, api_base="http://127.0.0.1:1/q/")
    assert TEST_KEY not in repr(queue)
    assert "***" in repr(queue)
    assert queue.api_base == "http://127.0.0.1:1/q"
    assert TEST_KEY not in repr(queue._protocol.submit("Veo3", {"prompt": "x"}))
    queue.close()


def test_queue_base_from_argument_then_environment(monkeypatch):
    monkeypatch.setenv("GMI_QUEUE_API_BASE", "http://127.0.0.1:2/env")
    assert RequestQueueClient(api_key="k").api_base == "http://127.0.0.1:2/env"
    assert RequestQueueClient(api_key="k", api_base="http://127.0.0.1:3").api_base == "http://127.0.0.1:3"
    monkeypatch.delenv("GMI_QUEUE_API_BASE")
    assert RequestQueueClient(api_key="k").api_base.startswith(
        "https://console.gmicloud.ai/api/v1/ie/requestqueue"
    )


def test_org_id_header_and_no_credentials_to_storage():
    queue = RequestQueueClient(api_key="k", api_base="http://127.0.0.1:1", org_id="org-9")
    call = queue._protocol.status("abc")
    assert call.headers["X-Organization-ID"] == "org-9"
    from litellm_gmi.media.transfer import artifact_get, upload_put

    assert "Authorization" not in artifact_get("https://storage.example/x").headers
    put = upload_put("https://storage.example/u?sig=1", b"x", "mp3")
    assert dict(put.headers) == {"Content-Type": "audio/mp3"}
    assert upload_put("u", b"x", "jpg").headers["Content-Type"] == "image/jpg"


@pytest.mark.parametrize(
    "body",
    [
        {"model_ids": ["Veo3", "Luma-Ray2"]},
        {"models": [{"model": "Veo3"}, {"model": "Luma-Ray2"}]},
        ["Veo3", "Luma-Ray2"],
    ],
)
def test_both_model_list_shapes(body):
    assert parse_models(body) == ["Veo3", "Luma-Ray2"]


def test_wait_loop_schedule_caps_the_last_sleep_at_the_deadline():
    now = [0.0]
    loop = WaitLoop("r", timeout=10, poll_interval=2, max_interval=4, clock=lambda: now[0])
    delays = []
    while loop.remaining() > 0:
        delays.append(loop.next_delay())
        now[0] += delays[-1]
    assert delays == [2, 3, 4, 1]
    with pytest.raises(QueueTimeoutError):
        loop.next_delay()


def test_wait_loop_reraises_non_transient_errors():
    loop = WaitLoop("r", timeout=10, poll_interval=1, max_interval=1, clock=lambda: 0.0)
    loop.transient(litellm.InternalServerError(message="x", llm_provider="gmi", model="m"))
    with pytest.raises(litellm.NotFoundError):
        loop.transient(litellm.NotFoundError(message="gone", llm_provider="gmi", model="m"))


def test_timeout_chains_the_last_transient_error():
    now = [0.0]
    loop = WaitLoop("r", timeout=1, poll_interval=1, max_interval=1, clock=lambda: now[0])
    loop.observe(
        QueueRequest.from_json({"request_id": "r", "status": "processing", "created_at": 1, "updated_at": 2})
    )
    error = httpx.ConnectError("refused")
    loop.transient(error)
    now[0] = 2
    with pytest.raises(QueueTimeoutError) as caught:
        loop.next_delay()
    assert caught.value.__cause__ is error
