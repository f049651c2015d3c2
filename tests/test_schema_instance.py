"""The fault server's cooperative answers are valid instances of the schemas clients send."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

import jsonschema
import pytest
from pydantic import BaseModel, Field
from schema_instance import find_schema, instance


class Address(BaseModel):
    street: str = Field(min_length=12)
    zip_code: str | None


class Person(BaseModel):
    name: str
    age: int = Field(ge=18, lt=130)
    score: float = Field(gt=2.0, le=3.0)
    role: Literal["admin", "user"]
    tags: list[str] = Field(min_length=2)
    home: Address
    past: list[Address]
    extras: dict[str, int]
    born: datetime


SCHEMAS = [
    Person.model_json_schema(),
    {"type": "object", "properties": {"x": {"type": ["null", "integer"], "minimum": 5}}, "required": ["x"]},
    {
        "allOf": [{"$ref": "#/$defs/a"}, {"properties": {"b": {"type": "boolean"}}}],
        "$defs": {"a": {"type": "object", "properties": {"a": {"enum": ["k"]}}}},
    },
    {"type": "array", "prefixItems": [{"type": "string"}, {"const": 3}], "minItems": 2, "maxItems": 2},
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_instance_validates(schema: dict[str, object]) -> None:
    jsonschema.validate(instance(schema), schema)


def test_pydantic_reads_it_back() -> None:
    Person.model_validate(instance(Person.model_json_schema()))


def test_finds_the_largest_schema_in_text() -> None:
    small = {"type": "object"}
    big = Person.model_json_schema()
    text = f'Example {{"a": 1}} then {json.dumps(small)}\nJSON schema:\n{json.dumps(big)}\nAnswer.'
    assert find_schema(["no json here", text]) == big
    assert find_schema(["{not json", '{"a": 1}']) is None
