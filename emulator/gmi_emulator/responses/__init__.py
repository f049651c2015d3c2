"""OpenAI's Responses API (``POST /v1/responses``), as GMI serves it for GPT-5 models."""
