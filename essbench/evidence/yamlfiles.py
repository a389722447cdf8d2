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


def read_yaml(path: Path, expected: type = dict) -> Any:
    """The content of a YAML file, or InvalidInput naming the file and what is wrong with it."""
    shown = display_path(path)
    if not path.is_file():
        raise InvalidInput([Problem(shown, "(file)", "no such file", "an existing YAML file")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        found = f"bytes that are not UTF-8 text (at byte {error.start})"
        raise InvalidInput([Problem(shown, "(file)", found, "a UTF-8 YAML text file")]) from None
    if "\x00" in text:
        raise InvalidInput([Problem(shown, "(file)", "binary content", "a YAML text file")])
    if not text.strip():
        raise InvalidInput([Problem(shown, "(file)", "an empty file", f"a YAML {_kind(expected)}")])
    try:
        content = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InvalidInput([Problem(shown, where, f"invalid YAML ({what})", "valid YAML")]) from None
    if not isinstance(content, expected):
        found = f"a {type(content).__name__}" if content is not None else "no content"
        raise InvalidInput([Problem(shown, "(file)", found, f"a YAML {_kind(expected)}")])
    return content


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
