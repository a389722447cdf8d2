"""The package's layers: no module imports from a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import essbench

PACKAGE = Path(essbench.__file__).resolve().parent
# Lowest first, as README's "Architecture" draws them: each may import those before it.
LAYERS = ["project", "evidence", "geography", "values", "text", "curation", "figures", "report", "build",
          "library", "export", "scaffold", "cli", "__init__"]


def _layer(module: str) -> str:
    """'essbench.values.normalize' -> 'values'; 'essbench' -> '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("essbench"):
            if node.module == "essbench":
                found += [(node.lineno, f"essbench.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("essbench.")]
    return found


def test_every_module_belongs_to_a_layer():
    layers = {_layer("essbench." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts))
              for p in PACKAGE.rglob("*.py")}
    assert layers <= set(LAYERS), layers - set(LAYERS)


def test_no_module_imports_from_a_layer_above_it():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer("essbench." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        for line, module in _imports(path):
            target = _layer(module)
            if target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {module}")
    assert wrong == [], "\n".join(wrong)
