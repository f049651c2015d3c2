"""``<think>`` splitting, whole and streamed."""

from __future__ import annotations

import pytest

from litellm_gmi.chat.reasoning import ThinkTagSplitter, split_think


def test_split_think_moves_the_thought_out() -> None:
    assert split_think("<think>because</think>\nAnswer") == ("because", "Answer")


def test_content_without_a_tag_is_untouched() -> None:
    assert split_think("plain <think>not leading</think>") == (None, "plain <think>not leading</think>")


def test_a_cut_off_thought_has_no_answer() -> None:
    assert split_think("<think>still going") == ("still going", "")


@pytest.mark.parametrize(
    "pieces",
    [
        ["<think>ab</think>cd"],
        ["<th", "ink>a", "b</th", "ink>cd"],
        ["<", "t", "h", "i", "n", "k", ">", "a", "b", "<", "/", "t", "hink>", "c", "d"],
    ],
)
def test_streamed_tags_split_across_chunks(pieces: list[str]) -> None:
    splitter = ThinkTagSplitter()
    reasoning, content = "", ""
    for piece in pieces:
        r, c = splitter.feed(piece)
        reasoning, content = reasoning + r, content + c
    r, c = splitter.flush()
    assert (reasoning + r, content + c) == ("ab", "cd")


def test_streamed_content_without_tags_passes_straight_through() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("Hello") == ("", "Hello")
    assert splitter.feed(" <think>x") == ("", " <think>x")


def test_an_unfinished_thought_is_released_as_reasoning() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("<think>half a tho") == ("half a tho", "")
    assert splitter.flush() == ("", "")


def test_a_possible_closing_tag_is_held_back_until_flush() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("<think>abc</") == ("abc", "")
    assert splitter.flush() == ("</", "")
