"""Reading a document as text: plain text as it is, HTML through the standard parser, PDF
through pypdf. Positions in a review file are positions in this text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from essbench.evidence.problems import InvalidInput, Problem, display_path

FORMATS = ("txt", "html", "pdf")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# Elements whose end closes a line of text: without it, a heading runs into its paragraph.
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
           "table", "section", "article", "header", "footer", "blockquote", "dd", "dt", "td",
           "th", "title", "main", "nav", "aside", "figcaption"}
_SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}


@dataclass(frozen=True)
class Document:
    """A document's text, its format and the sha256 of its bytes (which names it in sources.yaml)."""

    path: Path
    text: str
    format: str  # txt | html | pdf
    sha256: str


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page, one block a line, runs of spaces folded.

    Examples
    --------
    >>> html_text("<h1>Budget</h1><p>92&nbsp;900&nbsp;€ <b>par an</b></p><script>x=1</script>")
    'Budget\\n92\\xa0900\\xa0€ par an'
    """
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip()
             for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise InvalidInput([Problem(display_path(path), "(file)", "a PDF, and pypdf is not "
                                    "installed", "pip install '.[curate]', or a .txt or .html "
                                    "copy of the document")]) from None
    try:
        reader = PdfReader(str(path))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput([Problem(display_path(path), "(file)", f"a PDF pypdf cannot read "
                                    f"({error})", "a readable PDF, or a .txt copy")]) from None


def read_document(path: Path) -> Document:
    """The document's text; InvalidInput (never a traceback) when it cannot be read."""
    shown = display_path(path)
    if not path.is_file():
        raise InvalidInput([Problem(shown, "(file)", "no such file",
                                    "an existing .txt, .html or .pdf document")])
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        text, kind = _pdf_text(path), "pdf"
    else:
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = raw.decode("cp1252", errors="replace")
        if "\x00" in decoded:
            raise InvalidInput([Problem(shown, "(file)", "binary content",
                                        "a .txt, .html or .pdf document")])
        head = decoded[:2000].lower()
        if path.suffix.lower() in _HTML_SUFFIXES or "<html" in head or "<!doctype html" in head:
            text, kind = html_text(decoded), "html"
        else:
            text, kind = decoded, "txt"
    if not text.strip():
        raise InvalidInput([Problem(shown, "(file)", "no text", "a document with French text "
                                    "(a scanned PDF has none: copy its text into a .txt)")])
    return Document(path, text, kind, digest)
