"""Fault tier: a build killed outright (SIGKILL, as the out-of-memory killer does) leaves no
process behind, publishes nothing afterwards, and the next build says so and rebuilds.

Each test starts `essbench build` in a session of its own, marked by an environment variable
that every process it starts inherits (workers, kernels): the test finds them by it, and ends
any it finds before failing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.test_build import REPO, write_stub_notebook

pytestmark = [pytest.mark.faults, pytest.mark.integration]  # kernels and processes

MARK = "ESSBENCH_FAULT_TEST"


def marked(token: str) -> list[int]:
    """Live processes carrying the test's mark in their environment."""
    found = []
    needle = f"{MARK}={token}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if needle in environ.split(b"\0") and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


def end_all(token: str) -> list[int]:
    left = marked(token)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def write_page(root: Path, name: str, territory: str, nap: float) -> None:
    path = root / "params" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"notebook: notebooks/stub.ipynb\ntitle: Essai {name}\nsummary: Essai.\n"
                    f"parameters:\n  territory: {territory}\n  nap: {nap}\n", encoding="utf-8")


def start_build(root: Path, token: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, MARK: token, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "essbench.cli", "--root", str(root), "build",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, start_new_session=True)


def read_until(process: subprocess.Popen, text: str, timeout: float = 90) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while text not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {text!r} within {timeout} s:\n{seen}")
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"the build ended before {text!r}:\n{seen}")
        seen += line
    return seen


def stub_project(root: Path) -> Path:
    """The made-up project (tests/fixture_project.py) with one stub notebook and no pages yet."""
    import shutil

    from fixture_project import write_project

    write_project(root, REPO / "notebooks")
    shutil.rmtree(root / "params")
    write_stub_notebook(root / "notebooks" / "stub.ipynb")
    return root


@pytest.fixture
def project(tmp_path: Path):
    stub_project(tmp_path / "project")
    tmp_path = tmp_path / "project"
    token = uuid.uuid4().hex
    yield tmp_path, token
    left = end_all(token)
    assert not left, f"processes left by the test itself: {left}"


def wait_for(found, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not found():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout} s")
        time.sleep(0.1)


@pytest.mark.parametrize("moment", ["kernel-starting", "cell-running"])
def test_a_killed_build_leaves_no_process_and_no_stale_page(project, moment):
    root, token = project
    write_page(root, "a_slow", "temoin", nap=8)
    write_page(root, "b_quick", "temoin", nap=0)
    build = start_build(root, token, "--jobs", "2")
    running = root / "outputs" / "notebooks"
    started = time.monotonic()
    try:
        read_until(build, "started   a_slow")
        if moment == "cell-running":  # papermill is running its cells into this file
            wait_for(lambda: any(running.glob(".a_slow.*essbench-tmp*")))
        os.kill(build.pid, signal.SIGKILL)  # the parent only, as the OOM killer does
        build.wait(timeout=10)
        # Workers and kernels end with it: nothing carrying the mark after a few seconds.
        deadline = time.monotonic() + 15
        while marked(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = end_all(token)
        assert not left, f"processes still running after their build was killed: {left}"
    finally:
        build.stdout.close()
        if build.poll() is None:
            build.kill()
            build.wait()

    # The profile changes; the next build says what the killed one left and builds the page.
    write_page(root, "a_slow", "fictif", nap=0)
    again = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(root), "build",
                            "--jobs", "2"], capture_output=True, text=True, timeout=180,
                           env={**os.environ, MARK: token})
    said = again.stdout + again.stderr
    assert again.returncode == 0, said
    assert "did not finish" in said and "killed" in said, said
    if moment == "cell-running":  # its executed notebook, half written: removed, and said
        assert re.search(r"Removed \d unfinished files? an interrupted build left: "
                         r"notebooks/\.a_slow\.", said), said
    assert "built     a_slow" in said, said
    assert "Traceback" not in said
    page = root / "outputs" / "html" / "a_slow.html"
    assert "Territoire : fictif" in page.read_text(encoding="utf-8")
    # No worker of the killed build finishes later and writes its page over this one.
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    assert "Territoire : fictif" in page.read_text(encoding="utf-8")
    assert not end_all(token)
    last = subprocess.run([sys.executable, "-m", "essbench.cli", "--root", str(root), "build"],
                          capture_output=True, text=True, timeout=120)
    assert "0 to build, 2 unchanged" in last.stdout, last.stdout + last.stderr


# -- A published page survives every damaged input -----------------------------------------

