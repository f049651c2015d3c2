"""Issue 21 item 3 through a real ``litellm --config`` proxy: an image edit naming a path on the proxy's
host is a 400, and the path is never opened (a FIFO nobody reads), whether it exists or not.

The proxy is tests/integration/test_proxy_faults.py's: the example config against the independent
fault server. It needs ``litellm-gmi[proxy]`` (skipped with that reason otherwise).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import httpx
import pytest

if importlib.util.find_spec("fastapi") is None:
    pytest.skip('needs the proxy extra: pip install "litellm-gmi[proxy]"', allow_module_level=True)

import test_proxy_faults
from media_faults import fifo_has_reader

from fault_server import FaultServer

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
fault_proxy = test_proxy_faults.fault_proxy
proxied = test_proxy_faults.proxied
"""That module's proxy on the fault server, and a client of it with the fault server cleared."""


def _edit(client: httpx.Client, path: str) -> httpx.Response:
    body = {"model": "gmi/seedream-5.0-lite", "image": [path], "prompt": "make it blue"}
    return client.post("/v1/images/edits", json=body)


def test_an_image_edit_naming_a_proxy_host_path_is_refused_unopened(
    proxied: tuple[httpx.Client, FaultServer], tmp_path: Path
) -> None:
    client, server = proxied
    fifo = tmp_path / "secret.png"
    os.mkfifo(fifo)
    try:
        answer = _edit(client, str(fifo))
    except httpx.ReadTimeout:  # the proxy blocked opening the FIFO: it tried to read the host's file
        answer = None
    opened = fifo_has_reader(fifo)
    assert answer is not None, "the proxy hung reading a FIFO on its own host"
    assert answer.status_code == 400, answer.text
    assert not opened
    missing = _edit(client, str(tmp_path / "no-such-file.png"))
    assert missing.status_code == 400, missing.text
    assert missing.json()["error"]["message"] == answer.json()["error"]["message"]
    assert "never read as a path" in answer.text
    assert server.seen == []  # nothing was uploaded or submitted to GMI


def test_dev_zero_through_the_proxy_is_refused(proxied: tuple[httpx.Client, FaultServer]) -> None:
    client, server = proxied
    answer = _edit(client, "/dev/zero")
    assert answer.status_code == 400, answer.text
    assert server.seen == []
