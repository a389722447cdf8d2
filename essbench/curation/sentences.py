"""Cutting a text into sentences that keep their exact place in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A bullet or dash that opens a list line: not part of what is quoted.
_BULLET = re.compile(r"^[\s\-–—•*·]+")
# A sentence ends at . ! ? or … followed by a space and a capital, a quote mark or a digit.
_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text exactly as in the document, where it starts and ends, its line."""

    index: int
    text: str
    start: int
    end: int
    line: int  # index of the line (paragraph) it belongs to
    line_text: str  # that whole line, stripped: a heading is a line alone
    list_item: bool  # the line opened with a bullet or dash


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order; `text[s.start:s.end] == s.text` for each.

    Examples
    --------
    >>> [s.text for s in split_sentences("Budget annuel\\n- 92 900 € par an. Hors personnel.")]
    ['Budget annuel', '92 900 € par an.', 'Hors personnel.']
    """
    found: list[Sentence] = []
    offset = 0
    for line_index, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        bullet = _BULLET.match(line)
        body_start = bullet.end() if bullet else 0
        body = line[body_start:]
        if not body.strip():
            continue
        list_item = bool(bullet and bullet.group(0).strip())
        pieces, cursor = [], 0
        for cut in _END.finditer(body):
            pieces.append((cursor, cut.start()))
            cursor = cut.end()
        pieces.append((cursor, len(body)))
        # "1. Favoriser ...": a numbered item's number stays with its text.
        merged: list[tuple[int, int]] = []
        for start, end in pieces:
            if merged and re.fullmatch(r"\s*\d{1,2}[.)]\s*", body[merged[-1][0]:merged[-1][1]]):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        pieces = merged
        for start, end in pieces:
            chunk = body[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            absolute = line_start + body_start + start + lead
            found.append(Sentence(len(found), stripped, absolute, absolute + len(stripped),
                                  line_index, line.strip(), list_item))
    return found
