"""Anthropic's Messages API (``POST /v1/messages``), as GMI serves it for Claude and MiniMax models."""
