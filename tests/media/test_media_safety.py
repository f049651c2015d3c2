"""Issue 21 items 3, 7, 8 and 9 against the independent fault server: nothing reads the host for a
proxied call, nothing follows a stranger with GMI's headers, downloads land whole under a safe name,
and artifacts are capped, never inflated, and fetched only from public hosts (or the queue's own).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import litellm
import pytest
from media_faults import artifact, fifo_has_reader, gzip_bomb, queued, redirect

from litellm_gmi.media import AsyncRequestQueueClient, QueueRequest, RequestQueueClient
from litellm_gmi.media.errors import (
    DownloadTargetError,
    MediaInputError,
    MediaTooLargeError,
    UnsafeURLError,
)
from litellm_gmi.media.inputs import PATH_REFUSED, classify, local_paths_allowed

from fault_server import FaultServer, Reply

ORG = "org-secret-4242"
CUSTOM = {"X-Team-Token": "team-secret"}
MODEL = "seedream-5.0-lite"
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 64


@pytest.fixture
def queue_gmi(fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch) -> FaultServer:
    monkeypatch.setenv("GMI_QUEUE_API_BASE", fault_gmi.root)
    return fault_gmi


@pytest.fixture(scope="module")
def _elsewhere_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def elsewhere(_elsewhere_server: FaultServer) -> Iterator[FaultServer]:
    """Another origin (same loopback address, another port) that a hostile answer points at."""
    _elsewhere_server.clear()
    yield _elsewhere_server
    _elsewhere_server.clear()


def client(**kwargs: object) -> RequestQueueClient:
    settings: dict[str, object] = {"org_id": ORG, "headers": CUSTOM, "timeout": 5, **kwargs}
    return RequestQueueClient(**settings)  # type: ignore[arg-type]


def no_gmi_header(server: FaultServer) -> None:
    for seen in server.seen:
        names = {name.lower() for name in seen.headers}
        assert not names & {"authorization", "x-organization-id", "x-team-token"}, seen.headers


# ------------------------------------------------------------------ item 7: no stranger gets headers ---
def test_a_status_redirect_to_another_host_is_refused_and_sends_nothing_there(
    queue_gmi: FaultServer, elsewhere: FaultServer
) -> None:
    queue_gmi.route("GET", "/requests/req-1", redirect(elsewhere.root + "/requests/req-1"))
    with client() as queue, pytest.raises(UnsafeURLError, match="another host"):
        queue.status("req-1")
    assert elsewhere.seen == []


@pytest.mark.parametrize("where", ["same host", "another host"])
def test_a_submit_follows_no_redirect(queue_gmi: FaultServer, elsewhere: FaultServer, where: str) -> None:
    target = queue_gmi.root if where == "same host" else elsewhere.root
    queue_gmi.route("POST", "/requests", redirect(target + "/v2/requests"))
    queue_gmi.route("POST", "/v2/requests", Reply(body=queued()))
    elsewhere.route("POST", "/v2/requests", Reply(body=queued()))
    with client() as queue, pytest.raises(UnsafeURLError, match="not followed"):
        queue.submit(MODEL, {"prompt": "a secret prompt"})
    assert queue_gmi.count("/v2/requests") == 0
    assert elsewhere.seen == []


async def test_async_status_redirect_to_another_host_is_refused(
    queue_gmi: FaultServer, elsewhere: FaultServer
) -> None:
    queue_gmi.route("GET", "/requests/req-1", redirect(elsewhere.root + "/requests/req-1", 302))
    async with AsyncRequestQueueClient(org_id=ORG, headers=CUSTOM) as queue:
        with pytest.raises(UnsafeURLError):
            await queue.status("req-1")
    assert elsewhere.seen == []


def test_a_same_origin_redirect_is_followed_with_the_gmi_headers(queue_gmi: FaultServer) -> None:
    queue_gmi.route("GET", "/requests/req-1", redirect(queue_gmi.root + "/v2/requests/req-1", 308))
    queue_gmi.route("GET", "/v2/requests/req-1", Reply(body=queued()))
    with client() as queue:
        assert queue.status("req-1").request_id == "req-1"
    assert queue_gmi.seen[-1].headers.get("X-Organization-ID") == ORG


def test_an_artifact_redirect_is_followed_without_any_gmi_header(
    queue_gmi: FaultServer, elsewhere: FaultServer
) -> None:
    queue_gmi.route("GET", "/out/a.png", redirect(elsewhere.root + "/cdn/a.png", 302))
    elsewhere.route("GET", "/cdn/a.png", artifact(len(PNG)))
    with client() as queue:
        assert queue.fetch(queue_gmi.root + "/out/a.png").startswith(b"\x89PNG")
    assert elsewhere.count("/cdn/a.png") == 1
    no_gmi_header(elsewhere)
    no_gmi_header(queue_gmi)


# ------------------------------------------------------------ item 8: downloads land safely, or not ---
def test_an_artifact_named_bashrc_never_overwrites_a_dotfile(queue_gmi: FaultServer, tmp_path: Path) -> None:
    dotfile = tmp_path / ".bashrc"
    dotfile.write_text("export SAFE=1\n")
    queue_gmi.route("GET", "/out/.bashrc", artifact(100))
    with client() as queue:
        path = queue.download(queue_gmi.root + "/out/.bashrc", tmp_path)
    assert dotfile.read_text() == "export SAFE=1\n"
    assert path == tmp_path / "bashrc"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc", "bashrc"]


@pytest.mark.parametrize("tail", ["..", "%2e%2e", "..."])
def test_an_artifact_named_dot_dot_lands_under_the_request_id_and_leaves_no_part(
    queue_gmi: FaultServer, tmp_path: Path, tail: str
) -> None:
    url = f"{queue_gmi.root}/out/x/{tail}"
    done = QueueRequest.from_json(
        {**queued(), "status": "success", "outcome": {"media_urls": [{"url": url}]}}
    )
    for path in ("/out/x/..", "/out/x/%2e%2e", "/out/x/...", "/out", "/out/"):
        queue_gmi.route("GET", path, artifact(100))
    dest = tmp_path / "dl"
    dest.mkdir()
    with client() as queue:
        path = queue.download(done, dest)
    assert path == dest / "req-1"
    assert [p.name for p in dest.iterdir()] == ["req-1"]
    assert [p.name for p in tmp_path.iterdir()] == ["dl"]


def test_an_existing_file_is_replaced_only_when_asked(queue_gmi: FaultServer, tmp_path: Path) -> None:
    target = tmp_path / "a.png"
    target.write_bytes(b"mine")
    queue_gmi.route("GET", "/out/a.png", artifact(100))
    with client() as queue:
        with pytest.raises(DownloadTargetError, match="overwrite=True"):
            queue.download(queue_gmi.root + "/out/a.png", tmp_path)
        with pytest.raises(DownloadTargetError):
            queue.download(queue_gmi.root + "/out/a.png", target)
        assert queue_gmi.count("/out/a.png") == 0  # refused before the download
        assert target.read_bytes() == b"mine"
        queue.download(queue_gmi.root + "/out/a.png", target, overwrite=True)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]


# --------------------------------------------------------- item 9: capped, never inflated, public ---
def test_a_gzip_bomb_is_refused_at_the_cap(queue_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_GMI_MEDIA_MAX_DOWNLOAD_BYTES", str(1024 * 1024))
    queue_gmi.route("GET", "/out/a.png", gzip_bomb(64 * 1024 * 1024))
    with client() as queue, pytest.raises(MediaTooLargeError, match="download cap"):
        queue.fetch(queue_gmi.root + "/out/a.png")
    assert queue_gmi.seen[-1].headers.get("Accept-Encoding") == "identity"


@pytest.mark.parametrize("declare_length", [True, False])
def test_an_artifact_over_the_cap_is_refused_and_leaves_nothing(
    queue_gmi: FaultServer, tmp_path: Path, declare_length: bool
) -> None:
    queue_gmi.route("GET", "/out/big.png", artifact(300_000, declare_length=declare_length))
    with client(max_download_bytes=100_000) as queue:
        with pytest.raises(MediaTooLargeError):
            queue.download(queue_gmi.root + "/out/big.png", tmp_path)
        with pytest.raises(MediaTooLargeError):
            queue.fetch(queue_gmi.root + "/out/big.png")
    assert list(tmp_path.iterdir()) == []


async def test_the_async_client_caps_downloads_too(
    queue_gmi: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_GMI_MEDIA_MAX_DOWNLOAD_BYTES", "100000")
    queue_gmi.route("GET", "/out/big.png", artifact(300_000, declare_length=False))
    async with AsyncRequestQueueClient() as queue:
        with pytest.raises(MediaTooLargeError):
            await queue.download(queue_gmi.root + "/out/big.png", tmp_path)
        with pytest.raises(MediaTooLargeError):
            await queue.fetch(queue_gmi.root + "/out/big.png")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://10.0.0.7/internal.png",
        "http://127.0.0.2:1/a.png",  # loopback, but not the queue's own host
        "http://localhost:1/a.png",
        "http://[::1]:1/a.png",
        "http://[::ffff:169.254.169.254]/",
        "file:///etc/passwd",
    ],
)
def test_only_public_hosts_or_the_queues_own_are_fetched(queue_gmi: FaultServer, url: str) -> None:
    with client(timeout=1) as queue, pytest.raises(UnsafeURLError):
        queue.fetch(url)


def test_an_artifact_redirect_to_a_private_host_is_refused(queue_gmi: FaultServer) -> None:
    queue_gmi.route("GET", "/out/a.png", redirect("http://169.254.169.254/latest/meta-data/"))
    with client(timeout=10) as queue, pytest.raises(UnsafeURLError, match="link-local"):
        queue.fetch(queue_gmi.root + "/out/a.png")


def test_a_metadata_url_from_the_queue_is_not_returned_as_the_image(queue_gmi: FaultServer) -> None:
    metadata = "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token"
    done = {**queued(), "status": "success", "outcome": {"media_urls": [{"url": metadata}]}}
    queue_gmi.route("POST", "/requests", Reply(body=done))
    with pytest.raises(UnsafeURLError):
        litellm.image_generation(
            model=f"gmi/{MODEL}", prompt="x", extra_body={"response_format": "b64_json"}, timeout=1
        )


# ------------------------------------------------------------ item 3: no host file for a proxied call ---
def _upload_routes(server: FaultServer) -> None:
    grant = {"upload_url": server.root + "/put/in.png", "public_url": server.root + "/pub/in.png"}
    server.route("POST", "/upload-url", Reply(body=grant))
    server.route("PUT", "/put/in.png", Reply(body={}))
    server.route(
        "POST", "/requests", Reply(body={**queued(), "status": "success", "outcome": {"media_urls": []}})
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs os.mkfifo")
    path = tmp_path / "secret.png"
    os.mkfifo(path)
    return path


def test_a_proxied_image_edit_never_reads_a_path_string(queue_gmi: FaultServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    texts = []
    for path in (secret, tmp_path / "missing.png"):
        with pytest.raises(MediaInputError) as caught:
            litellm.image_edit(
                model=f"gmi/{MODEL}",
                image=[str(path)],
                prompt="x",
                proxy_server_request={"url": "http://proxy/v1/images/edits", "body": {}},
            )
        assert caught.value.status_code == 400
        texts.append(str(caught.value))
    assert texts[0] == texts[1]  # nothing tells the client whether the path exists
    assert PATH_REFUSED in texts[0]
    assert queue_gmi.seen == []  # refused before any network call


def test_a_path_string_marked_as_proxied_is_never_opened(fifo: Path) -> None:
    with pytest.raises(MediaInputError):
        classify(str(fifo), local_paths=local_paths_allowed({"proxy_server_request": {}}))
    assert not fifo_has_reader(fifo)


def test_an_sdk_caller_may_still_name_a_local_file(queue_gmi: FaultServer, tmp_path: Path) -> None:
    source = tmp_path / "in.png"
    source.write_bytes(PNG)
    _upload_routes(queue_gmi)
    with pytest.raises(litellm.APIError):  # the scripted job names no image: enough, the upload happened
        litellm.image_edit(model=f"gmi/{MODEL}", image=[str(source)], prompt="x")
    assert queue_gmi.count("/put/in.png", method="PUT") == 1
    assert queue_gmi.bodies("/requests")[-1]["payload"]["image"] == [queue_gmi.root + "/pub/in.png"]


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_an_sdk_path_that_is_not_a_regular_file_is_refused_unread(
    queue_gmi: FaultServer, fifo: Path, special: str
) -> None:
    path = fifo
    if special == "/dev/zero":
        if not Path(special).exists():
            pytest.skip("no /dev/zero here")
        path = fifo.with_name("zero.png")
        path.symlink_to(special)  # a name whose extension passes, so only the file's type refuses it
    with pytest.raises(MediaInputError, match="not a regular file"):
        litellm.image_edit(model=f"gmi/{MODEL}", image=[str(path)], prompt="x")
    assert not fifo_has_reader(fifo)
    assert queue_gmi.seen == []


def test_inputs_over_the_cap_are_refused_before_any_upload(
    queue_gmi: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_GMI_MEDIA_MAX_INPUT_BYTES", "1000")
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG" + b"x" * 5000)
    with big.open("rb") as handle:
        for image in (big.read_bytes(), str(big), handle, "data:image/png;base64," + "A" * 5000):
            with pytest.raises(MediaInputError, match="input cap"):
                litellm.image_edit(model=f"gmi/{MODEL}", image=[PNG, image], prompt="x")
    assert queue_gmi.seen == []
