"""GMI chat completions: config, parameters, streaming and reasoning."""
