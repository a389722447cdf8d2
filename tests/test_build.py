"""The batch build on tiny stub notebooks: skipping, forcing, failures kept apart, the lock,
warm kernels. Tests that start kernels are the integration tier, each in its own tmp_path."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from essbench.build import kernels
from essbench.build import runner as building
from essbench.build.runner import (
    BuildLocked,
    Task,
    build,
    build_lock,
    run_cli,
    run_dashboard,
    write_atomic,
)
from essbench.build.params import load_dashboards

REPO = Path(__file__).resolve().parent.parent

STUB_PARAMETERS = ('territory: str = "grasse"  # territory id\nfail: bool = False\n'
                   'nap: float = 0\nkill_worker: bool = False\n')
STUB_CELLS = [
    "import os, signal\nif kill_worker:\n    os.kill(os.getppid(), signal.SIGKILL)",
    "import time\ntime.sleep(nap)",
    'if fail:\n    raise ValueError(f"boom for {territory}")',
    'from IPython.display import HTML\nHTML(f"<p>Territoire : {territory}</p>")',
]


def write_stub_notebook(path: Path) -> None:
    cells = [{"cell_type": "code", "id": "params", "execution_count": None, "outputs": [],
              "metadata": {"tags": ["parameters"]}, "source": STUB_PARAMETERS},
             {"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Essai"}]
    cells += [{"cell_type": "code", "id": f"cell{index}", "execution_count": None,
               "outputs": [], "metadata": {}, "source": source}
              for index, source in enumerate(STUB_CELLS)]
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def write_params(root: Path, name: str, territory: str = "grasse", fail: bool = False,
                 summary: str = "Une page d'essai.", kill_worker: bool = False) -> Path:
    path = root / "params" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"notebook: notebooks/stub.ipynb\ntitle: Essai {name}\nsummary: {summary}\n"
                    f"parameters:\n  territory: {territory}\n  fail: {str(fail).lower()}\n"
                    f"  kill_worker: {str(kill_worker).lower()}\n", encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    """A project root: the real evidence base (linked, read only) and a stub notebook."""
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    write_stub_notebook(tmp_path / "notebooks" / "stub.ipynb")
    # essbench's own source is part of every page's inputs: frozen here, so that another
    # module being saved meanwhile does not turn a skip into a rebuild
    frozen = {}
    real = building.Digests.shared
    monkeypatch.setattr(building.Digests, "shared",
                        lambda self: frozen.setdefault(self.root, real(self)))
    yield tmp_path
    kernels.shutdown()


def test_a_page_is_rebuilt_for_its_own_inputs_only(tmp_path):
    from essbench.build.digests import Digests, combined, why

    write_stub_notebook(tmp_path / "notebooks" / "stub.ipynb")
    (tmp_path / "data" / "profiles").mkdir(parents=True)
    (tmp_path / "data" / "profiles" / "grasse.yaml").write_text("id: grasse\n")
    (tmp_path / "data" / "profiles" / "gpsea.yaml").write_text("id: gpsea\n")
    params = write_params(tmp_path, "one")
    [dashboard] = load_dashboards(tmp_path)

    def inputs() -> dict[str, str]:
        return Digests(tmp_path).of(dashboard, building.territories_of(dashboard))

    first = inputs()
    seen = {combined(first)}
    (tmp_path / "notebooks" / "__pycache__").mkdir()
    (tmp_path / "notebooks" / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"x")
    (tmp_path / "notebooks" / "other.ipynb").write_text("{}")
    (tmp_path / "data" / "profiles" / "gpsea.yaml").write_text("id: gpsea \n")
    # neither bytecode, nor another dashboard's notebook, nor a territory it does not show
    assert combined(inputs()) in seen
    for change, named in (
        (lambda: (tmp_path / "data" / "profiles" / "grasse.yaml").write_text("id: grasse \n"),
         "data/profiles/grasse.yaml changed"),
        (lambda: (tmp_path / "notebooks" / "helpers.py").write_text("X = 1\n"),
         "notebooks/ helper files changed"),
        (lambda: params.write_text(params.read_text() + "# note\n"),
         "params/one.yaml changed"),
        (lambda: (tmp_path / "notebooks" / "stub.ipynb").write_text(
            (tmp_path / "notebooks" / "stub.ipynb").read_text() + "\n"),
         "notebooks/stub.ipynb changed"),
        (lambda: (tmp_path / "data" / "sources").mkdir() or
         (tmp_path / "data" / "sources" / "sources.yaml").write_text("[]\n"),
         "data/sources changed"),
    ):
        before = inputs()
        change()
        after = inputs()
        assert combined(after) not in seen
        assert why(after, {"files": before}) == named
        seen.add(combined(after))
    assert why(first, None) == "never built here"


def test_links_to_other_pages_name_a_few_territories_and_are_a_page_input(tmp_path):
    from essbench.build.digests import Digests, why
    from essbench.report import navigation

    write_stub_notebook(tmp_path / "notebooks" / "stub.ipynb")
    profiles = tmp_path / "data" / "profiles"
    profiles.mkdir(parents=True)
    for tid in ("grasse", "gpsea"):
        (profiles / f"{tid}.yaml").write_text(f"id: {tid}\nnames:\n  short: Nom {tid}\n")
        write_params(tmp_path, tid, territory=tid)
    pages = navigation.project_pages(tmp_path / "params")
    found = navigation.links(pages, "fr", "grasse", profiles)
    assert found.territories == (("gpsea.html", "Nom gpsea"),)
    dashboards = {d.name: d for d in load_dashboards(tmp_path)}

    def inputs() -> dict[str, str]:
        digests = Digests(tmp_path, [navigation.page_ref(d.name, d.parameters)
                                     for d in dashboards.values()])
        return digests.of(dashboards["grasse"], ["grasse"])

    before = inputs()
    (profiles / "gpsea.yaml").write_text("id: gpsea\nnames:\n  short: Nom gpsea\nfacts: []\n")
    assert inputs() == before  # gpsea's page changed, not grasse's
    (profiles / "gpsea.yaml").write_text("id: gpsea\nnames:\n  short: GPSEA\n")
    assert why(inputs(), {"files": before}) == "links to other pages changed"
    # Past ten other territories, the bar would be a wall of names: the index lists them.
    many = [navigation.PageRef(f"t{i}", f"t{i}", "fr") for i in range(12)]
    assert navigation.links(many, "fr", "t0", profiles).territories == ()
    assert len(navigation.links(many[:11], "fr", "t0", profiles).territories) == 10


def test_nothing_changed_is_told_without_loading_the_evidence(tmp_path):
    import fcntl

    from essbench.build import state
    from essbench.build.digests import Digests, combined
    from essbench.report.navigation import page_ref

    write_stub_notebook(tmp_path / "notebooks" / "stub.ipynb")
    (tmp_path / "data" / "profiles").mkdir(parents=True)
    profile = tmp_path / "data" / "profiles" / "grasse.yaml"
    profile.write_text("id: grasse\n")
    write_params(tmp_path, "one")
    outputs = tmp_path / "outputs"
    for path in ("html/index.html", "html/one.html", "notebooks/one.ipynb", state.LOCK_FILE):
        (outputs / path).parent.mkdir(parents=True, exist_ok=True)
        # a lock file naming a holder is one a killed build left: the full path says so
        (outputs / path).write_text("" if path == state.LOCK_FILE else "x")
    [dashboard] = load_dashboards(tmp_path)
    inputs = Digests(tmp_path, [page_ref("one", dashboard.parameters)]).of(dashboard, ["grasse"])
    state.write_state(outputs, {"one": {"inputs": combined(inputs), "files": inputs}})
    assert state.unchanged(tmp_path, None) == ["one"] == state.unchanged(tmp_path, ["one"])

    # Anything else goes to the full build, which checks every input, waits or sweeps.
    profile.write_text("id: grasse \n")
    assert state.unchanged(tmp_path, None) is None
    profile.write_text("id: grasse\n")
    stale = outputs / "html" / ".one.html.abc.essbench-tmp.part"
    stale.write_text("left by a killed build")
    assert state.unchanged(tmp_path, None) is None
    stale.unlink()
    with open(outputs / state.LOCK_FILE) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert state.unchanged(tmp_path, None) is None
        fcntl.flock(lock, fcntl.LOCK_UN)
    write_params(tmp_path, "two")
    assert state.unchanged(tmp_path, None) is None


@pytest.mark.integration
def test_a_failing_dashboard_is_kept_apart_and_the_others_are_built(root, capsys):
    write_params(root, "ok", territory="grenoble")
    write_params(root, "broken", territory="gpsea", fail=True)
    code = run_cli(None, 2, False, root=root)
    out = capsys.readouterr().out
    assert code == building.EXIT_FAILED
    html = root / "outputs" / "html"
    assert (html / "ok.html").is_file()
    assert "Territoire : grenoble" in (html / "ok.html").read_text(encoding="utf-8")
    assert (root / "outputs" / "notebooks" / "ok.ipynb").is_file()
    assert not (html / "broken.html").exists()
    assert not (root / "outputs" / "notebooks" / "broken.ipynb").exists()
    failed = (root / "outputs" / "failed" / "broken.ipynb").read_text(encoding="utf-8")
    assert "papermill-error-cell-tag" in failed  # papermill marked the failing cell
    assert "started   ok" in out and "started   broken" in out
    assert "built     ok (" in out
    assert "broken: ValueError: boom for gpsea" in out.split("Failed")[1]
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'href="ok.html"' in index and "broken.html" not in index
    assert "Essai broken" in index
    state = json.loads((root / "outputs" / ".build-state.json").read_text())
    assert list(state["dashboards"]) == ["ok"]
    assert not list(root.rglob("*essbench-tmp*"))


@pytest.mark.integration
def test_unchanged_dashboards_are_skipped_forced_ones_rebuilt(root, capsys):
    write_params(root, "one")
    page = root / "outputs" / "html" / "one.html"
    assert build(None, 1, False, root).built == ["one"]
    first = page.read_bytes()
    built_at = page.stat().st_mtime_ns
    stale = root / "outputs" / "html" / ".one.html.abc.essbench-tmp.part"
    stale.write_text("left by a killed build")

    report = build(None, 1, False, root)
    assert (report.built, report.skipped) == ([], ["one"])
    assert page.stat().st_mtime_ns == built_at
    assert not stale.exists()

    report = build(["one"], 1, True, root)
    assert report.built == ["one"]
    assert page.read_bytes() == first  # same inputs, same bytes

    write_params(root, "one", summary="Un autre résumé.")
    assert build(None, 1, False, root).built == ["one"]
    capsys.readouterr()


@pytest.mark.integration
def test_a_failed_rebuild_leaves_the_published_page(root):
    write_params(root, "one", territory="grenoble")
    assert build(None, 1, False, root).ok
    page = root / "outputs" / "html" / "one.html"
    published = page.read_bytes()

    write_params(root, "one", territory="grenoble", fail=True)
    report = build(None, 1, False, root)
    assert list(report.failed) == ["one"]
    assert "ValueError: boom for grenoble" in report.failed["one"]
    assert page.read_bytes() == published
    assert (root / "outputs" / "failed" / "one.ipynb").is_file()

    # back to the inputs of the published page: nothing to do
    write_params(root, "one", territory="grenoble")
    assert build(None, 1, False, root).skipped == ["one"]


@pytest.mark.integration
def test_a_worker_that_dies_fails_its_dashboard_only(root):
    write_params(root, "a_killer", kill_worker=True)
    write_params(root, "b_after")
    report = build(None, 1, False, root)
    assert list(report.failed) == ["a_killer"]
    assert "worker process died" in report.failed["a_killer"]
    assert report.built == ["b_after"]


@pytest.mark.integration
def test_a_calling_script_without_main_guard_does_not_deadlock(root):
    # workers that re-ran this script's top level would each wait for the parent's lock
    write_params(root, "one")
    script = root / "build_it.py"
    script.write_text("from essbench.build.runner import run_cli\n"
                      f"raise SystemExit(run_cli(None, 2, True, root={str(root)!r}))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "built     one" in done.stdout


def test_bad_input_builds_nothing_and_says_why_without_traceback(root, capsys):
    write_params(root, "one", territory="nice")
    (root / "params" / "two.yaml").write_text("notebook: notebooks/none.ipynb\ntitle: T\n")
    code = run_cli(None, None, False, root=root)
    captured = capsys.readouterr()
    assert code == building.EXIT_BAD_INPUT
    assert "params/one.yaml: parameters.territory: found 'nice'" in captured.err
    assert "params/two.yaml: notebook: found 'notebooks/none.ipynb'" in captured.err
    assert "params/two.yaml: summary: found nothing" in captured.err
    assert "3 problems found: nothing was built." in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (root / "outputs").exists()


def test_bad_jobs_is_bad_input(root, capsys):
    write_params(root, "one")
    assert run_cli(None, 0, False, root=root) == building.EXIT_BAD_INPUT
    assert "--jobs: (option): found 0" in capsys.readouterr().err


@pytest.mark.integration
def test_a_hung_cell_fails_its_dashboard_with_the_notebook_kept(root):
    outputs = root / "outputs"
    task = Task("slow", str(root / "notebooks" / "stub.ipynb"), {"nap": 30.0}, "Lent",
                str(outputs), str(root / "data"), timeout=1)
    outcome = run_dashboard(task)
    assert not outcome.ok
    assert "CellTimeoutError" in outcome.reason
    failed = (outputs / "failed" / "slow.ipynb").read_text(encoding="utf-8")
    assert "execution stopped" in failed
    assert not (outputs / "html" / "slow.html").exists()


@pytest.mark.integration
def test_a_kernel_that_does_not_start_is_retried_once(root):
    outputs = root / "outputs"
    task = Task("nokernel", str(root / "notebooks" / "stub.ipynb"), {}, "Essai", str(outputs), str(root / "data"),
                kernel_name="no-such-kernel")
    outcome = run_dashboard(task)
    assert not outcome.ok
    assert outcome.attempts == 2
    assert "the kernel did not start, twice" in outcome.reason
    assert "NoSuchKernel" in outcome.reason


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    write_atomic(target, "old")
    assert target.read_text() == "old"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new " * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["page.html"]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_second_build_is_told_and_does_not_write(root):
    write_params(root, "one")
    outputs = root / "outputs"
    outputs.mkdir()
    with open(outputs / ".build.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("pid 12345 on elsewhere\n")
        held.flush()
        with pytest.raises(BuildLocked, match="Another build is running in .*pid 12345"):
            build(None, 1, False, root, wait=False)
    assert not (outputs / "html").exists()


def test_a_second_build_waits_for_the_first(tmp_path):
    said = []
    outputs = tmp_path / "outputs"
    with build_lock(outputs):
        def second():
            with build_lock(outputs, say=said.append):
                said.append("second holds the lock")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert said and "waiting for it to finish" in said[0]
        assert "second holds the lock" not in said
    thread.join(5)
    assert said[-1] == "second holds the lock"


@pytest.mark.integration
def test_a_broken_profile_fails_only_the_dashboards_that_show_it(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(REPO / "data", tmp_path / "data")
    write_stub_notebook(tmp_path / "notebooks" / "stub.ipynb")
    write_params(tmp_path, "grasse", territory="grasse")
    write_params(tmp_path, "grenoble", territory="grenoble")
    compare = tmp_path / "params" / "compare.yaml"
    compare.write_text("notebook: notebooks/stub.ipynb\ntitle: Comparaison\nsummary: Les deux.\n"
                       "parameters:\n  territory: grenoble\n", encoding="utf-8")
    assert build(None, 1, False, tmp_path).ok
    old_page = (tmp_path / "outputs" / "html" / "grenoble.html").read_bytes()
    profile = tmp_path / "data" / "profiles" / "grenoble.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("value: 1875", "value: -1875"),
                       encoding="utf-8")
    report = build(None, 1, True, tmp_path)
    assert report.built == ["grasse"]
    assert set(report.failed) == {"grenoble", "compare"}
    assert "grenoble.yaml: facts[2].value" in report.failed["grenoble"]
    assert (tmp_path / "outputs" / "html" / "grenoble.html").read_bytes() == old_page
    assert run_cli(None, 1, True, root=tmp_path) == 2


def test_page_language_follows_the_lang_parameter():
    import nbformat

    from essbench.build.pages import export_html

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    assert '<html lang="fr">' in export_html(notebook, "T")
    notebook.metadata["papermill"] = {"parameters": {"lang": "en"}}
    assert '<html lang="en">' in export_html(notebook, "T")


def test_the_index_lists_english_pages_apart_and_escapes(tmp_path):
    from essbench.build.pages import IndexEntry, render_index

    index = render_index([IndexEntry("a.html", "Grasse <ESS>", "A & B"),
                          IndexEntry("a_en.html", "Grasse (English)", "In English.", "en")])
    assert "Grasse &lt;ESS&gt;" in index and "A &amp; B" in index
    french, english = index.split("Pages en anglais")
    assert 'href="a.html"' in french and 'href="a_en.html"' not in french
    assert 'lang="en"' in english and 'href="a_en.html"' in english
    assert '<html lang="fr">' in index


WARM_PARAMETERS = 'mode: str = ""  # leak, fail or nothing\n'
WARM_CELLS = [
    "import builtins, os\n"
    "seen = globals().get('left_by_previous_page', 'none')\n"
    "kept = getattr(builtins, 'essbench_test_mark', 'none')\n"
    "if 'leak' in mode:\n"
    "    left_by_previous_page = 'set'\n"
    "    builtins.essbench_test_mark = 'set'",
    "if 'fail' in mode:\n    raise ValueError('this page fails')",
    "from IPython.display import HTML\n"
    "HTML(f'<p>kernel={os.getpid()} seen={seen} kept={kept} cwd={os.getcwd()}</p>')",
]


def warm_task(root: Path, name: str, mode: str = "") -> Task:
    notebook = root / "notebooks" / "warm.ipynb"
    if not notebook.exists():
        cells = [{"cell_type": "code", "id": "params", "execution_count": None, "outputs": [],
                  "metadata": {"tags": ["parameters"]}, "source": WARM_PARAMETERS}]
        cells += [{"cell_type": "code", "id": f"cell{index}", "execution_count": None,
                   "outputs": [], "metadata": {}, "source": source}
                  for index, source in enumerate(WARM_CELLS)]
        notebook.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
            "name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return Task(name, str(notebook), {"mode": mode}, name, str(root / "outputs"), str(root))


def shown(root: Path, name: str) -> dict[str, str]:
    import re

    page = (root / "outputs" / "html" / f"{name}.html").read_text(encoding="utf-8")
    return dict(re.findall(r"(\w+)=(\S+?)[ <]", page.split("kernel=", 1)[1].join(["kernel=", ""])))


@pytest.mark.integration
def test_a_warm_kernel_gives_each_page_a_fresh_namespace(root):
    assert run_dashboard(warm_task(root, "a", "leak")).ok
    assert run_dashboard(warm_task(root, "b")).ok
    first, second = shown(root, "a"), shown(root, "b")
    assert second["kernel"] == first["kernel"]  # reused
    assert second["seen"] == "none"  # the previous page's names are gone
    assert second["kept"] == "set"  # (what a reset cannot clear: hence the restarts below)
    assert second["cwd"] == str(root / "notebooks")


@pytest.mark.integration
def test_a_failed_page_never_leaks_into_the_next(root):
    assert run_dashboard(warm_task(root, "a")).ok
    failed = run_dashboard(warm_task(root, "b", "leak fail"))
    assert not failed.ok and "this page fails" in failed.reason
    assert run_dashboard(warm_task(root, "c")).ok
    first, after = shown(root, "a"), shown(root, "c")
    assert after["kernel"] != first["kernel"]  # restarted after the failure
    assert after["seen"] == "none" and after["kept"] == "none"


@pytest.mark.integration
def test_the_kernel_is_restarted_every_n_pages(root, monkeypatch):
    monkeypatch.setattr(kernels, "PAGES_PER_KERNEL", 2)
    for name in ("a", "b", "c"):
        assert run_dashboard(warm_task(root, name, "leak")).ok
    a, b, c = (shown(root, name) for name in ("a", "b", "c"))
    assert a["kernel"] == b["kernel"] != c["kernel"]
    assert b["kept"] == "set" and c["kept"] == "none"


@pytest.mark.integration
def test_a_dead_warm_kernel_is_replaced(root):
    assert run_dashboard(warm_task(root, "a")).ok
    kernels._WARM.manager.shutdown_kernel(now=True)  # died between two pages
    outcome = run_dashboard(warm_task(root, "b"))
    assert outcome.ok and outcome.attempts == 2
    assert shown(root, "a")["kernel"] != shown(root, "b")["kernel"]
