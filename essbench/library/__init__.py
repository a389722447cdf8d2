"""The researcher-facing library: `essbench.load()`, its tables and figures, argument checks."""
