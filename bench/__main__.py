"""``python -m bench``: the single entry point, same as ``python bench/run.py``."""

from __future__ import annotations

from bench.run import main

if __name__ == "__main__":
    raise SystemExit(main())
