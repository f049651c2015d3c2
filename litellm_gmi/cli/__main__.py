"""``python -m litellm_gmi.cli``: the same as the ``litellm-gmi`` script."""

from litellm_gmi.cli import main

raise SystemExit(main())
