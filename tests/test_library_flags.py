"""The library's flags mean what the data dictionary says, on made-up values (no real territory)."""

from __future__ import annotations

from essbench.evidence.profiles import Period
from essbench.library import columns
from essbench.library.tables import _period_columns
from essbench.values.judgement import When, when_of
from essbench.values.normalize import Code, Value, _ratio


def _value(indicator, number, period=None, year="unknown", qualifier="exact"):
    return Value("x_territory", indicator, number, year=year, period=period,
                 qualifier=qualifier, fact_id=f"{indicator}_fact")


BUDGET_2019 = _value("ess_budget_eur", 1_000_000.0, Period(start=2019), 2019)
JOBS_ABOUT_2016 = _value("ess_employees", 2_000.0, Period(start=2016, about=True))
POPULATION = Value("x_territory", "population", 50_000.0, derived=True,
                   inputs=("reference:population",),
                   derivation=Code.of("reference_perimeter", package="made-up 1.0"))


def test_a_year_given_roughly_has_no_year_and_an_about_flag():
    columns_ = _period_columns(when_of(JOBS_ABOUT_2016))
    assert columns_["year"] is None and columns_["about"] and not columns_["year_unknown"]
    assert (columns_["period_start"], columns_["period_end"]) == (2016, 2016)


def test_a_ratio_of_a_2019_budget_to_jobs_of_about_2016_claims_no_single_year():
    ratio = _ratio("x_territory", "ess_budget_per_ess_employee_eur", BUDGET_2019,
                   JOBS_ABOUT_2016)
    columns_ = _period_columns(when_of(ratio))
    assert columns_["year"] is None and columns_["about"]
    assert (columns_["period_start"], columns_["period_end"]) == (2016, 2019)
    assert not columns_["year_unknown"]


def test_a_ratio_over_an_undated_input_has_its_year_unknown():
    undated = _value("ess_employees", 2_000.0, Period(note="no date on the page"))
    ratio = _ratio("x_territory", "ess_budget_per_ess_employee_eur", BUDGET_2019, undated)
    assert _period_columns(when_of(ratio))["year_unknown"]


def test_the_population_of_an_unstated_vintage_leaves_the_budget_its_year():
    ratio = _ratio("x_territory", "ess_budget_per_inhabitant_eur", BUDGET_2019, POPULATION)
    columns_ = _period_columns(when_of(ratio))
    assert columns_["year"] == 2019 and not columns_["year_unknown"]


def test_an_undated_figure_says_the_year_it_is_of_at_the_latest():
    columns_ = _period_columns(When(None, None, bound=2020), "page undated")
    assert columns_["year_unknown"] and columns_["year_note"] == "page undated; no later than 2020"


def test_the_dictionary_says_how_each_flag_is_set():
    for name, (_, _, description) in columns.FLAGS.items():
        assert "True when" in description, name


def test_yardsticks_set_each_territory_beside_its_region_and_france(fixture_ess):
    table = fixture_ess.yardsticks("ess_employment_share", lang="en")
    assert len(table) and set(table["area"]) <= {"france", *fixture_ess.reference_area_ids}
    assert (table["base"].notna()).all()  # same base only: an unknown base is never matched
    for row in table.to_dict("records"):
        assert row["verdict"] in {"comparable", "comparable_with_note", "not_comparable"}
        # the reasons are there exactly when the verdict is not plain 'comparable'
        assert (row["verdict"] == "comparable") == (row["reasons"] is None or
                                                    row["reasons"] != row["reasons"])
        if row["period_start"] is not None and row["area_period_start"] is not None \
                and row["gap_years"] == row["gap_years"] and row["gap_years"]:
            assert "period_gap" in row["reasons"]
    words = fixture_ess.yardsticks("ess_employment_share", lang="fr")["verdict_text"]
    assert set(words) <= {"comparable", "à comparer avec prudence", "à ne pas comparer"}


def test_series_lists_every_dated_point_oldest_first(fixture_ess):
    table = fixture_ess.series("ess_employees")
    for _, points in table.groupby(["territory", "series"]):
        ends = points.sort_values("position")["period_end"].tolist()
        assert ends == sorted(ends)
    assert table["change"].isna().all() or table["change_text"].notna().any()
