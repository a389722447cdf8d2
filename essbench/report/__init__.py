"""Report: the sections of a dashboard, rendered from Jinja templates with one stylesheet."""
