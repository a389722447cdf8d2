"""essbench: evidence-backed comparison of local ESS policies in France."""

__version__ = "0.1.0"
