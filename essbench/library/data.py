"""The researcher's entry point: `essbench.load()` and the tables, maps and charts it gives."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from essbench.evidence import registry
from essbench.geography.reference import GEO_CRS, load_communes
from essbench.figures.layout import Chart
from essbench.library import columns, plots, tables
from essbench.evidence.arguments import (
    InvalidArgument,
    check_flag,
    check_id,
    check_indicator,
    check_indicators,
    check_lang,
    check_territories,
)
from essbench.project import ProjectNotFound, find_project
from essbench.values.loaded import Loaded, load_project
from essbench.version import __version__


class Data:
    """Every profile, reference area and source of one project, with its reference geography.

    Made by :func:`essbench.load`; tables are built on first use and returned as copies, so a
    researcher may change them freely.

    Examples
    --------
    >>> import essbench
    >>> ess = essbench.load()  # doctest: +SKIP
    >>> ess.territory_ids  # doctest: +SKIP
    ['gpsea', 'grasse', 'grenoble', 'pas_de_calais']
    """

    def __init__(self, loaded: Loaded):
        # The pages' Context reads the same load (essbench.values.loaded): one set of values.
        self._loaded = loaded
        self.project = loaded.project
        self.dataset = loaded.dataset
        self.manifest = loaded.manifest
        self._facts_cache: dict[str, pd.DataFrame] = {}

    def __repr__(self) -> str:
        facts = sum(len(p.facts) for p in self.dataset.profiles.values())
        ids = self.territory_ids
        # Eight ids at most: a repr stays one short line at any number of territories.
        listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        return (f"<essbench data: {len(self.dataset.profiles)} territories "
                f"({listed}), {len(self.dataset.references)} reference "
                f"areas, {facts} sourced facts, {len(self.dataset.sources)} sources; "
                f"root {self.project.root}>")

    # ------------------------------------------------------------ ids

    @property
    def territory_ids(self) -> list[str]:
        """Ids of the territory profiles, sorted."""
        return sorted(self.dataset.profiles)

    @property
    def reference_area_ids(self) -> list[str]:
        """Ids of the reference areas (France, régions), sorted."""
        return sorted(self.dataset.references)

    def _territories(self, territories: Any, argument: str = "territories") -> list[str]:
        return check_territories(territories, self.dataset.profiles,
                                 argument=argument) or self.territory_ids

    # ------------------------------------------------------------ values

    @property
    def _values(self) -> dict[str, dict[str, Any]]:
        return self._loaded.values

    def _facts(self, lang: str) -> pd.DataFrame:
        if lang not in self._facts_cache:
            self._facts_cache[lang] = tables.facts_table(
                self.dataset, self._values, self.manifest, self.territory_ids, lang)
        return self._facts_cache[lang]

    def facts(self, territories: Sequence[str] | None = None,
              indicators: Sequence[str] | None = None, headline_only: bool = False,
              include_unknown: bool = True, lang: str = "fr",
              latest_only: bool = False) -> pd.DataFrame:
        """The one tidy table: every value of every territory and yardstick, with its caveats.

        One row per sourced fact (alternatives included), per value computed from the
        reference geography or other values, and per indicator no source gives (value empty,
        `reason` says why). Reference areas (France, régions) come with area_type
        'reference_area'. Caveats are boolean columns: year_unknown, approximate,
        base_differs_from_yardstick, scope_stated, perimeter_uncertain (empty where they do
        not apply); ratios inherit their inputs' caveats, scope and geography.

        Parameters
        ----------
        territories : list of str, optional
            Territory or reference area ids (default: all).
        indicators : list of str, optional
            Registry indicator ids (default: all).
        headline_only : bool
            Keep only the row shown for each territory and indicator (is_headline).
        include_unknown : bool
            Keep the rows of unknown values (value empty, with a reason).
        lang : {'fr', 'en'}
            Language of the label columns.
        latest_only : bool
            Keep only the latest value of each series (is_latest): one row per territory,
            indicator and base, so that a pivot by base never meets duplicates.

        Returns
        -------
        pandas.DataFrame
            Columns documented in the export's data_dictionary.csv.

        Examples
        --------
        >>> import essbench
        >>> ess = essbench.load()  # doctest: +SKIP
        >>> share = ess.facts(indicators=["ess_employment_share"], latest_only=True)  # doctest: +SKIP
        >>> share.pivot(index="territory", columns="base", values="value")  # doctest: +SKIP
        """
        lang = check_lang(lang)
        owners = check_territories(territories, {**self.dataset.profiles,
                                                 **self.dataset.references})
        indicators = check_indicators(indicators)
        check_flag(headline_only, argument="headline_only")
        check_flag(include_unknown, argument="include_unknown")
        check_flag(latest_only, argument="latest_only")
        table = self._facts(lang)
        keep = pd.Series(True, index=table.index)
        if owners is not None:
            keep &= table["territory"].isin(owners)
        if indicators is not None:
            keep &= table["indicator"].isin(indicators)
        if headline_only:
            keep &= table["is_headline"].fillna(False)
        if latest_only:
            keep &= table["is_latest"].fillna(False)
        if not include_unknown:
            keep &= table["value"].notna()
        return table[keep].reset_index(drop=True)

    def yardsticks(self, indicator: str, territories: Sequence[str] | None = None,
                   lang: str = "fr") -> pd.DataFrame:
        """Each territory's headline value beside its région's and France's, same base only.

        One row per territory and yardstick: both values, both periods, the gap in years, and
        the judgement the pages show (verdict, reason codes and words). A territory whose value
        is unknown, or with no yardstick on its base, has no row.

        Examples
        --------
        >>> essbench.load().yardsticks("ess_employment_share")  # doctest: +SKIP
        """
        indicator = check_indicator(indicator)
        lang = check_lang(lang)
        return tables.yardsticks_table(self.dataset, self._values, indicator,
                                       self._territories(territories), lang)

    def series(self, indicator: str, territories: Sequence[str] | None = None,
               lang: str = "fr") -> pd.DataFrame:
        """Every dated value of one indicator, by series (base, budget nature and spread),
        oldest first, with where a series changes what it measures.

        `territories` may name reference areas (france, a région) too.

        Examples
        --------
        >>> essbench.load().series("call_for_projects_eur", ["gpsea"])  # doctest: +SKIP
        """
        indicator = check_indicator(indicator)
        lang = check_lang(lang)
        owners = check_territories(territories, {**self.dataset.profiles,
                                                 **self.dataset.references})
        return tables.series_table(self.dataset, indicator, owners or self.territory_ids, lang)

    # ------------------------------------------------------------ geography

    @functools.cached_property
    def _geography_attrs(self) -> dict:
        population = self.manifest.get("population", {})
        source = self.manifest.get("source", {})
        return {"population_year": population.get("year", "unknown"),
                "population_year_note": population.get("year_note"),
                "package": source.get("package"), "package_version": source.get("version"),
                "crs": GEO_CRS, "essbench_version": __version__}

    @functools.cached_property
    def _territories_frame(self) -> gpd.GeoDataFrame:
        rows = []
        reference = self._loaded.reference.set_index("territory_id")
        for tid in self.territory_ids:
            profile = self.dataset.profiles[tid]
            ref = reference.loc[tid] if tid in reference.index else {}
            row = {"territory": tid, "name": profile.names.short,
                   "official_name": profile.names.official, "kind": profile.kind,
                   "kind_label": registry.TERRITORY_KINDS[profile.kind]["fr"],
                   "siren": None if profile.codes.siren == "unknown" else profile.codes.siren,
                   "insee": None if profile.codes.insee == "unknown" else profile.codes.insee,
                   "departement": profile.codes.departement, "region_code": profile.codes.region,
                   "region_name": ref.get("region_name"), "population": ref.get("population"),
                   "area_km2": ref.get("area_km2"), "communes_count": ref.get("communes_count")}
            for indicator in columns.HEADLINE_INDICATORS:
                value = self._values[tid][indicator]
                row[indicator] = value.value
                if registry.INDICATORS[indicator].bases:
                    row[f"{indicator}_base"] = value.base if value.value is not None else None
            rows.append(row)
        perimeters = self._loaded.geometry.perimeters.dissolve(by="territory_id")
        frame = pd.DataFrame(rows)
        frame["geometry"] = frame["territory"].map(perimeters.geometry)
        return self._geoframe(frame, "territories")

    @property
    def territories(self) -> gpd.GeoDataFrame:
        """One row per territory: identity, reference geography, headline values, perimeter.

        `.attrs` gives the population's vintage (``population_year``, 'unknown' when the
        reference package does not state it) and the reference package and version.

        Examples
        --------
        >>> ess = essbench.load()  # doctest: +SKIP
        >>> ess.territories[["name", "population", "ess_budget_per_inhabitant_eur"]]  # doctest: +SKIP
        """
        return self._territories_frame.copy()

    @functools.cached_property
    def _communes_frame(self) -> gpd.GeoDataFrame:
        shapes = self._loaded.geometry.communes.rename(columns={"territory_id": "territory"})
        table = load_communes(self.project.geography).rename(
            columns={"territory_id": "territory"})
        shapes = shapes.merge(table[["territory", "insee", "departement_code"]],
                              on=["territory", "insee"], how="left")
        shapes["former_perimeter"] = shapes["former_perimeter"].replace("", None)
        return self._geoframe(shapes, "communes")

    def _geoframe(self, frame: pd.DataFrame, table: str) -> gpd.GeoDataFrame:
        """The table's typed columns, its geometry, and the reference geography in `.attrs`."""
        out = gpd.GeoDataFrame(columns.typed(frame, table), geometry="geometry", crs=GEO_CRS)
        out.attrs.update(self._geography_attrs)
        return out

    @property
    def communes(self) -> gpd.GeoDataFrame:
        """One row per commune of each territory's perimeter, with its population.

        Examples
        --------
        >>> ess = essbench.load()  # doctest: +SKIP
        >>> ess.communes.query("territory == 'grasse'").plot(column="population")  # doctest: +SKIP
        """
        return self._communes_frame.copy()

    # ------------------------------------------------------------ other tables

    def levers(self, territories: Sequence[str] | None = None, lang: str = "fr") -> pd.DataFrame:
        """Levers each territory uses or rules out, each with the quote that backs it.

        Examples
        --------
        >>> essbench.load().levers(["grenoble"])  # doctest: +SKIP
        """
        lang = check_lang(lang)
        return tables.levers_table(self.dataset, self._territories(territories), lang)

    def themes(self, territories: Sequence[str] | None = None, lang: str = "fr") -> pd.DataFrame:
        """Themes each territory's policy addresses, with the basis and the quote.

        Examples
        --------
        >>> essbench.load().themes(lang="en")  # doctest: +SKIP
        """
        lang = check_lang(lang)
        return tables.themes_table(self.dataset, self._territories(territories), lang)

    def programmes(self, territories: Sequence[str] | None = None) -> pd.DataFrame:
        """Each programme's period, objectives, axes, orientations, governance and actions.

        Examples
        --------
        >>> essbench.load().programmes(["gpsea"]).query("part == 'action'")  # doctest: +SKIP
        """
        return tables.programmes_table(self.dataset, self._territories(territories))

    def sources(self, territories: Sequence[str] | None = None) -> pd.DataFrame:
        """Every source document and what is known of its origin and date.

        Examples
        --------
        >>> essbench.load().sources()[["source", "title", "date_published"]]  # doctest: +SKIP
        """
        chosen = check_territories(territories, self.dataset.profiles)
        return tables.sources_table(self.dataset, chosen)

    def indicators(self) -> pd.DataFrame:
        """The indicator registry: id, French and English labels, unit, kind, bases.

        Examples
        --------
        >>> essbench.load().indicators().query("kind == 'derived'")  # doctest: +SKIP
        """
        return tables.indicators_table()

    # ------------------------------------------------------------ figures

    def compare(self, indicator: str, territories: Sequence[str] | None = None,
                lang: str = "fr") -> Chart:
        """The dashboards' comparison chart of one indicator, France and région marked.

        Marks of France and the région appear only on the same base. The chart shows as a
        plotly figure; its `caption`, `notes` (comparability) and `table` (its data as text)
        travel with it, and `chart.figure` is the plotly figure itself.

        Examples
        --------
        >>> essbench.load().compare("ess_employment_share", ["grenoble", "gpsea"])  # doctest: +SKIP
        """
        indicator = check_indicator(indicator)
        lang = check_lang(lang)
        chosen = self._territories(territories)
        return plots.comparison(self.dataset, self._values, indicator, chosen, lang)

    def choropleth(self, frame: gpd.GeoDataFrame | str, column: str,
                   territories: Sequence[str] | None = None, title: str | None = None,
                   hover: str | None = None) -> go.Figure:
        """A map of communes or perimeters coloured by any column, drawn offline.

        Parameters
        ----------
        frame : GeoDataFrame or {'communes', 'territories'}
            The polygons: a frame of the researcher's (with a column of their own) or the name
            of one of this object's layers.
        column : str
            Column that colours the map (numeric: a blue scale; other: one colour each).
        territories : list of str, optional
            Keep only these territories' rows (frames with a 'territory' column).
        title, hover : str, optional
            Figure title; column named on hover.

        Examples
        --------
        >>> ess = essbench.load()  # doctest: +SKIP
        >>> ess.choropleth("communes", "population", territories=["grasse"])  # doctest: +SKIP
        """
        if isinstance(frame, str):
            layer = check_id(frame, ("communes", "territories"), argument="frame", what="layer")
            frame = self.communes if layer == "communes" else self.territories
        chosen = check_territories(territories, self.dataset.profiles)
        if chosen is not None:
            if not isinstance(frame, pd.DataFrame) or "territory" not in frame.columns:
                raise InvalidArgument("territories: the frame has no 'territory' column to "
                                      "filter on; filter it yourself")
            frame = frame[frame["territory"].isin(chosen)]
        return plots.choropleth(frame, column, title=title, hover=hover)


def load(root: Path | str | None = None) -> Data:
    """Load one project's evidence, values and reference geography.

    Parameters
    ----------
    root : path, optional
        The project folder (holding data/ and params/). Default: $ESSBENCH_ROOT, else the
        nearest parent of the working folder that is a project, as for the command line.

    Returns
    -------
    Data
        With ``facts()``, ``territories``, ``communes``, ``levers()``, ``themes()``,
        ``programmes()``, ``sources()``, ``compare()`` and ``choropleth()``.

    Examples
    --------
    >>> import essbench
    >>> ess = essbench.load()  # doctest: +SKIP
    >>> ess.facts(["grenoble"], headline_only=True)  # doctest: +SKIP
    """
    try:
        project = find_project(root)
    except ProjectNotFound as error:
        # The resolver speaks to the command line; here the argument is `root`.
        raise ProjectNotFound(str(error).replace("--root", "root", 1)) from None
    return Data(load_project(project))
