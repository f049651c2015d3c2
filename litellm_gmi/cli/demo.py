"""``litellm-gmi demo``: a plain call, a streamed call, a tool call and a cost lookup.

Against GMI itself when a key is set (``GMI_API_KEY`` or an alias), otherwise against the local
emulator (the separate ``gmi-emulator`` distribution), started for the demo on a free port, so a
newcomer sees it work with no account.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import ExitStack
from typing import Any

from litellm_gmi.constants import API_BASE_ENV, API_KEY_ENVS

DEFAULT_MODEL = "deepseek-ai/DeepSeek-V3.2"
TOOL_MODEL = "anthropic/claude-sonnet-4.5"
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def run(argv: list[str]) -> int:
    """Run the four calls and print what each returned."""
    parser = argparse.ArgumentParser(prog="litellm-gmi demo", description=__doc__)
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"chat model (default {DEFAULT_MODEL})")
    parser.add_argument(
        "--tool-model", default=TOOL_MODEL, help=f"model for the tool call (default {TOOL_MODEL})"
    )
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        try:
            target = _target(stack)
        except ImportError:
            from litellm_gmi.cli.emulator import missing

            return missing("litellm-gmi demo")
        print(f"# litellm_gmi demo against {target}\n", flush=True)
        return _calls(f"gmi/{args.model}", f"gmi/{args.tool_model}")


def _target(stack: ExitStack) -> str:
    """Use GMI when a key is set; otherwise start the emulator and point the environment at it."""
    if any(os.environ.get(name) for name in API_KEY_ENVS):
        return os.environ.get(API_BASE_ENV) or "GMI Cloud (live API)"
    from gmi_emulator import GMIEmulator  # ImportError: run() prints how to install it

    emulator = stack.enter_context(GMIEmulator())
    saved = {name: os.environ.get(name) for name in ("GMI_API_KEY", API_BASE_ENV)}
    stack.callback(_restore, saved)
    os.environ["GMI_API_KEY"] = "sk-emulator"
    os.environ[API_BASE_ENV] = emulator.chat_base
    return f"the local emulator at {emulator.chat_base} (no GMI_API_KEY set)"


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _calls(model: str, tool_model: str) -> int:
    import litellm
    from litellm.exceptions import AuthenticationError

    import litellm_gmi  # noqa: F401 - registers the gmi/ provider

    messages = [{"role": "user", "content": "In one sentence: why is the sky blue?"}]
    try:
        response: Any = litellm.completion(model=model, messages=messages, max_tokens=64)
        _section("1. plain call", response.choices[0].message.content)
        print(f"   usage: {response.usage.prompt_tokens} in / {response.usage.completion_tokens} out")

        print("\n## 2. streamed call\n   ", end="")
        for chunk in litellm.completion(model=model, messages=messages, max_tokens=64, stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                print(chunk.choices[0].delta.content, end="", flush=True)
        print()

        weather = [{"role": "user", "content": "What is the weather in Paris?"}]
        tool_response: Any = litellm.completion(model=tool_model, messages=weather, tools=[WEATHER_TOOL])
        calls = tool_response.choices[0].message.tool_calls or []
        _section(
            "3. tool call", json.dumps([(c.function.name, json.loads(c.function.arguments)) for c in calls])
        )

        info = litellm.get_model_info(model)
        per_million = [(info[key] or 0) * 1e6 for key in ("input_cost_per_token", "output_cost_per_token")]
        cost = response._hidden_params.get("response_cost")
        _section(
            "4. cost lookup",
            f"{model}: context {info['max_input_tokens']:,} tokens, ${per_million[0]:.2f} / "
            f"${per_million[1]:.2f} per 1M tokens in/out; call 1 cost ${cost:.8f}",
        )
    except AuthenticationError as exc:
        print(f"\nauthentication failed: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a demo reports any failure in one line
        print(f"\ndemo failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _section(title: str, body: object) -> None:
    print(f"\n## {title}\n   {body}")
