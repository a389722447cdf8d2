"""Source documents: their origin metadata, their text, and the checksum that pins it."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import StringConstraints

from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic
from essbench.evidence.schema import NonEmpty, SnakeId, Strict, Unknown
from essbench.evidence.yamlfiles import (decode_text, likely_encoding, once_per_version,
                                         read_bounded, read_yaml)

SOURCES_FILE = "sources.yaml"
# An archived document is a web page's or a report's text: a few hundred kilobytes at most.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
CITED_FILE = "cited.yaml"


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

    @property
    def kind(self) -> str:
        """'archived': the project keeps its text, and quotes are checked against it."""
        return "archived"


PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]


class CitedSource(Strict):
    """A page the project cites but does not keep: its address, publisher, title and date.

    Its text is third-party material: nothing of it is copied here, so facts that rest on it
    carry a description in the curator's words instead of a quote.
    """

    id: SnakeId
    territory: SnakeId  # the profile or reference area the page is about
    url: pydantic.AnyHttpUrl
    publisher: NonEmpty
    title: NonEmpty
    document_kind: Literal["web_page", "news_article", "interview", "minutes", "presentation",
                           "statistical_study", "report", "newsletter"]
    date_published: datetime.date | PartialDate | Unknown
    date_published_known: NonEmpty  # shown to readers, in French
    date_accessed: datetime.date | Unknown = "unknown"
    description: NonEmpty  # what the page is, for developers; never its text

    @pydantic.field_validator("date_published", mode="before")
    @classmethod
    def _year_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @pydantic.field_validator("date_published", "date_accessed")
    @classmethod
    def _not_in_the_future(cls, value: object) -> object:
        today = datetime.date.today()
        if isinstance(value, datetime.date) and value > today:
            raise ValueError(f"a date up to today, {today.isoformat()}")
        if isinstance(value, str) and value != "unknown" and value > today.isoformat()[:len(value)]:
            raise ValueError(f"a date up to today, {today.isoformat()}")
        return value

    @property
    def kind(self) -> str:
        """'cited': a page named with its metadata, its text not kept."""
        return "cited"


def _entries(path: Path, model: type[Strict]) -> tuple[list[tuple[int, Strict]], list[Problem]]:
    """(index, entry) for every valid entry of a YAML list of sources, and the problems of the
    others: schema errors and ids used twice."""
    shown = display_path(path)
    problems: list[Problem] = []
    found: list[tuple[int, Strict]] = []
    seen: set[str] = set()
    for index, entry in enumerate(_read_list(path)):
        try:
            item = model.model_validate(entry)
        except pydantic.ValidationError as error:
            problems += from_pydantic(shown, error, prefix=f"[{index}]")
            continue
        if item.id in seen:
            problems.append(Problem(shown, f"[{index}].id", repr(item.id), "a unique source id"))
        seen.add(item.id)
        found.append((index, item))
    return found, problems


@once_per_version
def _parsed(path: Path) -> list:
    """A sources file's YAML list, parsed once while the file is unchanged: a warm kernel builds
    page after page from one sources.yaml of a thousand entries. The entries are validated into
    new models at every call, never handed out themselves."""
    return read_yaml(path, expected=list)


def _read_list(path: Path) -> list:
    return _parsed(path) if path.is_file() else read_yaml(path, expected=list)  # names the file


def load_cited(sources_dir: Path) -> dict[str, CitedSource]:
    """Every page of cited.yaml, checked; none when the file does not exist."""
    path = sources_dir / CITED_FILE
    if not path.exists():
        return {}
    found, problems = _entries(path, CitedSource)
    if problems:
        raise InvalidInput(problems)
    return {source.id: source for _, source in found}


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_sources(sources_dir: Path, wanted: Callable[[Source], bool] | None = None
                 ) -> dict[str, Source]:
    """Every source of sources.yaml, checked: schema, unique ids, files present, sums right.

    `wanted`: only the sources it accepts are kept and have their files checked (a page reads
    its own territories' documents, not the thousand others of a national build).
    """
    metadata = sources_dir / SOURCES_FILE
    found, problems = _entries(metadata, Source)
    found = [(index, source) for index, source in found if wanted is None or wanted(source)]
    for index, source in found:
        problems += _file_problems(sources_dir, source, display_path(metadata), index)
    if problems:
        raise InvalidInput(problems)
    return {source.id: source for _, source in found}


def _file_problems(sources_dir: Path, source: Source, shown: str, index: int) -> list[Problem]:
    where = display_path(sources_dir)
    path = document_path(sources_dir, source.file)
    if path is None:
        # Nothing of a file outside the project is read, not even its checksum.
        return [Problem(shown, f"[{index}].file", shorten_file(source.file),
                        f"a file name inside {where} (no absolute path, no '..', no link "
                        "leading out of it or in a loop)")]
    if not path.is_file():
        return [Problem(shown, f"[{index}].file", repr(source.file),
                        f"a file present in {where}")]
    try:
        raw = read_bounded(path, MAX_DOCUMENT_BYTES, "a document's text")
    except InvalidInput as error:
        return [Problem(shown, f"[{index}].file", f"{source.file}: {p.found}", p.allowed)
                for p in error.problems]
    actual = hashlib.sha256(raw).hexdigest()
    if actual != source.sha256:
        return [Problem(shown, f"[{index}].sha256", f"{source.file} now hashes to {actual}",
                        f"{source.sha256}: the text as captured; sources are never edited")]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        likely = likely_encoding(raw)
        return [Problem(shown, f"[{index}].file",
                        f"{source.file}: bytes that are not UTF-8 text (at byte {error.start})"
                        + (f", likely {likely}" if likely else ""),
                        "a UTF-8 text file: convert the document to UTF-8 (e.g. `iconv -t "
                        "UTF-8`), then record its new sha256")]
    return []


def shorten_file(written: str) -> str:
    return repr(written) if len(written) <= 120 else repr(written[:119]) + "…"


def document_path(sources_dir: Path, written: str) -> Path | None:
    """Where a source's file is, or None when it would be outside `sources_dir`: an absolute
    path, a '..', or a link (the file or a folder on the way) that leads out of it."""
    relative = Path(written)
    if relative.is_absolute() or ".." in relative.parts or "\x00" in written:
        return None
    path = sources_dir / relative
    try:
        inside = path.resolve().is_relative_to(sources_dir.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return None
    return path if inside else None


def source_text(sources_dir: Path, source: Source) -> str:
    """The document's text, exactly as captured (checked by `load_sources` first)."""
    path = document_path(sources_dir, source.file)
    shown = display_path(sources_dir / SOURCES_FILE)
    if path is None:
        raise InvalidInput([Problem(shown, f"{source.id}.file", shorten_file(source.file),
                                    "a file name inside data/sources")])
    raw = read_bounded(path, MAX_DOCUMENT_BYTES, "a document's text")
    return decode_text(raw, display_path(path), "a UTF-8 text file")
