"""What the emulated model says: one engine behind chat completions, Anthropic Messages and Responses.

Each API's parser turns its body into a :class:`Prompt`; :func:`build_answer` decides the words, the
reasoning, the tool calls, the JSON and the token counts; each API renders the :class:`Answer` in its own
shape. The answer is a list of pieces, so that a plain body and a stream are two renderings of one thing
(a stream's deltas concatenate to the plain content).

Budget: reasoning is generated first and counts against ``max_tokens`` like any other output token, as
on vLLM, on Anthropic (``budget_tokens < max_tokens``) and on Responses (``max_output_tokens``); a small
limit therefore leaves the visible content short or empty (Gemini 3.1 Pro on GMI: a comment in
GMI's GMISWE/picture_compose ``app.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gmi_emulator.content import digest, text_tokens, thought, words
from gmi_emulator.structured import instance, json_answer

DEFAULT_WORDS = 16
"""Words in an answer without a limit (plain calls); streams run to ``max_tokens`` when it is given."""


@dataclass(frozen=True)
class ToolSpec:
    """A function the caller offers: its name and JSON-Schema parameters."""

    name: str
    parameters: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Structured:
    """A request for JSON output, with the schema to satisfy when one is known."""

    schema: Mapping[str, Any] | None


@dataclass(frozen=True)
class Prompt:
    """What one request asks of the model, whichever API it came through."""

    model_id: str
    body: Mapping[str, Any]
    """The whole body: answer ids hash it, so any change gives a new id."""
    conversation: Any
    """What the words depend on (the messages, or the input items): the same question, the same words."""
    prompt_tokens: int
    stream: bool = False
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    thinking: bool = False
    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str = "auto"
    """``auto``, ``none``, ``required``, or the name of the one function that must be called."""
    parallel_tools: bool = False
    tool_result: str | None = None
    """The text of the last turn when it is a tool's result: the model then answers in words."""
    structured: Structured | None = None


@dataclass(frozen=True)
class ToolCall:
    """One function call; ``arguments`` is a JSON string, ``key`` a stable hash for ids."""

    key: str
    name: str
    arguments: str

    @property
    def input(self) -> Any:
        return json.loads(self.arguments)


@dataclass(frozen=True)
class Answer:
    """Everything the renderings need."""

    key: str
    """A hash of the request body; each API prefixes it to make its own id."""
    pieces: list[str]
    """Content deltas in order; empty when the answer is a tool call."""
    reasoning: list[str]
    """Reasoning deltas (empty when the model did not think)."""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish: str = "stop"
    """``stop``, ``length`` or ``tool_calls``; each API maps it to its own word."""
    stop_sequence: str | None = None
    """The stop sequence that ended the answer, if one did."""
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    @property
    def reasoning_text(self) -> str:
        return "".join(self.reasoning)

    @property
    def reasoning_tokens(self) -> int:
        return len(self.reasoning)


def build_answer(prompt: Prompt) -> Answer:
    """The deterministic answer to ``prompt``: ids hash the whole body, words hash the conversation."""
    key = digest(prompt.body)
    seed = digest({"model": prompt.model_id, "conversation": prompt.conversation})
    trace = spaced(thought(seed)) if prompt.thinking else []
    budget = prompt.max_tokens
    if budget is not None and len(trace) >= budget:  # thinking used the whole budget
        cut = trace[:budget]
        return Answer(
            key, [], cut, finish="length", prompt_tokens=prompt.prompt_tokens, completion_tokens=budget
        )
    remaining = None if budget is None else budget - len(trace)
    calls = _tool_calls(prompt, key)
    stop_sequence = None
    if calls:
        pieces: list[str] = []
        finish = "tool_calls"
        produced = sum(text_tokens(c.name + c.arguments) for c in calls)
    elif prompt.structured is not None:
        text = json_answer(prompt.structured.schema)
        pieces, finish = [text[i : i + 8] for i in range(0, len(text), 8)], "stop"
        produced = len(pieces)
    else:
        pieces, finish = _words(prompt, seed, remaining)
        pieces, stop_sequence = _apply_stop(pieces, prompt.stop)
        finish = "stop" if stop_sequence is not None else finish
        produced = len(pieces)
    return Answer(
        key=key,
        pieces=pieces,
        reasoning=trace,
        tool_calls=calls,
        finish=finish,
        stop_sequence=stop_sequence,
        prompt_tokens=prompt.prompt_tokens,
        completion_tokens=produced + len(trace),
    )


def spaced(tokens: list[str]) -> list[str]:
    """Words as stream deltas: every one after the first carries its leading space."""
    return [token if i == 0 else " " + token for i, token in enumerate(tokens)]


def _words(prompt: Prompt, seed: str, limit: int | None) -> tuple[list[str], str]:
    count = (limit or DEFAULT_WORDS) if prompt.stream else min(limit or DEFAULT_WORDS, DEFAULT_WORDS)
    finish = "length" if limit is not None and count == limit else "stop"
    pieces = spaced(words(seed, count))
    if prompt.tool_result is not None:
        result = prompt.tool_result.strip()[:80]
        pieces = [f"The tool returned: {result}.", *(" " + p.lstrip() for p in pieces)]
    return pieces, finish


def _apply_stop(pieces: list[str], stop: tuple[str, ...]) -> tuple[list[str], str | None]:
    """Cut at the earliest stop sequence (not included), as OpenAI-style servers do."""
    text = "".join(pieces)
    found = [(i, s) for s in stop if s and (i := text.find(s)) >= 0]
    if not found:
        return pieces, None
    remaining, sequence = min(found)
    kept = []
    for piece in pieces:
        if remaining <= 0:
            break
        kept.append(piece[:remaining])
        remaining -= len(piece)
    return kept, sequence


def _tool_calls(prompt: Prompt, key: str) -> list[ToolCall]:
    """Call tools unless told not to, or unless the last turn already is a tool's result."""
    if not prompt.tools or prompt.tool_choice == "none" or prompt.tool_result is not None:
        return []
    tools = list(prompt.tools)
    if prompt.tool_choice not in ("auto", "required"):
        tools = [t for t in tools if t.name == prompt.tool_choice] or [ToolSpec(prompt.tool_choice)]
    else:
        tools = tools[: 2 if prompt.parallel_tools else 1]
    return [
        ToolCall(digest([key, index])[:24], tool.name, json.dumps(_arguments(tool.parameters)))
        for index, tool in enumerate(tools)
    ]


def _arguments(parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    value = instance(parameters) if isinstance(parameters, Mapping) else {}
    return value if isinstance(value, dict) else {}
