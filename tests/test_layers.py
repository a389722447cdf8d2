"""The package's layers: every module belongs to one, none imports from a layer above its own
(`import essbench` and relative imports included), and the module-level imports form no cycle."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import essbench

PACKAGE = Path(essbench.__file__).resolve().parent
# Lowest first, as README's "Architecture" draws them: each may import those before it.
LAYERS = ["version", "project", "evidence", "geography", "values", "text", "curation", "figures", "report", "build",
          "library", "export", "scaffold", "cli", "__init__"]


def _module(path: Path) -> str:
    """essbench/values/normalize.py -> 'essbench.values.normalize'; a package's __init__.py ->
    the package ('essbench.values', 'essbench')."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    """'essbench.values.normalize' -> 'values'; 'essbench' -> '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _absolute(node: ast.ImportFrom, module: str) -> str:
    """The module an ImportFrom names, relative imports resolved against `module`."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(node: ast.stmt, module: str) -> list[str]:
    """The essbench modules one import statement loads: `from essbench.x import y` loads
    essbench.x.y when y is a module, essbench.x otherwise."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names
                if alias.name == "essbench" or alias.name.startswith("essbench.")]
    source = _absolute(node, module)
    if source != "essbench" and not source.startswith("essbench."):
        return []
    return [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
            for alias in node.names]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str, module_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, imported essbench module) for every import of `module`: all of them, or only
    those run when the module is imported (not inside functions, not under TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.extend((node.lineno, target) for target in _targets(node, module))
            elif module_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef
                                                  | ast.Lambda):
                continue
            elif module_level_only and isinstance(node, ast.If) and _is_type_checking(node):
                walk(node.orelse)
            else:
                walk(ast.iter_child_nodes(node))

    walk(_parsed(MODULES[module]).body)
    return found


@functools.cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_every_module_belongs_to_a_layer():
    layers = {_layer(module) for module in MODULES}
    assert layers <= set(LAYERS), layers - set(LAYERS)
    assert {"essbench", "essbench.values.normalize", "essbench.build.runner"} <= set(MODULES)


def test_no_module_imports_from_a_layer_above_it():
    wrong = []
    for module in MODULES:
        own = _layer(module)
        for line, target in _imports(module):
            if LAYERS.index(_layer(target)) > LAYERS.index(own):
                wrong.append(f"{MODULES[module].relative_to(PACKAGE)}:{line} ({own}) imports "
                             f"{target} ({_layer(target)})")
    assert wrong == [], "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected part of `graph` that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1 or node in graph.get(node, ()):
                parts.append(_one_cycle(graph, set(part)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return parts


def _one_cycle(graph: dict[str, set[str]], part: set[str]) -> list[str]:
    """A path start -> ... -> start inside one strongly connected part (breadth first)."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return paths[node] + [start]
            if nxt in part and nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return sorted(part)


def import_graph() -> dict[str, set[str]]:
    """essbench module -> the essbench modules it imports when it is imported."""
    return {module: {target for _, target in _imports(module, module_level_only=True)
                     if target != module}
            for module in MODULES}


def test_module_level_imports_form_no_cycle():
    cycles = _cycles(import_graph())
    assert cycles == [], "\n".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c", "a"]]),
    ({"a": {"a"}}, [["a", "a"]]),
    ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b", "a"], ["c", "d", "c"]]),
])
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert sorted(_cycles(graph)) == expected


def test_the_import_reader_sees_every_form_of_import(tmp_path, monkeypatch):
    """`import essbench`, relative imports and `from essbench.x import module` are all seen;
    imports inside functions count for the layers, not for cycles."""
    package = tmp_path / "essbench"
    (package / "values").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "values" / "__init__.py").write_text("from . import normalize\n")
    (package / "values" / "normalize.py").write_text(
        "import essbench\nfrom ..text import words\nfrom essbench.values import __name__ as x\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import essbench.build\n"
        "def late():\n    from essbench.report import display\n")
    monkeypatch.setitem(globals(), "MODULES", {
        "essbench": package / "__init__.py", "essbench.values": package / "values" / "__init__.py",
        "essbench.values.normalize": package / "values" / "normalize.py",
        "essbench.text.words": package / "text" / "words.py"})
    assert _imports("essbench.values") == [(1, "essbench.values.normalize")]
    every = [target for _, target in _imports("essbench.values.normalize")]
    assert every == ["essbench", "essbench.text.words", "essbench.values", "essbench.build",
                     "essbench.report"]
    loaded = [target for _, target in _imports("essbench.values.normalize", True)]
    assert loaded == ["essbench", "essbench.text.words", "essbench.values"]
