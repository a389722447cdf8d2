"""Dashboard params files: one page each, checked against its notebook and the evidence base."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from essbench.build.outputs import write_atomic
from essbench.evidence import registry
from essbench.evidence.arguments import profile_ids
from essbench.evidence.registry import LANGUAGES
from essbench.evidence.problems import InvalidInput, Problem, display_path, from_pydantic, shorten
from essbench.evidence.schema import NonEmpty, Strict
from essbench.evidence.yamlfiles import read_yaml

PARAMS_DIR = "params"
# The kernel the build runs every notebook with (runner.KERNEL_NAME).
KERNEL_NAME = "python3"
# The page name is the params file's stem; `index` is the table of contents.
RESERVED_NAMES = ("index",)
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ParamsFile(Strict):
    """What a params file holds: the notebook to run, its parameters, the page's title."""

    notebook: NonEmpty
    parameters: dict[str, Any] = {}
    title: NonEmpty
    summary: NonEmpty


@dataclass(frozen=True)
class Declared:
    """One line of a notebook's parameters cell: `name: type = default  # help`."""

    name: str
    type_name: str | None
    default: object
    help: str
    written: str = ""  # the default as written in the notebook


@dataclass(frozen=True)
class Dashboard:
    """One page to build: a checked params file resolved against the project root."""

    name: str
    params_file: Path
    notebook: Path
    parameters: dict[str, Any]
    title: str
    summary: str


def load_dashboards(root: Path, names: list[str] | None = None,
                    data: Path | None = None, cache: Path | None = None) -> list[Dashboard]:
    """Every params file of root/params checked; those named (all if None), or InvalidInput.

    `cache`: see `declared_parameters`.
    """
    folder = root / PARAMS_DIR
    problems: list[Problem] = []
    if not folder.is_dir():
        raise InvalidInput([Problem(display_path(folder), "(folder)", "no such folder",
                                    "a params folder at the project root (run from there)")])
    for stray in sorted(folder.glob("*.yml")):
        problems.append(Problem(display_path(stray), "(file name)", repr(stray.name),
                                "a name ending with .yaml (other files are not read)"))
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        problems.append(Problem(display_path(folder), "(folder)", "no params file",
                                "at least one <dashboard name>.yaml"))
    territories = territory_ids(root / "data" if data is None else data)
    notebooks: dict[Path, dict[str, Declared] | None] = {}
    dashboards = {}
    for path in paths:
        dashboard, found = check_params_file(path, root, territories, notebooks, cache)
        problems += found
        if dashboard is not None:
            dashboards[dashboard.name] = dashboard
    for name in names or []:
        if name not in {path.stem for path in paths}:
            problems.append(Problem(display_path(folder / f"{name}.yaml"), "(file)",
                                    f"no params file for the dashboard {name!r}",
                                    f"a dashboard name: {', '.join(p.stem for p in paths)}"))
    if problems:
        raise InvalidInput(problems)
    wanted = names or list(dashboards)
    return [dashboards[name] for name in dict.fromkeys(wanted)]


def territory_ids(data: Path) -> list[str]:
    """The territory ids a dashboard may name: the profiles of data/profiles."""
    return profile_ids(data / "profiles")


def check_params_file(path: Path, root: Path, territories: list[str],
                      notebooks: dict[Path, dict[str, Declared] | None] | None = None,
                      cache: Path | None = None) -> tuple[Dashboard | None, list[Problem]]:
    """One params file checked against its notebook; the dashboard only if nothing is wrong."""
    shown = display_path(path)
    problems = []
    if not NAME_PATTERN.match(path.stem) or path.stem in RESERVED_NAMES:
        problems.append(Problem(shown, "(file name)", repr(path.name),
                                "lowercase letters, digits, - and _ (it names the page), "
                                f"not {', '.join(RESERVED_NAMES)}"))
    try:
        content = read_yaml(path)
    except InvalidInput as error:
        return None, problems + error.problems
    params = None
    try:
        params = ParamsFile.model_validate(content)
    except pydantic.ValidationError as error:
        problems += from_pydantic(shown, error)
    # A misspelt key elsewhere in the file should not hide what is wrong with the parameters.
    written, given = content.get("notebook"), content.get("parameters", {})
    notebook = None
    if isinstance(written, str) and written.strip() and isinstance(given, dict):
        notebook, found = _notebook_path(written.strip(), root, shown)
        problems += found
    if notebook is not None:
        if notebooks is None:
            notebooks = {}
        if notebook not in notebooks:
            notebooks[notebook], found = declared_parameters(notebook, cache)
            problems += found
        declared = notebooks[notebook]
        if declared is not None:
            problems += check_parameters(given, declared, shown, territories)
    if problems or params is None or notebook is None:
        return None, problems
    return Dashboard(path.stem, path, notebook, params.parameters, params.title,
                     params.summary), []


