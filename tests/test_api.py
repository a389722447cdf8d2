"""The library as a researcher reading only the README uses it: load, the tidy table, caveats as
columns, geography, offline maps and charts, and clear errors at every door.

The mechanisms are tested on the fixture project (tests/fixture_project.py: Ville-Témoin and
Val-Fictif); the README's own example runs on the real project, as a reader would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import essbench
from essbench.evidence import registry
from essbench.evidence import arguments as checks
from essbench.evidence.arguments import ArgumentTypeError, InvalidArgument
from tests.conftest import read_yaml, write_yaml

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["year_unknown", "approximate", "base_differs_from_yardstick", "scope_stated",
         "perimeter_uncertain"]


@pytest.fixture(scope="module")
def ess(fixture_ess):
    """essbench.load() of the fixture project (read only)."""
    return fixture_ess


@pytest.fixture(scope="module")
def facts(ess):
    return ess.facts()


# ---------------------------------------------------------------- entry point


@pytest.mark.integration  # a Python process of its own: the only way to see a clean import
def test_import_is_light_and_load_is_there():
    code = ("import sys, essbench; assert 'load' in dir(essbench); "
            "assert 'pandas' not in sys.modules, 'import essbench pulls pandas in'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert (ROOT / "essbench" / "py.typed").exists()


def test_load_finds_the_project_like_the_cli(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT / "notebooks")
    assert essbench.load().project.root == ROOT
    with pytest.raises(Exception, match="^root points at .* not an essbench project"):
        essbench.load(tmp_path)


def test_repr_is_short(ess):
    text = repr(ess)
    assert len(text) < 300, text
    assert "2 territories (fictif, temoin)" in text and "20 sourced facts" in text


def test_public_functions_have_numpy_docstrings_with_an_example(ess):
    from essbench import export

    public = [essbench.load, essbench.read_export, essbench.figure_notes, export.export,
              ess.facts, ess.levers, ess.themes, ess.programmes, ess.sources, ess.compare,
              ess.choropleth, type(ess).territories, type(ess).communes]
    for item in public:
        doc = (item.fget if isinstance(item, property) else item).__doc__
        assert doc and "Examples\n" in doc, f"{item} lacks an Examples section"


# ---------------------------------------------------------------- the tidy table


def test_facts_columns_are_typed(facts):
    assert facts["value"].dtype == "float64"
    for column in ("year", "period_start", "period_end"):
        assert facts[column].dtype == "Int64", column
    for column in ("is_headline", "derived", *FLAGS):
        assert facts[column].dtype == "boolean", column
    for column in ("unit", "base", "scope_nature", "scope_includes", "scope_excludes",
                   "qualifier", "geography_as_worded", "source", "evidence", "quote", "inputs",
                   "year_note", "reason"):
        assert facts[column].dtype == "string", column
    assert set(facts["evidence"].dropna()) <= {"quoted", "cited", "computed", "none"}


def test_every_sourced_fact_and_every_unknown_is_a_row(ess, facts, fixture_dataset):
    dataset = fixture_dataset
    sourced = facts[facts["evidence"].isin(["quoted", "cited"])]
    expected = sum(len(o.facts) for o in [*dataset.profiles.values(),
                                          *dataset.references.values()])
    assert len(sourced) == expected
    # one headline row per territory and registry indicator, known or not
    headline = facts[(facts["area_type"] == "territory") & facts["is_headline"]]
    assert not headline.duplicated(["territory", "indicator"]).any()
    assert len(headline) == len(dataset.profiles) * len(registry.INDICATORS)
    unknown = facts[facts["value"].isna()]
    assert len(unknown) and unknown["reason"].notna().all()
    assert ess.facts(include_unknown=False)["value"].notna().all()


def test_pivot_of_employment_share_by_territory_and_base(ess):
    share = ess.facts(indicators=["ess_employment_share"], latest_only=True)
    table = share.pivot(index="territory", columns="base", values="value")
    assert table.loc["temoin", "salaried_jobs"] == pytest.approx(0.12)  # 2022, not 2019
    assert table.loc["fictif", "all_jobs"] == pytest.approx(0.09)  # never the 40 % outlier
    assert pd.isna(table.loc["fictif", "salaried_jobs"])  # unknown stays unknown
    # yardsticks beside the territories, the latest of each
    assert table.loc["france", "salaried_jobs"] == pytest.approx(0.105)
    assert table.loc["region_temoin", "salaried_jobs"] == pytest.approx(0.10)


def test_latest_of_a_series():
    from essbench.library.tables import latest_of_series

    def row(fact, value, start=None, end=None, base="all_jobs", outlier=False, headline=False):
        return {"territory": "t", "indicator": "ess_employment_share", "base": base,
                "scope_nature": None, "scope_period": None, "evidence": "cited",
                "fact_id": fact, "value": value, "period_start": start,
                "period_end": end if end is not None else start, "outlier": outlier,
                "is_headline": headline}

    table = pd.DataFrame([
        row("y2019", 0.10, 2019), row("y2023", 0.11, 2023), row("y2021", 0.12, 2021),
        row("odd", 0.25, 2024, outlier=True), row("span", 0.09, 2016, 2022),
        row("a", 0.10, base="salaried_jobs"), row("b", 0.12, base="salaried_jobs"),
        row("c", 0.13, base="ess_jobs"),
        {**row("computed", 1.0), "evidence": "computed", "indicator": "x"},
    ]).astype({"period_start": "Int64", "period_end": "Int64"})
    latest = set(table.loc[latest_of_series(table), "fact_id"])
    # the latest year; undated rows that disagree tie (none); a lone undated one is latest
    assert latest == {"y2023", "c", "computed"}


def test_headline_only_gives_one_row_per_territory_and_indicator(ess):
    table = ess.facts(["temoin"], ["ess_employment_share"], headline_only=True)
    assert len(table) == 1 and table.loc[0, "fact_id"] == "share_2022"
    # a single-fact indicator is its own headline: filtering never drops budgets
    budgets = ess.facts(indicators=["ess_budget_eur"], headline_only=True,
                        include_unknown=False)
    assert list(budgets["territory"]) == ["temoin"]


def test_budget_per_inhabitant_with_its_caveats_as_columns(ess):
    table = ess.facts(indicators=["ess_budget_per_inhabitant_eur"]).set_index("territory")
    temoin = table.loc["temoin"]
    assert temoin["value"] == pytest.approx(1_200_000 / 50_000)
    assert temoin["derived"] and temoin["evidence"] == "computed"
    assert temoin["scope_stated"]  # the budget's scope, inherited
    assert temoin["scope_excludes"] == "frais de personnel"
    assert temoin["inputs"] == "ess_budget_eur:budget_2023;reference:population"
    fictif = table.loc["fictif"]
    assert pd.isna(fictif["value"])
    assert fictif["reason"] == "input_unknown: indicators=ess_budget_eur"
    assert fictif["reason_text"]
    assert pd.isna(fictif["approximate"])  # no value: no caveat either way


def test_ratios_inherit_geography_as_worded(ess):
    row = ess.facts(["fictif"], ["ess_employees_per_1000_inhabitants"]).iloc[0]
    assert row["perimeter_uncertain"] and row["geography_as_worded"] == "tout le val"
    assert not ess.facts(["temoin"], ["ess_employees_per_1000_inhabitants"]).iloc[0][
        "perimeter_uncertain"]


def test_an_approximate_figure_is_approximate_an_exact_one_not(ess):
    share = ess.facts(["fictif"], ["ess_employment_share"], headline_only=True).iloc[0]
    assert share["qualifier"] == "approximately" and share["approximate"]
    exact = ess.facts(["temoin"], ["ess_employment_share"], headline_only=True).iloc[0]
    assert exact["qualifier"] == "exact" and not exact["approximate"]
    every = ess.facts(include_unknown=False)
    known = every[every["evidence"] != "computed"]
    assert (known["approximate"] == (known["qualifier"] != "exact")).all()


def _edit(path: Path, change) -> None:
    content = read_yaml(path)
    change(content)
    write_yaml(path, content)


def test_approximate_comes_from_the_qualifier_only_and_ratios_inherit_it(fixture_copy):
    def rounded_note(profile):
        # An exact figure whose note says "ordre de grandeur" stays exact.
        for fact in profile["facts"]:
            if fact["id"] == "jobs_2022":
                fact["note"] = "Ordre de grandeur arrondi."

    def approximate_jobs(profile):
        for fact in profile["facts"]:
            if fact["id"] == "jobs_2022":
                fact.update(qualifier="approximately", as_written="environ 1 500")
                fact["quote"] = "environ 1 500 en 2022"

    def all_jobs_yardstick(area):
        area["facts"].append({**area["facts"][0], "id": "share_all_jobs", "base": "all_jobs"})

    _edit(fixture_copy / "data" / "profiles" / "temoin.yaml", rounded_note)
    before = essbench.load(fixture_copy)
    jobs = before.facts(["temoin"], ["ess_employees"], headline_only=True).iloc[0]
    assert jobs["qualifier"] == "exact" and not jobs["approximate"]
    assert not before.facts(["temoin"], ["ess_employees_per_1000_inhabitants"]).iloc[0][
        "approximate"]
    share = before.facts(["fictif"], ["ess_employment_share"], headline_only=True).iloc[0]
    assert share["base"] == "all_jobs" and share["base_differs_from_yardstick"]
    page = fixture_copy / "data" / "sources" / "temoin_page.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("1 500 en 2022",
                                                             "environ 1 500 en 2022"),
                    encoding="utf-8")
    _edit(fixture_copy / "data" / "sources" / "sources.yaml", lambda entries: entries[0].update(
        sha256=__import__("hashlib").sha256(page.read_bytes()).hexdigest()))
    _edit(fixture_copy / "data" / "profiles" / "temoin.yaml", approximate_jobs)
    _edit(fixture_copy / "data" / "references" / "france.yaml", all_jobs_yardstick)
    ess = essbench.load(fixture_copy)
    ratio = ess.facts(["temoin"], ["ess_employees_per_1000_inhabitants"]).iloc[0]
    assert ratio["approximate"]
    share = ess.facts(["fictif"], ["ess_employment_share"], headline_only=True).iloc[0]
    assert share["base"] == "all_jobs" and not share["base_differs_from_yardstick"]


def test_labels_follow_lang(ess):
    en = ess.facts(["temoin"], ["ess_budget_eur"], lang="en").iloc[0]
    fr = ess.facts(["temoin"], ["ess_budget_eur"]).iloc[0]
    assert en["indicator_label"] == "ESS policy budget"
    assert fr["indicator_label"] == "Budget consacré à l'ESS"


# ---------------------------------------------------------------- other tables, geography


def test_territories_and_communes_are_geodataframes(ess):
    import geopandas as gpd

    territories = ess.territories
    assert isinstance(territories, gpd.GeoDataFrame) and territories.crs == "EPSG:4326"
    assert list(territories["territory"]) == ess.territory_ids
    assert territories["population"].dtype == "Int64"
    # what the reference's manifest says (the fixture's is made up)
    assert territories.attrs["population_year"] == 2021
    assert (territories.attrs["package"], territories.attrs["package_version"]) == ("fixture",
                                                                                    "0.0.0")
    temoin = territories.set_index("territory").loc["temoin"]
    assert temoin["population"] == 50_000 and temoin["ess_budget_eur"] == 1_200_000
    assert temoin["ess_employment_share_base"] == "salaried_jobs"
    assert pd.isna(territories.set_index("territory").loc["fictif", "ess_budget_eur"])
    communes = ess.communes
    assert isinstance(communes, gpd.GeoDataFrame) and communes.crs == "EPSG:4326"
    assert {"territory", "insee", "name", "population", "departement_code"} <= set(communes)
    assert communes.attrs["package_version"] == territories.attrs["package_version"]
    communes["mine"] = 1  # a copy: the next call is unchanged
    assert "mine" not in ess.communes


def test_levers_themes_programmes_sources(ess):
    levers = ess.levers(["temoin"], lang="en")
    assert set(levers["territory"]) == {"temoin"} and levers["quote"].notna().all()
    assert levers["lever_label"].isin([v["en"] for v in registry.LEVERS.values()]).all()
    assert not ess.themes().empty
    programmes = ess.programmes()
    assert {"period", "action"} <= set(programmes["part"])
    assert programmes["period_start"].dtype == "Int64"
    sources = ess.sources()
    assert sources["date_published"].dtype.kind == "M"
    assert set(sources["evidence"]) <= {"quoted", "cited"}


def test_lever_and_theme_rows_carry_the_pages_count(fixture_copy):
    """A library row says what the pages say of a lever: its status, and whether it is counted
    among the levers implemented (done only)."""
    from essbench.values.judgement import done_count

    path = fixture_copy / "data" / "profiles" / "temoin.yaml"
    profile = read_yaml(path)
    profile["levers"][0]["status"] = "done"
    profile["levers"][1]["status"] = "planned"
    profile["themes"][0]["status"] = "ended"
    write_yaml(path, profile)
    ess = essbench.load(fixture_copy)
    levers = ess.levers(["temoin"]).set_index("lever")
    assert levers.loc["network_animation", ["implementation", "counted"]].tolist() == ["done", True]
    assert levers.loc["entrepreneurship_support", ["implementation", "counted"]].tolist() == [
        "planned", False]
    assert pd.isna(levers.loc["call_for_projects", "implementation"])
    assert not levers.loc["call_for_projects", "counted"]
    counted = levers[levers["counted"]].index.nunique()
    assert counted == done_count(ess.dataset, "temoin") == 1
    themes = ess.themes(["temoin"]).set_index("theme")
    assert themes.loc["waste_reuse", ["implementation", "counted"]].tolist() == ["ended", False]
    assert themes.loc["employment_inclusion", "implementation"] == "unknown"


def test_commune_map_of_one_territory_by_population_offline(ess):
    fig = ess.choropleth(ess.communes.query("territory == 'temoin'"), "population")
    spec = fig.to_dict()
    assert all(trace["type"] == "scatter" for trace in spec["data"])
    assert "geo" not in spec["layout"] and "mapbox" not in spec["layout"]
    text = json.dumps(spec)
    assert "topojson" not in text and "https://" not in text
    hover = " ".join(t for trace in spec["data"] for t in (trace.get("text") or [])
                     if isinstance(t, str))
    assert "Témoin-la-Ville" in hover and "Fictif-sur-Val" not in hover
    # the researcher's own column, and a categorical one
    communes = ess.communes.query("territory == 'fictif'").assign(big=lambda f: f.population
                                                                  > 10_000)
    assert [t.name for t in ess.choropleth(communes, "big").data if t.name] == ["False", "True"]
    by_budget = ess.choropleth("territories", "ess_budget_per_inhabitant_eur")
    # Val-Fictif has no budget: drawn as unknown, never as zero
    assert "unknown" in [t.name for t in by_budget.data]


def test_geopandas_plot_works(ess):
    import matplotlib

    matplotlib.use("Agg")
    axes = ess.communes.query("territory == 'temoin'").plot(column="population")
    assert len(axes.collections[0].get_paths()) == 4  # its four communes


def test_comparison_chart_for_two_territories(ess):
    fig = ess.compare("ess_employment_share", ["temoin", "fictif"], lang="en")
    notes = essbench.figure_notes(fig)
    assert notes["caption"].startswith("ESS share of employment")
    assert [row[:3] for row in notes["table"]["rows"][:2]] == [
        ["Ville-Témoin", "ESS share of employment", "12%"],
        ["Val-Fictif", "ESS share of employment", "about 9%"]]
    # English says what French says of the base: salaried or not, not stated.
    assert ("Different bases (Ville-Témoin: salaried jobs, Val-Fictif: all jobs (salaried or "
            "not, not stated)).") in notes["notes"]
    assert notes["notes"] == list(fig.notes) and notes["caption"] == fig.caption
    assert "geo" not in fig.figure.to_dict()["layout"] and fig.figure.layout.meta is None
    with pytest.raises(InvalidArgument, match="carries no notes"):
        essbench.figure_notes(fig.figure)


# ---------------------------------------------------------------- arguments checked


def test_unknown_id_is_named_with_close_matches_and_valid_list(ess):
    with pytest.raises(InvalidArgument) as error:
        ess.facts(["temoin", "temion"])
    message = str(error.value)
    assert "'temion'" in message and "did you mean 'temoin'" in message
    assert "fictif" in message
    with pytest.raises(InvalidArgument, match="did you mean 'ess_budget_eur'"):
        ess.facts(indicators=["ess_budget_euro"])
    with pytest.raises(InvalidArgument, match="temion"):
        ess.compare("ess_employees", ["temoin", "temion"])


def test_string_where_a_list_is_expected_is_refused(ess):
    with pytest.raises(ArgumentTypeError, match="expected a list"):
        ess.facts("temoin")
    with pytest.raises(TypeError):
        ess.levers("temoin")
    # what papermill's -p injects: the list as text
    with pytest.raises(ArgumentTypeError, match="-y"):
        checks.check_territories('["temoin", "fictif"]', ess.dataset.profiles)


def test_other_bad_arguments(ess):
    with pytest.raises(InvalidArgument, match="'de'.*'fr' or 'en'"):
        ess.facts(lang="de")
    with pytest.raises(InvalidArgument, match="empty"):
        ess.facts([])
    with pytest.raises(ArgumentTypeError, match="True or False"):
        ess.facts(headline_only="yes")
    with pytest.raises(InvalidArgument, match="did you mean 'population'"):
        ess.choropleth("communes", "populaton")
    with pytest.raises(InvalidArgument, match="did you mean 'communes'"):
        ess.choropleth("commune", "population")
    with pytest.raises(ArgumentTypeError, match="one indicator id"):
        ess.compare(["ess_employees"])
    with pytest.raises(InvalidArgument, match="territories\\[1\\] is int"):
        ess.facts(["temoin", 3])


def test_messages_are_english():
    for call in (lambda: checks.check_lang("de"),
                 lambda: checks.check_indicators(["x"]),
                 lambda: checks.check_territories("a", {"a"})):
        with pytest.raises(InvalidArgument) as error:
            call()
        text = str(error.value)
        assert not any(word in text for word in ("inconnu", "connus", "territoire", "indicateur"))


def test_check_functions_for_the_notebooks():
    """What the report layer calls with notebook parameters as they arrive."""
    valid = {"grenoble", "gpsea"}
    assert checks.check_territories(["gpsea", "grenoble", "gpsea"], valid) == ["gpsea",
                                                                                 "grenoble"]
    assert checks.check_territories(("gpsea",), valid) == ["gpsea"]
    assert checks.check_indicator("population") == "population"
    assert checks.check_lang("en") == "en"
    with pytest.raises(InvalidArgument):
        checks.check_territories(None, valid, allow_none=False)


# ---------------------------------------------------------------- notebooks through papermill


def _papermill(tmp_path: Path, notebook: str, parameters: dict) -> dict:
    import papermill
    out = tmp_path / notebook
    papermill.execute_notebook(str(ROOT / "notebooks" / notebook), str(out),
                               parameters=parameters, cwd=str(ROOT / "notebooks"),
                               kernel_name="python3", progress_bar=False)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.notebooks
def test_explore_notebook_runs_under_papermill_in_english(tmp_path):
    executed = _papermill(tmp_path, "explore.ipynb", {"lang": "en", "map_territory": "gpsea"})
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    shown = json.dumps(executed)
    assert "application/vnd.plotly.v1+json" in shown and "ESS share of employment" in shown


@pytest.mark.notebooks
def test_comparison_of_two_territories_in_english_through_papermill(tmp_path):
    executed = _papermill(tmp_path, "compare_territories.ipynb",
                          {"territories": ["grenoble", "gpsea"], "lang": "en"})
    assert executed["metadata"]["papermill"]["parameters"]["territories"] == ["grenoble",
                                                                             "gpsea"]
    assert executed["metadata"]["papermill"]["parameters"]["lang"] == "en"
    assert not any(o.get("output_type") == "error" for c in executed["cells"]
                   for o in c.get("outputs", []))


@pytest.mark.notebooks
def test_notebook_parameters_are_checked(tmp_path):
    import papermill
    with pytest.raises(papermill.PapermillExecutionError) as error:
        _papermill(tmp_path, "explore.ipynb", {"territories": ["grenoble", "grenble"]})
    assert "did you mean 'grenoble'" in error.value.evalue
    with pytest.raises(papermill.PapermillExecutionError) as error:
        _papermill(tmp_path, "explore.ipynb", {"territories": '["grenoble", "gpsea"]'})
    assert "expected a list" in error.value.evalue and "-y" in error.value.evalue
    with pytest.raises(papermill.PapermillExecutionError) as error:
        _papermill(tmp_path, "explore.ipynb", {"lang": "de"})
    assert "'fr' or 'en'" in error.value.evalue


def test_profile_ids_lets_a_page_check_before_loading(fixture_root):
    assert checks.profile_ids(fixture_root / "data" / "profiles") == ["fictif", "temoin"]


@pytest.mark.notebooks
def test_dashboard_notebook_parameters_are_checked_in_english(tmp_path):
    import papermill
    cases = [({"territories": '["grenoble", "gpsea"]'}, "expected a list"),
             ({"territories": ["grenoble", "grenble"]}, "did you mean 'grenoble'"),
             ({"lang": "de"}, "'fr' or 'en'"),
             ({"indicators": ["ess_budget_euro"]}, "did you mean 'ess_budget_eur'")]
    for parameters, expected in cases:
        with pytest.raises(papermill.PapermillExecutionError) as error:
            _papermill(tmp_path, "compare_territories.ipynb", parameters)
        assert expected in error.value.evalue, (parameters, error.value.evalue)


README_EXAMPLE = '''
import essbench

ess = essbench.load()                      # the project around the working folder
facts = ess.facts()                        # one tidy row per value; unknowns kept, with reason
share = ess.facts(indicators=["ess_employment_share"], latest_only=True)
share.pivot(index="territory", columns="base", values="value")    # one column per base
ratio = ess.facts(indicators=["ess_budget_per_inhabitant_eur"])
ratio[["territory", "value", "year_unknown", "approximate", "scope_stated", "perimeter_uncertain"]]
communes = ess.communes.query("territory == 'grasse'")             # a GeoDataFrame (EPSG:4326)
ess.choropleth(communes, "population")     # drawn from our own geometry: works offline
ess.compare("ess_employment_share", ["grenoble", "gpsea"], lang="en")
'''


def test_readme_example_runs_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ESSBENCH_ROOT", raising=False)
    exec(compile(README_EXAMPLE, "README", "exec"), {})
