"""LiteLLM's video API for ``gmi/``: the ``BaseVideoConfig``, and the check for the LiteLLM hook that
finds it."""
