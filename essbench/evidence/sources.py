"""Source documents: their origin metadata, their text, and the checksum that pins it."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Literal

import pydantic

from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic
from essbench.evidence.schema import NonEmpty, SnakeId, Strict, Unknown
from essbench.evidence.yamlfiles import read_yaml

SOURCES_FILE = "sources.yaml"


class Source(Strict):
    """One captured document and what is known of where it comes from."""

    id: SnakeId
    file: NonEmpty
    territory: SnakeId
    publisher: NonEmpty
    title: NonEmpty
    document_kind: Literal["web_page", "member_fiche", "blog_post", "report"]
    date_published: datetime.date | Unknown
    date_published_known: NonEmpty  # what is known when the date itself is not
    url: pydantic.AnyHttpUrl | Unknown
    date_accessed: datetime.date | Unknown
    licence: NonEmpty | Unknown
    sha256: str = pydantic.Field(pattern=r"^[0-9a-f]{64}$")
    original_name: NonEmpty
    description: NonEmpty


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_sources(sources_dir: Path) -> dict[str, Source]:
    """Every source of sources.yaml, checked: schema, unique ids, files present, sums right."""
    metadata = sources_dir / SOURCES_FILE
    shown = display_path(metadata)
    entries = read_yaml(metadata, expected=list)
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for index, entry in enumerate(entries):
        try:
            source = Source.model_validate(entry)
        except pydantic.ValidationError as error:
            problems += from_pydantic(shown, error, prefix=f"[{index}]")
            continue
        if source.id in sources:
            problems.append(Problem(shown, f"[{index}].id", repr(source.id), "a unique source id"))
        sources[source.id] = source
        problems += _file_problems(sources_dir, source, shown, index)
    if problems:
        raise InvalidInput(problems)
    return sources


def _file_problems(sources_dir: Path, source: Source, shown: str, index: int) -> list[Problem]:
    path = sources_dir / source.file
    if not path.is_file():
        return [Problem(shown, f"[{index}].file", repr(source.file),
                        f"a file present in {display_path(sources_dir)}")]
    actual = sha256_of(path)
    if actual != source.sha256:
        return [Problem(shown, f"[{index}].sha256", f"{source.file} now hashes to {actual}",
                        f"{source.sha256}: the text as captured; sources are never edited")]
    return []


def source_text(sources_dir: Path, source: Source) -> str:
    """The document's text, exactly as captured."""
    return (sources_dir / source.file).read_text(encoding="utf-8")
