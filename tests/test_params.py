"""Params files: every mistake is reported with its file, its field, what was found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from essbench.build.params import declared_parameters, declared_type, load_dashboards
from essbench.evidence.problems import InvalidInput

REPO = Path(__file__).resolve().parent.parent

PARAMETERS_CELL = '''territories: list = ["grasse", "gpsea"]  # territory ids
indicators: list[str] = ["ess_employees"]  # indicator ids
map_indicator: str = "ess_employees"  # indicator shown on the map
lang: str = "fr"  # fr or en
year: int = 2020
ratio: float = 0.5
show_sources: bool = True
untyped = 3
'''


def write_notebook(path: Path, parameters: str | None = PARAMETERS_CELL,
                   kernelspec: bool = True) -> Path:
    """A minimal notebook, with a cell tagged parameters when `parameters` is given."""
    cells = [{"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Stub"}]
    if parameters is not None:
        cells.insert(0, {"cell_type": "code", "id": "params", "execution_count": None,
                         "metadata": {"tags": ["parameters"]}, "outputs": [],
                         "source": parameters})
    metadata = {"kernelspec": {"name": "python3", "language": "python",
                               "display_name": "Python 3"}} if kernelspec else {}
    content = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project root with one notebook, two territory profiles and an empty params folder."""
    write_notebook(tmp_path / "notebooks" / "compare.ipynb")
    (tmp_path / "data" / "profiles").mkdir(parents=True)
    for territory in ("grasse", "gpsea"):
        (tmp_path / "data" / "profiles" / f"{territory}.yaml").write_text("id: x\n")
    (tmp_path / "params").mkdir()
    return tmp_path


def write_params(root: Path, name: str, text: str) -> Path:
    path = root / "params" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


VALID = """\
notebook: notebooks/compare.ipynb
title: Comparaison – essai
summary: Les territoires comparés.
parameters:
  territories: [grasse, gpsea]
  indicators: [ess_employees, ess_budget_eur]
  map_indicator: ess_employees
  lang: fr
"""


def problems_of(root: Path, names: list[str] | None = None) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_dashboards(root, names)
    return [str(problem) for problem in caught.value.problems]


def only_problem(root: Path) -> str:
    problems = problems_of(root)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_valid_file_gives_a_dashboard_named_after_the_file(root):
    write_params(root, "compare", VALID)
    [dashboard] = load_dashboards(root)
    assert dashboard.name == "compare"
    assert dashboard.notebook == root / "notebooks" / "compare.ipynb"
    assert dashboard.parameters["territories"] == ["grasse", "gpsea"]
    assert dashboard.title == "Comparaison – essai"


def test_unknown_territory(root):
    write_params(root, "compare", VALID.replace("[grasse, gpsea]", "[grasse, nice]"))
    message = only_problem(root)
    assert "params/compare.yaml: parameters.territories[1]: found 'nice'" in message
    assert "a territory id of data/profiles: gpsea, grasse" in message


def test_unknown_territory_in_a_single_territory_parameter(root):
    write_notebook(root / "notebooks" / "profile.ipynb", 'territory: str = "grasse"\n')
    write_params(root, "one", "notebook: notebooks/profile.ipynb\ntitle: T\nsummary: S\n"
                 "parameters: {territory: grase}\n")
    message = only_problem(root)
    assert "params/one.yaml: parameters.territory: found 'grase'" in message


def test_unknown_indicator(root):
    write_params(root, "compare", VALID.replace("map_indicator: ess_employees",
                                                "map_indicator: ess_jobs"))
    message = only_problem(root)
    assert "params/compare.yaml: parameters.map_indicator: found 'ess_jobs'" in message
    assert "ess_employees" in message


def test_unknown_indicator_in_a_list(root):
    write_params(root, "compare", VALID.replace("ess_budget_eur]", "budget]"))
    assert "params/compare.yaml: parameters.indicators[1]: found 'budget'" in only_problem(root)


