"""The cooperative model: JSON answers valid against the caller's schema, found where libraries put it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from gmi_emulator.structured import JSON_MODE_FALLBACK, find_schema, instance

PERSON = {  # what pydantic writes for a model with a nested model, an enum, an optional and a list
    "$defs": {
        "Address": {
            "properties": {
                "city": {"title": "City", "type": "string"},
                "zip": {"type": "string", "minLength": 5},
            },
            "required": ["city", "zip"],
            "title": "Address",
            "type": "object",
        },
        "Role": {"enum": ["admin", "user"], "title": "Role", "type": "string"},
    },
    "properties": {
        "name": {"title": "Name", "type": "string"},
        "age": {"title": "Age", "type": "integer", "exclusiveMinimum": 17, "maximum": 120},
        "score": {"type": "number", "minimum": 2.5},
        "email": {"type": "string", "format": "email"},
        "role": {"$ref": "#/$defs/Role"},
        "address": {"$ref": "#/$defs/Address"},
        "nickname": {"anyOf": [{"type": "null"}, {"type": "string"}], "default": None},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        "kind": {"const": "person"},
        "active": {"type": ["boolean", "null"]},
    },
    "required": ["name", "age", "score", "email", "role", "address", "nickname", "tags", "kind", "active"],
    "title": "Person",
    "type": "object",
}


@pytest.mark.parametrize(
    "schema",
    [
        PERSON,
        {
            "type": "array",
            "items": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "maxItems": 1,
        },
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]},
            ]
        },
        {"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}}},
        {"type": "string", "maxLength": 3},
    ],
)
def test_instances_validate_against_their_schema(schema):
    jsonschema.validate(instance(schema), schema)


def test_person_instance_values():
    person = instance(PERSON)
    assert person["role"] == "admin"
    assert person["address"] == {"city": "example", "zip": "example"}
    assert person["age"] == 18
    assert person["nickname"] == "example"  # anyOf prefers a non-null branch
    assert person["tags"] == ["example", "example"]


def test_recursive_schema_terminates():
    tree = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}, "minItems": 1}
                },
            }
        },
        "$ref": "#/$defs/Node",
    }
    assert isinstance(instance(tree), dict)


INSTRUCTOR_SYSTEM = (
    "As a genius expert, your task is to understand the content and provide the parsed objects in json that "
    "match the following json_schema:\n\n"
    + json.dumps(PERSON, indent=2)
    + "\n\nMake sure to return an instance "
    "of the JSON, not the schema itself"
)
LANGCHAIN_INSTRUCTIONS = (
    "The output should be formatted as a JSON instance that conforms to the JSON schema below.\n\nAs an "
    'example, for the schema {"properties": {"foo": {"title": "Foo", "description": "a list of strings", '
    '"type": "array", "items": {"type": "string"}}}, "required": ["foo"]}\nthe object '
    '{"foo": ["bar", "baz"]} is a well-formatted instance of the schema. The object '
    '{"properties": {"foo": ["bar", "baz"]}} is not '
    "well-formatted.\n\nHere is the output schema:\n```\n"
    + json.dumps({k: v for k, v in PERSON.items() if k not in ("title", "type")})
    + "\n```"
)


@pytest.mark.parametrize("text", [INSTRUCTOR_SYSTEM, LANGCHAIN_INSTRUCTIONS])
def test_schemas_are_found_where_libraries_write_them(text):
    found = find_schema([text])
    assert found is not None
    assert set(found["properties"]) == set(PERSON["properties"])


def test_no_schema_in_plain_text_or_in_instances():
    assert find_schema(["Answer in JSON please.", 'like {"name": "x", "tags": ["a"]}']) is None


def chat(api: Any, **body: Any) -> dict[str, Any]:
    response = api.post("/chat/completions", json={"model": "deepseek-ai/DeepSeek-V3.2"} | body)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("where", ["system", "user"])
def test_json_mode_answers_the_schema_in_the_messages(api, where):
    messages = [{"role": where, "content": INSTRUCTOR_SYSTEM}, {"role": "user", "content": "Ann, 30"}]
    body = chat(api, messages=messages, response_format={"type": "json_object"})
    answer = json.loads(body["choices"][0]["message"]["content"])
    jsonschema.validate(answer, PERSON)
    langchain = [{"role": "user", "content": "Ann, 30\n" + LANGCHAIN_INSTRUCTIONS}]
    answer = json.loads(
        chat(api, messages=langchain, response_format={"type": "json_object"})["choices"][0]["message"][
            "content"
        ]
    )
    jsonschema.validate(answer, PERSON)


def test_json_mode_without_a_schema_answers_a_small_object(api):
    body = chat(
        api, messages=[{"role": "user", "content": "json please"}], response_format={"type": "json_object"}
    )
    assert json.loads(body["choices"][0]["message"]["content"]) == JSON_MODE_FALLBACK
