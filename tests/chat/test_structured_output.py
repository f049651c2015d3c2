"""A ``json_schema`` response format never loses its schema on the way to GMI.

End to end against the fault server answering as a cooperative model: it follows a ``json_schema``
format, or a JSON Schema it finds in the messages under ``json_object``, so a valid instance comes back
only if the schema really reached it.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import litellm
import pytest
from pydantic import BaseModel

from litellm_gmi.catalog import load_catalog
from litellm_gmi.chat import structured_output
from litellm_gmi.chat.structured_output import SCHEMA_PREFIX, SCHEMA_SUFFIX, instruction, with_instruction

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"


class City(BaseModel):
    name: str
    population: int
    country: Literal["FR", "DE"]


class Trip(BaseModel):
    cities: list[City]
    nights: int


SCHEMA = Trip.model_json_schema()
FORMAT = {"type": "json_schema", "json_schema": {"name": "Trip", "schema": SCHEMA, "strict": True}}
MESSAGES = [{"role": "system", "content": "You plan trips."}, {"role": "user", "content": "Plan one."}]


# ------------------------------------------------------------------------------- the instruction ---
def test_instruction_states_the_schema_after_the_prompt() -> None:
    text = instruction({"type": "object"}, "You plan trips.")
    assert text == f'You plan trips.\n\n{SCHEMA_PREFIX}\n{{"type":"object"}}\n{SCHEMA_SUFFIX}'
    assert instruction(None) == structured_output.GENERIC_SUFFIX


def test_merged_into_a_leading_system_message_without_touching_the_caller_s() -> None:
    original = json.loads(json.dumps(MESSAGES))
    sent = with_instruction(MESSAGES, SCHEMA)
    assert original == MESSAGES
    assert sent[1:] == MESSAGES[1:]
    assert sent[0]["content"].startswith("You plan trips.\n\nJSON schema:\n")


def test_system_content_parts_get_one_more_part() -> None:
    parts = [{"type": "text", "text": "Be brief."}]
    sent = with_instruction([{"role": "developer", "content": parts}, MESSAGES[1]], {"type": "object"})
    assert sent[0]["role"] == "developer"
    assert sent[0]["content"][:1] == parts
    assert SCHEMA_SUFFIX in sent[0]["content"][1]["text"]


def test_put_first_when_there_is_no_system_message() -> None:
    sent = with_instruction(MESSAGES[1:], {"type": "object"})
    assert [m["role"] for m in sent] == ["system", "user"]


# ------------------------------------------------------------------------------------ end to end ---
@pytest.mark.parametrize("stream", [False, True])
def test_default_sends_json_object_and_the_schema(fault_gmi: Any, stream: bool) -> None:
    fault_gmi.cooperate()
    response = litellm.completion(model=MODEL, messages=MESSAGES, response_format=FORMAT, stream=stream)
    text = (
        "".join(c.choices[0].delta.content or "" for c in response if c.choices)
        if stream
        else response.choices[0].message.content
    )

    Trip.model_validate_json(text)  # the model saw the schema and followed it
    body = fault_gmi.bodies()[-1]
    assert body["response_format"] == {"type": "json_object"}
    assert json.dumps(SCHEMA, separators=(",", ":")) in body["messages"][0]["content"]
    assert body["messages"][1:] == MESSAGES[1:]


def test_a_pydantic_class_as_response_format(fault_gmi: Any) -> None:
    fault_gmi.cooperate()
    response = litellm.completion(model=MODEL, messages=MESSAGES[1:], response_format=Trip)
    Trip.model_validate_json(response.choices[0].message.content)
    assert fault_gmi.bodies()[-1]["messages"][0]["role"] == "system"


def test_native_sends_the_format_as_given(fault_gmi: Any) -> None:
    fault_gmi.cooperate()
    response = litellm.completion(
        model=MODEL, messages=MESSAGES, response_format=FORMAT, gmi_structured_output="native"
    )
    Trip.model_validate_json(response.choices[0].message.content)
    body = fault_gmi.bodies()[-1]
    assert body["response_format"] == FORMAT
    assert body["messages"] == MESSAGES
    assert "gmi_structured_output" not in body


def test_auto_follows_the_catalog(fault_gmi: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fault_gmi.cooperate()
    monkeypatch.setitem(load_catalog()["deepseek-ai/DeepSeek-V3.2"], "supports_response_schema", True)  # type: ignore[arg-type]
    litellm.completion(model=MODEL, messages=MESSAGES, response_format=FORMAT)
    litellm.completion(
        model=MODEL, messages=MESSAGES, response_format=FORMAT, gmi_structured_output="instruction"
    )
    native, instructed = fault_gmi.bodies()
    assert native["response_format"] == FORMAT
    assert instructed["response_format"] == {"type": "json_object"}


def test_json_object_and_text_are_left_alone(fault_gmi: Any) -> None:
    litellm.completion(model=MODEL, messages=MESSAGES, response_format={"type": "json_object"})
    assert fault_gmi.bodies()[-1]["messages"] == MESSAGES


def test_a_bad_switch_is_refused_before_the_network(fault_gmi: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="gmi_structured_output"):
        litellm.completion(
            model=MODEL, messages=MESSAGES, response_format=FORMAT, gmi_structured_output="yes"
        )
    assert fault_gmi.seen == []


# ------------------------------------------------------------------------- what clients are told ---
@pytest.mark.parametrize("model_id", sorted(k for k, v in load_catalog().items() if v["mode"] == "chat"))
def test_supports_response_schema_answers_from_the_catalog(model_id: str) -> None:
    flag = bool(load_catalog()[model_id].get("supports_response_schema"))
    assert litellm.supports_response_schema(model=f"gmi/{model_id}") is flag
    assert bool(litellm.get_model_info(f"gmi/{model_id}").get("supports_response_schema")) is flag
