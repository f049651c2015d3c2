"""Split ``<think>…</think>`` out of content into ``reasoning_content``.

Some GMI reasoning models (the DeepSeek-R1 family, some vLLM deployments) inline their thoughts in ``content``
instead of sending ``reasoning_content`` (GMI's own GMISWE/picture_compose ``app.py`` reads both). Callers
should find reasoning in one place whatever the model, so both the full message and the stream are normalised
here.
"""

from __future__ import annotations

from typing import Final

OPEN: Final = "<think>"
CLOSE: Final = "</think>"


def split_think(content: str) -> tuple[str | None, str]:
    """``'<think>why</think>answer'`` → ``('why', 'answer')``; content without a leading tag is untouched."""
    stripped = content.lstrip()
    if not stripped.startswith(OPEN):
        return None, content
    body = stripped[len(OPEN) :]
    thought, closed, answer = body.partition(CLOSE)
    if not closed:  # cut off while still thinking
        return thought.strip(), ""
    return thought.strip(), answer.lstrip()


class ThinkTagSplitter:
    """The streaming twin of :func:`split_think`: feed content deltas, get (reasoning, content) pieces.

    A tag may arrive split across chunks (``'<thi'`` then ``'nk>'``), so text that could still be the
    start of a tag is held back until the next delta decides it.
    """

    def __init__(self) -> None:
        self._state = "start"  # start -> thinking -> answering; or start -> answering
        self._pending = ""

    def feed(self, text: str) -> tuple[str, str]:
        """Return the reasoning and the content that ``text`` completes."""
        self._pending += text
        reasoning, content = "", ""
        if self._state == "start":
            head = self._pending.lstrip()
            if head.startswith(OPEN):
                self._state, self._pending = "thinking", head[len(OPEN) :]
            elif OPEN.startswith(head):
                return "", ""  # could still become "<think>"
            else:
                self._state = "answering"
        if self._state == "thinking":
            thought, closed, rest = self._pending.partition(CLOSE)
            if closed:
                reasoning, self._pending, self._state = thought, rest.lstrip(), "answering"
            else:
                keep = _partial_suffix(self._pending, CLOSE)
                reasoning, self._pending = (
                    self._pending[: len(self._pending) - keep],
                    self._pending[-keep:] if keep else "",
                )
                return reasoning, ""
        if self._state == "answering":
            content, self._pending = self._pending, ""
        return reasoning, content

    def flush(self) -> tuple[str, str]:
        """Whatever is still held back when the stream ends."""
        pending, self._pending = self._pending, ""
        return (pending, "") if self._state == "thinking" else ("", pending)


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
