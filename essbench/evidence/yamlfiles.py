"""Reading curators' YAML files safely, turning every way they can be broken into a Problem."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from essbench.evidence.problems import InvalidInput, Problem, display_path


# libyaml's parser when PyYAML was built with it: ten times faster on a thousand profiles.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

T = TypeVar("T")


class _UniqueKeyLoader(_SafeLoader):
    """Safe loader that refuses a key written twice, which YAML would silently overwrite."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is written twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _timestamp_or_text(loader: _UniqueKeyLoader, node: yaml.ScalarNode):
    """A date as YAML reads it, or, for one that does not exist (2014-02-30), the text as
    written: the schema then refuses it with its field, instead of the parser with a traceback."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# A curator's YAML file is a few kilobytes; a sources list of a thousand territories a few
# megabytes. Anything far beyond is not a file a curator wrote, and is refused before parsing.
MAX_YAML_BYTES = 32 * 1024 * 1024
# Values once aliases are expanded: nine aliases each repeating the previous one nine times
# make 387 million values from 200 bytes, and checking them took 3 GB and two minutes.
MAX_VALUES = 1_000_000
# Lists and mappings inside one another: deeper than this is not data a curator writes.
MAX_DEPTH = 100


def read_yaml(path: Path, expected: type = dict) -> Any:
    """The content of a YAML file, or InvalidInput naming the file and what is wrong with it."""
    shown = display_path(path)
    if not path.is_file():
        found = ("a link that leads to no file (a loop of links, or its target is gone)"
                 if path.is_symlink() else "no such file")
        raise InvalidInput([Problem(shown, "(file)", found, "an existing YAML file")])
    raw = read_bounded(path, MAX_YAML_BYTES, "a YAML file")
    text = decode_text(raw, shown, "a UTF-8 YAML text file")
    if "\x00" in text:
        raise InvalidInput([Problem(shown, "(file)", "binary content", "a YAML text file")])
    if not text.strip():
        raise InvalidInput([Problem(shown, "(file)", "an empty file", f"a YAML {_kind(expected)}")])
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_size(node, shown)
        content = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InvalidInput([Problem(shown, where, f"invalid YAML ({shorten_text(what)})",
                                    "valid YAML")]) from None
    except RecursionError:
        raise InvalidInput([Problem(shown, "(file)", "values nested too deeply to read",
                                    f"lists and mappings nested at most {MAX_DEPTH} deep")]) from None
    finally:
        loader.dispose()
    if not isinstance(content, expected):
        found = f"a {type(content).__name__}" if content is not None else "no content"
        raise InvalidInput([Problem(shown, "(file)", found, f"a YAML {_kind(expected)}")])
    return content


def _check_size(root: yaml.Node, shown: str) -> None:
    """InvalidInput when the values, aliases expanded, are too many or nested too deep, or a
    value contains itself; counted on the node tree, where an alias is one shared node."""
    sizes: dict[int, int] = {}
    # (node, depth, children counted yet): iterative, so that depth never exhausts the stack
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, counted = stack.pop()
        key = id(node)
        if counted:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                raise InvalidInput([Problem(
                    shown, f"line {node.start_mark.line + 1}",
                    f"more than {MAX_VALUES:,} values once its aliases (*name) are expanded",
                    "a file whose aliases repeat a few values: write the values out")])
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise InvalidInput([Problem(shown, f"line {node.start_mark.line + 1}",
                                        "a value that contains itself through an alias",
                                        "values that do not refer to themselves")])
        if depth > MAX_DEPTH:
            raise InvalidInput([Problem(shown, f"line {node.start_mark.line + 1}",
                                        f"lists or mappings nested more than {MAX_DEPTH} deep",
                                        f"at most {MAX_DEPTH} levels")])
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node)
                     if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """A file's bytes, or InvalidInput when it is larger than `limit` or cannot be read
    (a link that leads nowhere, a loop of links, a folder)."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput([Problem(shown, "(file)", f"a file of {size:,} bytes",
                                        f"{what} of at most {limit:,} bytes")])
        with open(path, "rb") as handle:
            return handle.read(limit + 1)[:limit]
    except OSError as error:
        raise InvalidInput([Problem(shown, "(file)", f"a file that cannot be read "
                                    f"({error.strerror or type(error).__name__})",
                                    f"{what} that can be read")]) from None


# Encodings a text file in France is likely to be in when it is not UTF-8, most likely first.
_LIKELY = (("utf-16", "UTF-16"), ("cp1252", "Windows-1252 (Latin-1)"),
           ("latin-1", "Latin-1 (ISO-8859-1)"))


def likely_encoding(raw: bytes) -> str | None:
    """The encoding a text that is not UTF-8 is most likely in, by name; None if none fits."""
    for codec, name in _LIKELY:
        if codec == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return name
    return None


def decode_text(raw: bytes, shown: str, allowed: str) -> str:
    """UTF-8 bytes as text, or InvalidInput naming the byte and the encoding it is likely in."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        likely = likely_encoding(raw) if b"\x00" not in raw[:4096] or raw[:2] in (
            b"\xff\xfe", b"\xfe\xff") else None
        hint = (f", likely {likely}: convert it with `iconv -f {_ICONV.get(likely, 'LATIN1')} "
                f"-t UTF-8`" if likely else "")
        found = f"bytes that are not UTF-8 text (at byte {error.start}{hint})"
        raise InvalidInput([Problem(shown, "(file)", found, allowed)]) from None


_ICONV = {"UTF-16": "UTF-16", "Windows-1252 (Latin-1)": "WINDOWS-1252",
          "Latin-1 (ISO-8859-1)": "LATIN1"}


def shorten_text(text: object, limit: int = 160) -> str:
    """Text cut to one line of a message."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(expected: type) -> str:
    return "mapping of keys to values" if expected is dict else "list"


def yaml_nodes(path: Path) -> yaml.Node | None:
    """The node tree of a YAML file, nothing built from it (to pick one value of a large file);
    None when it cannot be read."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def once_per_version(read: Callable[[Path], T]) -> Callable[[Path], T]:
    """`read(path)` run once for each version of a file (its modification time and size) for
    the life of the process: a warm kernel builds page after page from the same files. What
    it returns is shared: read it, never change it. OSError when the file is missing."""
    cached = functools.cache(lambda path, mtime_ns, size: read(path))

    @functools.wraps(read)
    def wrapper(path: Path) -> T:
        stat = path.stat()
        return cached(path, stat.st_mtime_ns, stat.st_size)

    return wrapper