def _latin_1_source(data: Path) -> None:
    path = data / "sources" / "temoin_page.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKAGES = {
    "impossible-date": lambda d: _replace(d / "sources" / "sources.yaml",
                                          "'2024-03-15'", "2024-02-30"),
    "source-in-latin-1": _latin_1_source,
    "source-outside": lambda d: _replace(d / "sources" / "sources.yaml",
                                         "file: temoin_page.txt", "file: /etc/os-release"),
    "population-zero": lambda d: _replace(d / "reference" / "territories.csv",
                                          "temoin,50000,", "temoin,0,"),
    "empty-reference": lambda d: (d / "reference" / "communes.csv").write_text(""),
    "alias-bomb": lambda d: (d / "profiles" / "temoin.yaml").write_text(
        __import__("tests.test_faults", fromlist=["ALIAS_BOMB"]).ALIAS_BOMB),
    "loop-of-links": lambda d: (d / "profiles" / "temoin.yaml").unlink() or (
        d / "profiles" / "temoin.yaml").symlink_to(d / "profiles" / "temoin.yaml"),
}


def test_damaged_inputs_publish_nothing_and_keep_the_pages(tmp_path, monkeypatch, capsys):
    import shutil

    from essbench.build import kernels
    from essbench.build.runner import EXIT_BAD_INPUT, EXIT_FAILED, run_cli
    root = stub_project(tmp_path / "project")
    write_page(root, "one", "temoin", nap=0)
    try:
        assert run_cli(None, 1, False, root) == 0, capsys.readouterr()
    finally:
        kernels.shutdown()
    capsys.readouterr()
    html = root / "outputs" / "html"
    published = {p.name: p.read_bytes() for p in html.iterdir()}
    pristine = tmp_path / "pristine"
    shutil.copytree(root / "data", pristine, symlinks=True)
    for case, damage in [*BREAKAGES.items(), ("bad-epoch", None)]:
        if damage is None:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
        else:
            damage(root / "data")
        code = run_cli(None, 1, False, root)
        said = capsys.readouterr()
        lines = [line for line in (said.out + said.err).splitlines() if ": found " in line]
        assert code in (EXIT_BAD_INPUT, EXIT_FAILED), (case, said)
        assert lines and "Traceback" not in said.out + said.err, (case, said)
        assert {p.name: p.read_bytes() for p in html.iterdir()} == published, case
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        shutil.rmtree(root / "data")
        shutil.copytree(pristine, root / "data", symlinks=True)

    # Damaged generated files: discarded, said, and the build goes on.
    (root / "outputs" / ".build-state.json").write_bytes(b"\x00garbage")
    (root / "outputs" / ".notebook-parameters.json").write_text("{")
    from essbench.build import params

    params._INSPECTED.clear()  # what this process read already: a new build reads the file
    try:
        assert run_cli(None, 1, False, root) == 0
    finally:
        kernels.shutdown()
    said = capsys.readouterr()
    assert ".build-state.json is unreadable or damaged: discarded" in said.out, said
    assert ".notebook-parameters.json is damaged: discarded" in said.err, said
    assert "built     one" in said.out


# -- A command that writes files writes all of them or none ---------------------------------

def test_new_leaves_nothing_when_the_comparison_cannot_be_written(tmp_path, monkeypatch):
    from fixture_project import write_project

    from essbench import scaffold
    from essbench.project import Project

    project = Project(write_project(tmp_path / "project", REPO / "notebooks"))
    comparison = project.params / scaffold.COMPARISON
    before = comparison.read_bytes()
    real = scaffold.write_atomic

    def failing(path, content):
        if Path(path).name == scaffold.COMPARISON:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, content)

    monkeypatch.setattr(scaffold, "write_atomic", failing)
    with pytest.raises(scaffold.InvalidInput, match="nothing was written"):
        scaffold.new_territory(project, "lyon", siren="200046977")
    assert not (project.profiles / "lyon.yaml").exists()
    assert not (project.params / "lyon.yaml").exists()
    assert comparison.read_bytes() == before
    assert not [p for p in project.params.iterdir() if "essbench-tmp" in p.name]

    # A comparison this command cannot extend is found before anything is written.
    monkeypatch.setattr(scaffold, "write_atomic", real)
    comparison.write_text(before.decode().replace("territories:", "territories: grasse #"),
                          encoding="utf-8")
    with pytest.raises(scaffold.InvalidInput):
        scaffold.new_territory(project, "lyon", siren="200046977")
    assert not (project.profiles / "lyon.yaml").exists()
