"""Reading curators' YAML files safely, turning every way they can be broken into a Problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from essbench.evidence.problems import InvalidInput, Problem, display_path


# libyaml's parser when PyYAML was built with it: ten times faster on a thousand profiles.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
