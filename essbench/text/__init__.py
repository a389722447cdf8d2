"""Text: message catalogs, number and date formatting, and the generated reading, in French and English."""
