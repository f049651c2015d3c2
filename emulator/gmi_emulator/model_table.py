"""The models the emulator serves, with the limits and prices GMI's public sources give for them.

Written by hand from public sources, by the short names the rows use: L = LiteLLM's cost map
(``model_prices_and_context_window_backup.json``, 1.109.1) and docs page ``providers/gmi.md``; M = models.dev
(anomalyco/models.dev ``providers/gmicloud``); O = OpenClaw (openclaw/openclaw ``extensions/gmi``); H = Hermes
(NousResearch/hermes-agent); P = GMI's 2025 price page (GMISWE/gmiswe.github.io ``billing/price.md``);
D = the Dify plugin (langgenius/dify-official-plugins ``models/gmicloud``); GMIDOC-RATE = GMI's 2025
rate-limit page (same repository); pi-gmicloud = pgciq/pi-gmicloud-ai (its SEED list and README);
PI9605 = earendil-works/pi PR #9605 (a GMI employee); THUT = nrynss/thutapi's live records; PICCOMP =
GMI's sample app GMISWE/picture_compose; VERCEL-AISDK = vercel/ai ``packages/gmicloud``; Lava = the Lava
AI gateway's docs; RocketRide = rocketride-org/rocketride-server's ``llm_gmi_cloud`` node docs; genblaze =
genblaze-gmicloud on PyPI (backblaze-labs/genblaze); any-llm = mozilla-ai/any-llm. [V-live] marks what a
source observed against GMI, [I] an inference.
Nothing here is read from a client's catalog, so a client whose own table is wrong fails against it.

Prices are USD per 1M tokens. ``None`` means no source gives the figure: the emulator then enforces no
limit and ``GET /v1/models`` leaves the field out. ``price`` is GMI's current price; where GMI's feeds
show a promotion, ``list_price`` is the original (list) price and ``tiers`` hold prices above a prompt
size. Both are served on the price list (:mod:`gmi_emulator.price_list`).

Where sources conflict ([C]) the row takes one side and its comment names the other. Ids known to fail live
are left out on purpose: ``nvidia/nemotron-3-nano-omni`` has a GMI docs page but answers 404 "No matching
target server found" ([V-live], a public eval record); bare ids without the org prefix (``MiniMax-M3``) 404
too ([V-live] THUT). The MiniMax-H3 / M2.5 / M1 names in pi-gmicloud's README are left out because their org
prefix is unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

Reasoning = Literal["none", "content", "think_tags", "switch", "hidden"]
"""How a model shows its reasoning on ``/v1/chat/completions`` (sources per item):

* ``content``: ``reasoning_content`` on the message and on stream deltas (vLLM/SGLang convention);
* ``think_tags``: the trace inside ``<think>...</think>`` at the start of ``content`` (DeepSeek-R1);
* ``switch``: ``reasoning_content`` only when the body has ``thinking: {"type": "enabled"}`` (MiniMax,
  [V-live] THUT: ``reasoning_effort`` is ignored);
* ``hidden``: thinks without showing it; the tokens count in usage and eat into ``max_tokens``, so a
  small ``max_tokens`` can leave ``content`` empty (Gemini 3.1 Pro, [V-live] PICCOMP; GPT-5.x, whose
  reasoning OpenAI never returns on chat completions).

