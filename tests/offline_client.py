"""Run in a fresh interpreter by tests/litellm_seams/test_tiktoken_cache.py: ``gmi/`` calls offline.

Before anything else it refuses every connection and name lookup that is not 127.0.0.1/localhost, the
way a firewalled host does. Then it does what the README tells a user to do (``import litellm_gmi``, then
``litellm.completion("gmi/...")``) against the OpenAI-compatible stub whose base URL is in
``GMI_API_BASE``: one plain, one streamed and one async call. It prints one JSON line with what each call
returned, and a traceback (exit status 1) if any call failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from network_guard import block_network

block_network()

# Only now, as a user's script would: import the package, then call LiteLLM.
import asyncio  # noqa: E402
import json  # noqa: E402

import litellm  # noqa: E402

import litellm_gmi  # noqa: E402, F401 - registers gmi/

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "hi"}]


def main() -> None:
    plain: Any = litellm.completion(model=MODEL, messages=MESSAGES)
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in litellm.completion(model=MODEL, messages=MESSAGES, stream=True)
        if chunk.choices
    )
    async_response: Any = asyncio.run(litellm.acompletion(model=MODEL, messages=MESSAGES))
    print(
        json.dumps(
            {
                "plain": plain.choices[0].message.content,
                "stream": streamed,
                "async": async_response.choices[0].message.content,
            }
        )
    )


if __name__ == "__main__":
    main()