def _notebook_path(written: str, root: Path, shown: str) -> tuple[Path | None, list[Problem]]:
    available = sorted(p.relative_to(root).as_posix() for p in root.glob("notebooks/*.ipynb"))
    allowed = ("a notebook path from the project root, one of: "
               + (", ".join(available) or "none: notebooks/ holds no .ipynb"))
    relative = Path(written)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".ipynb":
        return None, [Problem(shown, "notebook", repr(written), allowed)]
    notebook = root / relative
    if not notebook.is_file():
        return None, [Problem(shown, "notebook", f"{written!r}, which does not exist", allowed)]
    return notebook, []


# What papermill read, by notebook bytes, for the life of the process (a validation of each
# project copy of the tests, a build's check then its index).
_INSPECTED: dict[str, tuple[dict[str, Declared] | None, list[Problem]]] = {}


def declared_parameters(notebook: Path, cache: Path | None = None,
                        ) -> tuple[dict[str, Declared] | None, list[Problem]]:
    """The parameters a notebook declares, as papermill's `inspect_notebook` reads them.

    `cache`: a JSON file keeping what papermill read, by the notebook's bytes, so that a
    build with nothing to do does not import papermill (about 2 s) to learn it again.

    Examples
    --------
    >>> declared, problems = declared_parameters(Path("notebooks/territory_profile.ipynb"))
    >>> declared["territory"].type_name
    'str'
    """
    key = f"{hashlib.sha256(notebook.read_bytes()).hexdigest()} papermill " \
          f"{importlib.metadata.version('papermill')}" if notebook.is_file() else None
    if key in _INSPECTED:
        declared, problems = _INSPECTED[key]
        return (None if declared is None else dict(declared)), list(problems)
    known = _read_cache(cache)
    if key in known and not _valid_rows(known[key]):
        # A damaged entry: discarded, read again from the notebook and written back whole.
        print(f"{display_path(cache)}: the entry of {display_path(notebook)} is damaged: "
              "discarded, the notebook's parameters are read again.", file=sys.stderr)
        del known[key]
    if key in known:
        return {row[0]: Declared(row[0], _type_name(row[1]), _default(row[2]), row[3], row[2])
                for row in known[key]}, []
    declared, problems = _inspect(notebook)
    if key is not None:
        _INSPECTED[key] = (declared, problems)
    # Only beside outputs the build made: a check that finds problems writes nothing.
    if cache is not None and declared is not None and cache.parent.is_dir():
        rows = [[d.name, d.type_name or "None", d.written, d.help] for d in declared.values()]
        write_atomic(cache, json.dumps({**known, key: rows}, indent=0) + "\n")
    return declared, problems


def _read_cache(cache: Path | None) -> dict[str, list]:
    """What the cache holds; nothing when it is absent, or damaged (then said, and rebuilt)."""
    if cache is None or not cache.exists():
        return {}
    try:
        content = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(content, dict):
            return content
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        pass
    print(f"{display_path(cache)} is damaged: discarded, written again from the notebooks.",
          file=sys.stderr)
    return {}


def _valid_rows(rows: object) -> bool:
    return isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == 4 and all(isinstance(part, str) for part in row)
        for row in rows)


def _inspect(notebook: Path) -> tuple[dict[str, Declared] | None, list[Problem]]:
    import nbformat
    from papermill.translators import papermill_translators

    shown = display_path(notebook)
    try:
        content = nbformat.read(notebook, as_version=4)
        cells = list(content.cells)
    except Exception as error:  # nbformat raises JSON, schema and encoding errors alike
        return None, [Problem(shown, "(file)", f"not a notebook ({type(error).__name__})",
                              "a Jupyter notebook (JSON with a cells list)")]
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            # papermill skips what it cannot read; a cell that is not Python would then
            # look like a notebook without parameters, so it is refused here first.
            try:
                compile(cell.source, shown, "exec")
            except SyntaxError as error:
                return None, [Problem(shown, f"cells[{index}] (tagged parameters)",
                                      f"Python that does not parse ({error.msg})",
                                      "lines `name: type = default  # help`")]
            # What papermill.inspect_notebook does, with the kernel the build runs when the
            # notebook names none (inspect_notebook would refuse such a notebook).
            kernel = content.metadata.get("kernelspec", {}).get("name") or KERNEL_NAME
            language = content.metadata.get("kernelspec", {}).get("language") or "python"
            translator = papermill_translators.find_translator(kernel, language)
            return {found.name: Declared(found.name, _type_name(found.inferred_type_name),
                                         _default(found.default), found.help, found.default)
                    for found in translator.inspect(cell)}, []
    return {}, []


