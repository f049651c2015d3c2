"""Speed and memory of ``gmi/`` through this package versus LiteLLM's other routes to GMI.

Run ``python -m bench`` from the repository root (``--quick`` for a CI smoke run); see bench/README.md.
"""