@pytest.mark.parametrize("written, field, declared", [
    ("territories: grasse", "parameters.territories", "list"),
    ("indicators: [ess_employees, 3]", "parameters.indicators[1]", "list[str]"),
    ("year: '2020'", "parameters.year", "int"),
    ("year: true", "parameters.year", "int"),
    ("show_sources: 'yes'", "parameters.show_sources", "bool"),
    ("untyped: three", "parameters.untyped", "int, from its default"),
])
def test_wrong_type(root, written, field, declared):
    name = written.split(":")[0]
    kept = [line for line in VALID.splitlines() if not line.startswith(f"  {name}:")]
    write_params(root, "compare", "\n".join(kept) + f"\n  {written}\n")
    message = only_problem(root)
    assert message.startswith(f"{write_path(root)}: {field}: found ")
    assert f"declares {field.split('.')[1].split('[')[0]}: {declared}" in message


def write_path(root: Path) -> str:
    return str(root / "params" / "compare.yaml")


def test_an_int_is_a_float(root):
    write_params(root, "compare", VALID + "  ratio: 1\n")
    assert load_dashboards(root)[0].parameters["ratio"] == 1


def test_missing_notebook(root):
    write_params(root, "compare", VALID.replace("compare.ipynb", "comparison.ipynb"))
    message = only_problem(root)
    assert "params/compare.yaml: notebook: found 'notebooks/comparison.ipynb', which does not" \
        in message
    assert "notebooks/compare.ipynb" in message


@pytest.mark.parametrize("path", ["/etc/passwd.ipynb", "../outside.ipynb", "notebooks/x.py"])
def test_notebook_outside_the_project_or_not_a_notebook(root, path):
    write_params(root, "compare", VALID.replace("notebooks/compare.ipynb", path))
    assert "params/compare.yaml: notebook: found" in only_problem(root)


def test_parameter_the_notebook_does_not_declare(root):
    write_params(root, "compare", VALID + "  colour: red\n")
    message = only_problem(root)
    assert "params/compare.yaml: parameters.colour: found a parameter the notebook" in message
    assert "territories, indicators, map_indicator, lang" in message


def test_notebook_without_parameters_cell(root):
    write_notebook(root / "notebooks" / "compare.ipynb", parameters=None)
    write_params(root, "compare", VALID)
    problems = problems_of(root)
    assert len(problems) == 4
    assert all("the notebook has no cell tagged parameters" in p for p in problems)


def test_unknown_key(root):
    write_params(root, "compare", VALID + "colour: red\n")
    message = only_problem(root)
    assert "params/compare.yaml: colour: found 'red'" in message
    assert "no such key" in message


def test_missing_title(root):
    write_params(root, "compare", VALID.replace("title: Comparaison – essai\n", ""))
    assert "params/compare.yaml: title: found nothing" in only_problem(root)


def test_invalid_yaml(root):
    write_params(root, "compare", VALID + "  lang: [fr\n")
    message = only_problem(root)
    assert message.startswith(f"{write_path(root)}: line ")
    assert "invalid YAML" in message


def test_invalid_lang(root):
    write_params(root, "compare", VALID.replace("lang: fr", "lang: de"))
    assert "params/compare.yaml: parameters.lang: found 'de'" in only_problem(root)


def test_problems_of_all_files_are_reported_together(root):
    write_params(root, "a", VALID.replace("lang: fr", "lang: de"))
    write_params(root, "b", VALID + "colour: red\n")
    write_params(root, "c", VALID)
    problems = problems_of(root, ["c"])
    assert len(problems) == 2
    assert "params/a.yaml" in problems[0] and "params/b.yaml" in problems[1]


def test_reserved_or_unusable_page_names(root):
    write_params(root, "index", VALID)
    write_params(root, "Grasse Ouest", VALID)
    problems = problems_of(root)
    assert len(problems) == 2
    assert all("(file name)" in problem for problem in problems)


def test_unknown_dashboard_name(root):
    write_params(root, "compare", VALID)
    [message] = problems_of(root, ["comparre"])
    assert "params/comparre.yaml: (file): found no params file for the dashboard 'comparre'" \
        in message
    assert "compare" in message


