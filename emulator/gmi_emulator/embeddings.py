"""``POST /v1/embeddings`` in OpenAI's shape, for the embedding models of the model table.

GMI has no page for this endpoint; public third-party code posts to
``https://api.gmi-serving.com/v1/embeddings`` with ``BAAI/bge-m3`` and ``BAAI/bge-base-en-v1.5``. So the
answer follows OpenAI's public shape (``data[].embedding``, ``usage.prompt_tokens``/``total_tokens``,
``encoding_format`` float or base64 as little-endian float32), and errors use GMI's edge envelope like the
chat route. Vectors are unit-length and a pure function of (model, input): the same text always embeds the
same, different texts differ.
"""

from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any

from aiohttp import web

from gmi_emulator.content import text_tokens
from gmi_emulator.edge import GMI_EDGE, admit
from gmi_emulator.envelope import error_response, invalid_request, unknown_model
from gmi_emulator.fault_effects import plain_answer
from gmi_emulator.model_listing import lookup_model
from gmi_emulator.model_table import EMBEDDING_MODELS, EmbeddingModel
from gmi_emulator.state import STATE_KEY

Item = str | list[int]


def add_embedding_routes(app: web.Application) -> None:
    """Mount ``/v1/embeddings``."""
    app.router.add_post("/v1/embeddings", embeddings_handler)


async def embeddings_handler(request: web.Request) -> web.StreamResponse:
    """Auth, faults, model, input, then one vector per input item."""
    admitted = await admit(request, GMI_EDGE)
    if isinstance(admitted, web.Response):
        return admitted
    body, model_id = admitted.body, admitted.model_id
    model = EMBEDDING_MODELS.get(model_id)
    if model is None and lookup_model(request.app[STATE_KEY], model_id) is not None:
        return invalid_request("The model does not support Embeddings API")  # a chat model ([I], as vLLM)
    if model is None:
        return unknown_model(model_id)
    try:
        items = _items(body.get("input"))
        encoding = _encoding(body.get("encoding_format", "float"))
        _check_dimensions(body.get("dimensions"), model)
        tokens = [_tokens(item, model) for item in items]
    except ValueError as exc:
        return invalid_request(str(exc))
    data = [
        {"object": "embedding", "index": index, "embedding": _encode(vector(model, item), encoding)}
        for index, item in enumerate(items)
    ]
    usage = {"prompt_tokens": sum(tokens), "total_tokens": sum(tokens)}
    payload = {"object": "list", "data": data, "model": model_id, "usage": usage}
    return plain_answer(request, payload, admitted.fault, error_response)


def vector(model: EmbeddingModel, item: Item) -> list[float]:
    """A unit vector of the model's size, drawn from SHA-256 of (model, item)."""
    seed = f"{model.id}\n{item if isinstance(item, str) else ','.join(map(str, item))}".encode()
    raw = b"".join(
        hashlib.sha256(seed + block.to_bytes(4, "big")).digest()
        for block in range(math.ceil(model.dimensions / 8))
    )
    values = [
        (n / 0xFFFFFFFF) * 2 - 1 for n in struct.unpack(f">{model.dimensions}I", raw[: 4 * model.dimensions])
    ]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def _items(value: Any) -> list[Item]:
    """OpenAI's input forms: a string, strings, a token array, or token arrays."""
    if isinstance(value, str) or (isinstance(value, list) and value and all(_is_token(t) for t in value)):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ValueError("`input` must be a non-empty string, array of strings, or array of token arrays")
    items: list[Item] = []
    for item in value:
        if isinstance(item, str) and item:
            items.append(item)
        elif isinstance(item, list) and item and all(_is_token(t) for t in item):
            items.append(list(item))
        else:
            raise ValueError("`input` items must be non-empty strings or non-empty token arrays")
    return items


def _is_token(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _encoding(value: Any) -> str:
    if value not in ("float", "base64"):
        raise ValueError(f"unknown variant `{value}`, expected `float` or `base64`")
    return str(value)


def _check_dimensions(value: Any, model: EmbeddingModel) -> None:
    """BGE models have one output size; vLLM refuses other sizes for such models ([I] for GMI)."""
    if value is not None and value != model.dimensions:
        raise ValueError(
            f"Model does not support matryoshka representation, changing output dimensions "
            f"({value}) will lead to poor results; {model.id} has {model.dimensions}"
        )


def _tokens(item: Item, model: EmbeddingModel) -> int:
    count = text_tokens(item) if isinstance(item, str) else len(item)
    if count > model.max_input_tokens:
        raise ValueError(
            f"This model's maximum context length is {model.max_input_tokens} tokens. However, you "
            f"requested {count} tokens in the input for embedding generation. Please reduce the length "
            "of the input."
        )
    return count


def _encode(values: list[float], encoding: str) -> list[float] | str:
    if encoding == "float":
        return values
    return base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode("ascii")
