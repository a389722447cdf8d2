"""Figures: charts and maps drawn with plotly from values and our own geometry."""