def test_yml_files_are_not_silently_ignored(root):
    write_params(root, "compare", VALID)
    (root / "params" / "other.yml").write_text(VALID)
    assert "params/other.yml: (file name)" in only_problem(root)


def test_empty_params_folder(root):
    assert "params: (folder): found no params file" in only_problem(root)


def test_declared_parameters_are_papermills(root):
    import papermill

    notebook = root / "notebooks" / "compare.ipynb"
    declared, problems = declared_parameters(notebook)
    assert problems == []
    assert list(declared) == list(papermill.inspect_notebook(str(notebook)))
    assert list(declared) == ["territories", "indicators", "map_indicator", "lang", "year",
                              "ratio", "show_sources", "untyped"]
    assert declared["territories"].type_name == "list"
    assert declared["territories"].default == ["grasse", "gpsea"]
    assert declared["territories"].help == "territory ids"
    assert declared["untyped"].type_name is None
    assert declared_type(declared["untyped"]) is int
    assert declared_type(declared["indicators"]) == list[str]


@pytest.mark.parametrize("annotation, expected", [
    ("Optional[int]", int | None), ("str | None", str | None), ("list[str]", list[str]),
    ("typing.List[str]", list[str]), ("MyType", None),
])
def test_declared_types_checked_by_name(annotation, expected):
    from essbench.build.params import Declared

    assert declared_type(Declared("x", annotation, None, "")) == expected


def test_a_notebook_naming_no_kernel_is_read_as_the_build_runs_it(root):
    write_notebook(root / "notebooks" / "compare.ipynb", kernelspec=False)
    declared, problems = declared_parameters(root / "notebooks" / "compare.ipynb")
    assert problems == [] and "territories" in declared


def test_a_string_where_a_list_is_expected_is_refused(root):
    write_params(root, "compare", VALID.replace("[grasse, gpsea]", "grasse"))
    message = only_problem(root)
    assert "parameters.territories: found 'grasse'" in message
    assert "list" in message


def test_a_string_for_an_untyped_list_default_is_refused(root):
    write_notebook(root / "notebooks" / "compare.ipynb", 'territories = ["grasse"]\n')
    write_params(root, "compare", "notebook: notebooks/compare.ipynb\ntitle: T\nsummary: S\n"
                 "parameters: {territories: grasse}\n")
    assert "parameters.territories: found 'grasse'" in only_problem(root)


def test_a_file_that_is_not_a_notebook(root):
    (root / "notebooks" / "compare.ipynb").write_text("{not json", encoding="utf-8")
    write_params(root, "compare", VALID)
    assert "notebooks/compare.ipynb: (file): found not a notebook" in only_problem(root)


def test_a_parameters_cell_that_does_not_parse(root):
    write_notebook(root / "notebooks" / "compare.ipynb", "territory: str = \n")
    write_params(root, "compare", VALID)
    message = only_problem(root)
    assert "notebooks/compare.ipynb: cells[0] (tagged parameters): found Python that does " \
        "not parse" in message


def test_the_project_params_files_are_valid():
    names = {dashboard.name for dashboard in load_dashboards(REPO)}
    assert names == {path.stem for path in (REPO / "params").glob("*.yaml")}
    assert {"compare", "compare_en", "grenoble_en"} <= names


def test_what_papermill_read_is_kept_by_the_notebooks_bytes(root, monkeypatch):
    from essbench.build import params

    monkeypatch.setattr(params, "_INSPECTED", {})  # the disk cache alone, not the process's
    notebook, cache = root / "notebooks" / "compare.ipynb", root / "outputs" / "cache.json"
    cache.parent.mkdir()
    declared, _ = declared_parameters(notebook, cache)
    monkeypatch.setattr(params, "_inspect", lambda path: (_ for _ in ()).throw(
        AssertionError("papermill asked again")))
    assert declared_parameters(notebook, cache)[0] == declared
    write_notebook(notebook, 'territory: str = "grasse"\n')
    with pytest.raises(AssertionError, match="asked again"):
        declared_parameters(notebook, cache)
