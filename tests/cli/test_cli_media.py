"""``litellm-gmi media ...`` driven in-process (recorded); time is simulated as in test_queue_client."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path

import pytest

from gmi_emulator import FakeTime, GMIEmulator
from gmi_emulator.queue.artifacts import MEDIA
from litellm_gmi.cli import media as cli
from litellm_gmi.constants import API_KEY_ENVS
from litellm_gmi.media import RequestQueueClient
from litellm_gmi.media.records import QueueRequest


@pytest.fixture
def simulated(gmi_env: GMIEmulator, monkeypatch: pytest.MonkeyPatch) -> GMIEmulator:
    """The CLI's client sleeps on a fake clock that also moves the emulator's jobs along."""
    time = FakeTime(gmi_env)
    client = functools.partial(RequestQueueClient, sleep=time.sleep, clock=time.clock)
    monkeypatch.setattr(cli, "make_client", lambda api_base: client(api_base=api_base))
    return gmi_env


@pytest.mark.vcr
def test_submit_wait_prints_record_and_progress_lines(simulated, capsys):
    code = cli.run(
        ["submit", "Veo3", "-p", "prompt=a cat", "-p", "seed=7", "--wait", "--poll-interval", "0.1"]
    )
    out, err = capsys.readouterr()
    assert code == 0
    record = json.loads(out)
    assert record["status"] == "success"
    assert record["payload"] == {"prompt": "a cat", "seed": 7}
    statuses = [line.split(": ")[1].split(" (")[0] for line in err.splitlines()]
    assert statuses[-1] == "success"
    assert len(statuses) == len(set(statuses))  # one line per change when stderr is not a terminal


@pytest.mark.vcr
def test_status_then_wait_by_id(simulated, capsys):
    assert cli.run(["submit", "Veo3", "--payload", '{"prompt": "x"}']) == 0
    request_id = json.loads(capsys.readouterr().out)["request_id"]
    assert cli.run(["status", request_id]) == 0
    assert json.loads(capsys.readouterr().out)["request_id"] == request_id
    assert cli.run(["wait", request_id, "--poll-interval", "0.1"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "success"


@pytest.mark.vcr
def test_failed_job_is_one_line_and_exit_1(simulated, capsys):
    code = cli.run(["submit", "Veo3", "-p", "prompt=fail", "--wait", "--poll-interval", "0.1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[-1].startswith("litellm-gmi media: ")
    assert "content policy" in err[-1]


@pytest.mark.vcr
def test_stuck_job_exits_3_saying_the_model_may_be_unavailable(simulated, capsys):
    code = cli.run(
        ["submit", "Flux2-Klein", "-p", "prompt=x", "--wait", "--timeout", "3", "--poll-interval", "1"]
    )
    assert code == 3
    assert "may be unavailable" in capsys.readouterr().err.splitlines()[-1]


@pytest.mark.vcr
def test_upload_and_download(simulated, capsys, tmp_path: Path):
    picture = tmp_path / "in.png"
    picture.write_bytes(MEDIA["png"][1])
    assert cli.run(["upload", str(picture)]) == 0
    public_url = capsys.readouterr().out.strip()
    assert public_url.endswith(".png")
    assert cli.run(["submit", "seedream-5.0-lite", "-p", "prompt=x"]) == 0
    request_id = json.loads(capsys.readouterr().out)["request_id"]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert cli.run(["download", request_id, "-o", str(out_dir)]) == 0
    assert Path(capsys.readouterr().out.strip()).read_bytes() == MEDIA["png"][1]
    assert cli.run(["download", public_url, "-o", str(tmp_path / "copy.png")]) == 0
    assert (tmp_path / "copy.png").read_bytes() == MEDIA["png"][1]


@pytest.mark.vcr
def test_wrong_case_model_exits_1(simulated, capsys):
    assert cli.run(["submit", "veo3", "-p", "prompt=x"]) == 1
    assert "case-sensitive" in capsys.readouterr().err


def test_missing_key_is_one_line_exit_2(monkeypatch, capsys):
    for name in API_KEY_ENVS:
        monkeypatch.delenv(name, raising=False)
    assert cli.run(["status", "abc"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "GMI_API_KEY" in err


def test_usage_errors_exit_2(gmi_env, capsys):
    assert cli.run(["bogus"]) == 2
    assert cli.run(["submit", "Veo3", "--payload", "[1]"]) == 2
    assert cli.run(["submit", "Veo3", "-p", "novalue"]) == 2


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_on_a_terminal():
    stream = FakeTTY()
    progress = cli.Progress(stream, clock=iter([0.0, 1.0, 2.0, 3.0]).__next__)
    for status in ("queued", "queued", "success"):
        progress(QueueRequest(request_id="r", model="m", status=status))
    progress.close()
    text = stream.getvalue()
    assert text.count("\r\x1b[K") == 3
    assert text.endswith("success (3.0s)\n")
