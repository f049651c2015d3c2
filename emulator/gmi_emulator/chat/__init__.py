"""GMI's OpenAI-compatible chat completions and model list."""