Any thinking model stops thinking on ``reasoning_effort: "none"`` or a chat-template switch set to false
(``chat_template_kwargs.enable_thinking`` / ``.thinking``, Qwen3 model cards and vLLM's DeepSeek-V3.1
recipe); what a request carried is kept in the server's request log for tests to read.
"""

Api = Literal["chat", "messages", "responses"]
CHAT: Final[frozenset[Api]] = frozenset({"chat"})
ANTHROPIC: Final[frozenset[Api]] = frozenset({"chat", "messages"})
"""``POST /v1/messages`` for Claude (models.dev provider.toml) and MiniMax (GMI's MiniMax-M2.7 page on
docs.gmicloud.ai). Extending it to each family is [I]."""
OPENAI_RESPONSES: Final[frozenset[Api]] = frozenset({"chat", "responses"})
"""``POST /v1/responses`` for GPT-5 models (GMI's GPT-5.2 page; any-llm #1191 for 5.5/5.6). THUT says GMI
has no ``/v1/responses`` ([C]); the emulator serves it, for these models only."""


@dataclass(frozen=True)
class PriceTier:
    """Prices (USD per 1M tokens) for prompts above ``threshold`` tokens; ``list_*`` where on promotion."""

    threshold: int
    price: tuple[float, float]
    cache_read: float | None = None
    list_price: tuple[float, float] | None = None
    list_cache_read: float | None = None


@dataclass(frozen=True)
class ChatModel:
    """One row: what the emulator enforces and what ``GET /v1/models`` reports."""

    id: str
    context: int | None = None
    max_output: int | None = None
    price: tuple[float, float] | None = None
    cache_read: float | None = None
    reasoning: Reasoning = "none"
    vision: bool = False
    apis: frozenset[Api] = CHAT
    list_price: tuple[float, float] | None = None
    list_cache_read: float | None = None
    tiers: tuple[PriceTier, ...] = ()


def _promo(
    model: ChatModel, list_price: tuple[float, float], list_cache_read: float, *tiers: PriceTier
) -> ChatModel:
    """``model`` (at its current, promotional price) with its list price and tiers."""
    return replace(model, list_price=list_price, list_cache_read=list_cache_read, tiers=tiers)


@dataclass(frozen=True)
class EmbeddingModel:
    """An embedding model served on ``POST /v1/embeddings``."""

    id: str
    dimensions: int
    max_input_tokens: int


def _rows(*models: ChatModel) -> dict[str, ChatModel]:
    return {m.id: m for m in models}


_M = ChatModel


def _claude_l(model_id: str, price: tuple[float, float]) -> ChatModel:
    """LiteLLM's cost-map rows for Claude: 409,600 / 32,000, tools and vision. Claude 4 and later think
    when asked (Anthropic extended-thinking docs), with ``thinking`` as on /v1/messages."""
    return ChatModel(model_id, 409_600, 32_000, price, reasoning="switch", vision=True, apis=ANTHROPIC)


def _gpt5_l(model_id: str, price: tuple[float, float]) -> ChatModel:
    """LiteLLM's cost-map rows for GPT-5: 409,600 / 32,000, tools. GPT-5.x reason unless told
    ``reasoning_effort: "none"`` and keep it hidden on chat completions (OpenAI model docs)."""
    return ChatModel(model_id, 409_600, 32_000, price, reasoning="hidden", apis=OPENAI_RESPONSES)


def _gpt5(model_id: str, max_output: int | None = 128_000) -> ChatModel:
    """A GPT-5.x id with no GMI figures: OpenAI's published 128,000 output limit (LiteLLM's cost map
    1.110.2 ``gpt-5.x`` rows), hidden reasoning as :func:`_gpt5_l`."""
    return ChatModel(model_id, max_output=max_output, reasoning="hidden", apis=OPENAI_RESPONSES)


CHAT_MODELS: Final[Mapping[str, ChatModel]] = _rows(
    # --- Anthropic. L rows: 409,600 / 32,000, tools + vision. Claude's thinking is documented for
    # /v1/messages; on chat completions the emulator honours the same ``thinking`` switch ([I]).
    _claude_l("anthropic/claude-opus-4.5", (5, 25)),
    _claude_l("anthropic/claude-sonnet-4.5", (3, 15)),
    _claude_l("anthropic/claude-sonnet-4", (3, 15)),
    _claude_l("anthropic/claude-opus-4", (15, 75)),
    # M, H: budget_tokens 1,024-127,999; "GMI lists text-only input".
    _M("anthropic/claude-opus-4.6", 409_600, 128_000, (5, 25), 0.5, "switch", False, ANTHROPIC),
    # M: effort low...max; output is the base model's figure.
    _M("anthropic/claude-opus-4.7", 409_600, 128_000, (4.5, 22.5), 0.45, "switch", False, ANTHROPIC),
    # M, O (O: text+image; deprecated in favour of sonnet-5), H.
    _M("anthropic/claude-sonnet-4.6", 409_600, 64_000, (3, 15), 0.3, "switch", True, ANTHROPIC),
    _M("anthropic/claude-sonnet-5", 409_600, 128_000, (2, 10), 0.2, "switch", True, ANTHROPIC),  # O
    # pi-gmicloud SEED list; output is Anthropic's published 64,000.
    _M("anthropic/claude-haiku-4.5", max_output=64_000, reasoning="switch", apis=ANTHROPIC),
    # --- OpenAI. L rows; GPT-5 models also on /v1/responses.
    _gpt5_l("openai/gpt-5.2", (1.75, 14)),
    _gpt5_l("openai/gpt-5.1", (1.25, 10)),
    _gpt5_l("openai/gpt-5", (1.25, 10)),
    _M("openai/gpt-4o", 131_072, 16_384, (2.5, 10), vision=True),
    _M("openai/gpt-4o-mini", 131_072, 16_384, (0.15, 0.6), vision=True),
    _gpt5("openai/gpt-5.4"),  # H
    _gpt5("openai/gpt-5.4-mini"),  # H (test model)
    _gpt5("openai/gpt-5.4-nano"),  # third-party code via /v1/responses
    _gpt5("openai/gpt-5.5"),  # H; any-llm: works best on /v1/responses
    _gpt5("openai/gpt-5.2-chat", 16_384),  # GMI docs model page; OpenAI's -chat limit is 16,384
    # O: reasoning, text+image; OpenAI models keep their reasoning hidden on chat completions.
    _M("openai/gpt-5.6-sol", 1_050_000, 128_000, (5, 30), 0.5, "hidden", True, OPENAI_RESPONSES),
    _M("openai/gpt-oss-120b"),  # D
    # --- DeepSeek.
    # V3.2: L says 16,384 out and $0.28/$0.40; O (newer) says 65,536 and $0.29/$0.43/$0.03 [C]: O here.
    _M("deepseek-ai/DeepSeek-V3.2", 163_840, 65_536, (0.29, 0.43), 0.03),
    # V3-0324: L $0.28/$0.88; Lava $0.74/$0.90 and P $0.9/$0.9 [C]: L here.
    _M("deepseek-ai/DeepSeek-V3-0324", 163_840, 16_384, (0.28, 0.88)),
    _M("deepseek-ai/DeepSeek-V3.1"),  # D
    _M("deepseek-ai/DeepSeek-V3.1-Terminus"),  # Dify plugin test
    _M("deepseek-ai/DeepSeek-V3"),  # GMIDOC-RATE, genblaze
    _M("deepseek-ai/DeepSeek-R1", price=(0.5, 2.18), reasoning="think_tags"),  # P; LLM API docs example
    _M("deepseek-ai/DeepSeek-R1-0528", reasoning="think_tags"),  # pi-gmicloud SEED list
    # P (2025 price page, "likely retired" [I]); contexts from RocketRide.
    _M("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", 131_072, price=(0.2, 0.2), reasoning="think_tags"),
    _M("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", price=(0.1, 0.2), reasoning="think_tags"),
    _M("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", price=(0.2, 0.2), reasoning="think_tags"),
    _M("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", 131_072, price=(0.5, 0.9), reasoning="think_tags"),
    _M("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", price=(0.14, 0.39), reasoning="think_tags"),
    _M("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", price=(0.25, 0.75), reasoning="think_tags"),
    # V4-Pro: M $1.392/$2.784/$0.116, O (newer) $0.678/$1.357/$0.056 [C]: O here.
    _M("deepseek-ai/DeepSeek-V4-Pro", 1_048_576, 384_000, (0.678, 1.357), 0.056, "content"),
    _M("deepseek-ai/DeepSeek-V4-Flash", 1_048_575, 384_000, (0.112, 0.224), 0.022, "content"),  # M
    # VERCEL-AISDK: "the valid range of max_tokens is [1, 393216]"; reasoning as the family ([I]).
    _M("deepseek-ai/DeepSeek-V4-Flash-0731", max_output=393_216, reasoning="content"),
    _M("deepseek-ai/DeepSeek-Prover-V2-671B"),  # Lava / RocketRide lists (2025)
    # --- Google. Gemini thinks without showing it ([V-live] PICCOMP for 3.1 Pro; the family [I]).
    # 3 Pro: L docs say "1M" context; Google's published 65,536 output is the base model's ([I]) so unset.
    _M("google/gemini-3-pro-preview", 1_048_576, reasoning="hidden", vision=True),
    _M("google/gemini-3-flash-preview", 1_048_576, 65_536, (0.5, 3), vision=True),  # L
    _M("google/gemini-3.1-pro-preview", reasoning="hidden", vision=True),  # PICCOMP (GMI's own app)
    _M("google/gemini-3.1-flash-lite-preview", vision=True),  # H
    _M("google/gemini-3.5-flash-lite", 1_048_576, 65_536, (0.3, 2.5), 0.03, "hidden", True),  # O
    _M("google/gemini-3.7-flash", vision=True),  # pi-gmicloud SEED list
    _M("google/gemma-4-31b-it"),  # pi-gmicloud SEED list
    # --- Moonshot. Kimi reasoning arrives as reasoning_content (M: interleaved.field).
    _M("moonshotai/Kimi-K2-Thinking", 262_144, 16_384, (0.8, 1.2), reasoning="content"),  # L
    _M("moonshotai/Kimi-K2.5", 262_144),  # H; context from a third-party router's GMI fallbacks
    # M says 65,536 context; PI9605 (a GMI employee) says the real figure is about 4x that [C]: PI9605.
    _M("moonshotai/Kimi-K2.6", 262_144, 65_536, (0.855, 3.6), 0.144, "content"),
    _M("moonshotai/kimi-k2.7-code-highspeed", 262_144, None, (1.9, 8), 0.38, "content"),  # M
    _M("moonshotai/kimi-k3", 1_048_576),  # PI9605 example; context from the router's fallbacks
    # --- MiniMax: reasons only with ``thinking: {type: enabled}`` ([V-live] THUT); /v1/messages too.
    _M("MiniMaxAI/MiniMax-M2.1", 196_608, 16_384, (0.3, 1.2), reasoning="switch", apis=ANTHROPIC),  # L
    # GMI docs page; router. Current $0.21/$0.84/$0.042: GMI's artifacts feed (ie-api.gmicloud.ai, as
    # LiteLLM 1.110.2 ships it); list $0.30/$1.20/$0.06: GMI's billing feed (quill-router, 2026-08-22).
    _promo(
        _M("MiniMaxAI/MiniMax-M2.7", 196_608, None, (0.21, 0.84), 0.042, "switch", apis=ANTHROPIC),
        (0.3, 1.2),
        0.06,
    ),
    # models.dev toml "verified 2026-08-25": 1,048,576 context; list $0.60/$2.40/$0.12, above 512k tokens
    # $1.20/$4.80/$0.24 (GMI's billing feed agrees); current $0.24/$0.96/$0.048 from GMI's artifacts feed
    # (as LiteLLM 1.110.2 ships it). No source gives a promotional upper tier, so it stays at list.
    _promo(
        _M("MiniMaxAI/MiniMax-M3", 1_048_576, None, (0.24, 0.96), 0.048, "switch", apis=ANTHROPIC),
        (0.6, 2.4),
        0.12,
        PriceTier(512_000, (1.2, 4.8), 0.24, (1.2, 4.8), 0.24),
    ),
    # --- Qwen.
    _M("Qwen/Qwen3-VL-235B-A22B-Instruct-FP8", 262_144, 16_384, (0.3, 1.4), vision=True),  # L
    # M says 1M context; PI9605 says over-reported about 3.8x [C]: PI9605. No documented thinking toggle.
    _M("Qwen/Qwen3.7-Max", 262_144, None, (2.5, 7.5), 0.25),
    _M("Qwen/Qwen3.8-Flash"),  # PI9605 (pi's default)
    _M("Qwen/Qwen3.8-27B"),  # pi-gmicloud SEED list
    _M("Qwen/Qwen3.6-Max-Preview"),
    _M("Qwen/Qwen3.6-Plus"),
    _M("Qwen/Qwen3-32B-FP8", 131_072, price=(0.1, 0.6)),  # Lava, RocketRide
    _M("Qwen/Qwen3-Next-80B-A3B-Instruct"),  # D
    _M("Qwen/Qwen3-Next-80B-A3B-Thinking", reasoning="content"),  # D
    _M("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"),  # D
    _M("Qwen/Qwen3-235B-A22B-Thinking-2507-FP8", reasoning="content"),  # D
    _M("Qwen/QwQ-32B", price=(0.5, 1.5), reasoning="content"),  # P
    _M("Qwen/Qwen3-235B-A22B-FP8"),  # Lava / RocketRide (2025)
    _M("Qwen/Qwen3-30B-A3B"),  # Lava / RocketRide (2025)
    _M("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8"),  # Lava / RocketRide (2025)
    # --- Meta. Contexts from RocketRide; prices from P.
    _M("meta-llama/Llama-4-Scout-17B-16E-Instruct", 1_048_576, price=(0.15, 0.6)),
    # Lava, RocketRide and pi-gmicloud spell Maverick with "-FP8"; P and D without. The id without the
    # suffix "probably 404s" is only [I], so both are served.
    _M("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", 1_048_576, price=(0.25, 0.8)),
    _M("meta-llama/Llama-4-Maverick-17B-128E-Instruct", 1_048_576, price=(0.25, 0.8)),
    _M("meta-llama/Llama-3.3-70B-Instruct", price=(0.25, 0.75)),  # P, GMIDOC-RATE
    _M("meta-llama/Llama-3.1-8B", price=(0.03, 0.09)),  # P
    # --- Z.ai. GLM-5.x reasoning as reasoning_content (M: interleaved.field).
    _M("zai-org/GLM-4.7-FP8", 202_752, 16_384, (0.4, 2.0)),  # L
    # M; any-llm's test model. $0.60/$1.92/$0.12 is also GMI's artifacts feed (LiteLLM 1.110.2); GMI's
    # billing feed (quill-router, 2026-08-22) lists $1.00/$3.20/$0.20, the list price.
    _promo(_M("zai-org/GLM-5-FP8", 202_752, 131_072, (0.6, 1.92), 0.12, "content"), (1.0, 3.2), 0.2),
    # Output: M 131,072, O (newer) 65,536 [C]: O here. Prices O.
    _M("zai-org/GLM-5.1-FP8", 202_752, 65_536, (0.979, 3.08), 0.182, "content"),
    # Context: O 1,048,576, a router's fallback 1,000,000 [C]: O here. Prices: O (newer than M).
    _M("zai-org/GLM-5.2-FP8", 1_048_576, 128_000, (0.923, 2.903), 0.171, "content"),
    _M("zai-org/GLM-5.3-Flash"),  # pi-gmicloud SEED list
    # --- Others from pi-gmicloud's SEED list ("IDs taken from the live /v1/models response") and GMI
    # docs pages (docs.gmicloud.ai); no figures published.
    _M("nvidia/nemotron-3-ultra-550b-a55b"),
    _M("tencent/hy3-preview"),
    _M("kwaipilot/kat-coder-pro-v2"),
    _M("x-ai/grok-4.5"),
    _M("XiaomiMiMo/MiMo-V2.5"),
    _M("XiaomiMiMo/MiMo-V2.5-Pro"),
    _M("stepfun-ai/Step-3.7-Flash"),
)

UNCATALOGUED_MODEL: Final = "emulator/uncatalogued-7b"
"""A model no public source names, so that clients' "model not in my catalog" paths can be tested."""
UNCATALOGUED_CONTEXT: Final = 32_768
UNCATALOGUED_MAX_OUTPUT: Final = 8_192
UNCATALOGUED: Final = ChatModel(UNCATALOGUED_MODEL, UNCATALOGUED_CONTEXT, UNCATALOGUED_MAX_OUTPUT)

EMBEDDING_MODELS: Final[Mapping[str, EmbeddingModel]] = {
    # Used against GMI's /v1/embeddings by public third-party code ([V code]); no GMI page.
    # Dimensions and input limits are the models' own (BAAI model cards: bge-m3 1024-d, 8192 tokens;
    # bge-base-en-v1.5 768-d, 512 tokens).
    "BAAI/bge-m3": EmbeddingModel("BAAI/bge-m3", 1024, 8192),
    "BAAI/bge-base-en-v1.5": EmbeddingModel("BAAI/bge-base-en-v1.5", 768, 512),
}
