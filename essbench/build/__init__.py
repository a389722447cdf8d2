"""Build: params files checked against their notebooks, notebooks run, pages and PDFs published."""

import sys

# jsonschema, which nbformat imports, builds an RFC 3987 grammar at import time when the
# optional rfc3987-syntax is installed (pulled in by jupyter-events): about 1.3 s in every
# process that checks, exports or runs a notebook. nbformat's schemas use no IRI format, so
# jsonschema is made to see it as absent (a None entry makes the import fail, as it expects).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
