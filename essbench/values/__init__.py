"""Values: headline values, series, derived ratios and comparability, as numbers and codes (no prose)."""