def _type_name(inferred: str) -> str | None:
    # papermill writes the string "None" for a parameter without annotation
    return None if inferred in ("None", "") else inferred


def _default(written: str) -> object:
    try:
        return ast.literal_eval(written)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def check_parameters(given: dict[str, Any], declared: dict[str, Declared], shown: str,
                     territories: list[str]) -> list[Problem]:
    """Each given parameter is declared, of the declared type, and names things that exist."""
    problems = []
    names = ", ".join(declared) or "none: the notebook has no cell tagged parameters"
    for name, value in given.items():
        field = f"parameters.{name}"
        if name not in declared:
            problems.append(Problem(shown, field, "a parameter the notebook does not declare",
                                    f"a parameter of its cell tagged parameters: {names}"))
            continue
        expected = declared_type(declared[name])
        if expected is not None:
            try:
                pydantic.TypeAdapter(expected).validate_python(value, strict=True)
            except pydantic.ValidationError as error:
                declared_as = f"the notebook declares {name}: {_shown_type(declared[name])}"
                problems += [Problem(shown, p.field, p.found, f"{p.allowed} ({declared_as})")
                             for p in from_pydantic(shown, error, prefix=field)]
                continue
        problems += _check_ids(name, value, field, shown, territories)
    return problems


def _shown_type(declared: Declared) -> str:
    return declared.type_name or f"{type(declared.default).__name__}, from its default"


# What a parameter names, told by its name: `territory`, `compare_territories`, `indicators`...
_VOCABULARIES = (
    (("territory",), ("territories",), "a territory id of data/profiles"),
    (("indicator",), ("indicators",), "an indicator id of essbench/evidence/registry.py"),
    (("lang",), ("langs",), "a language"),
)


def _check_ids(name: str, value: Any, field: str, shown: str,
               territories: list[str]) -> list[Problem]:
    known = {
        "a territory id of data/profiles": territories,
        "an indicator id of essbench/evidence/registry.py": list(registry.INDICATORS),
        "a language": list(LANGUAGES),
    }
    for singular, plural, what in _VOCABULARIES:
        if _named(name, singular):
            items = [(field, value)]
        elif _named(name, plural) and isinstance(value, list):
            items = [(f"{field}[{index}]", item) for index, item in enumerate(value)]
        else:
            continue
        allowed = known[what]
        return [Problem(shown, where, shorten(item), f"{what}: {', '.join(allowed) or 'none'}")
                for where, item in items if item not in allowed]
    return []


def _named(name: str, words: tuple[str, ...]) -> bool:
    return any(name == word or name.endswith(f"_{word}") for word in words)


# The annotations a params file can be checked against, by papermill's type name. A notebook
# may declare others: those parameters are checked for their ids only.
_SCALARS: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
_TYPES: dict[str, object] = {
    **_SCALARS, "list": list, "dict": dict, "Any": Any, "object": object,
    **{f"list[{name}]": list[kind] for name, kind in _SCALARS.items()},
    **{f"dict[str, {name}]": dict[str, kind] for name, kind in _SCALARS.items()},
}


def declared_type(declared: Declared) -> object | None:
    """The Python type of a declared parameter, or None when it cannot be checked.

    Examples
    --------
    >>> declared_type(Declared("year", "int", 2020, ""))
    <class 'int'>
    """
    if declared.type_name is None:
        kind = type(declared.default)
        return kind if kind in (str, int, float, bool, list, dict) else None
    name = " ".join(declared.type_name.replace("typing.", "").split()).replace("List[", "list[")
    optional = re.fullmatch(r"Optional\[(.+)\]|(.+?) ?\| ?None|None ?\| ?(.+)", name)
    if optional:
        inner = _TYPES.get(next(group for group in optional.groups() if group))
        return None if inner is None else inner | None  # type: ignore[operator]
    return _TYPES.get(name)
