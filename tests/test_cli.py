"""The command line as a user meets it: clear one-line errors, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test runs the command line in a process of its own: integration tier.
pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ESSBENCH_ROOT"}
    return subprocess.run([sys.executable, "-m", "essbench.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("out", ["/proc/x", "{file}/below"])
def test_export_to_an_unwritable_folder(tmp_path, out):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    folder = out.format(file=blocker)
    result = _run("export", "--out", folder)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"--out {folder}: cannot write there" in result.stderr
    assert result.stdout == ""


def test_export_with_an_unknown_language(tmp_path):
    result = _run("export", "--out", str(tmp_path), "--lang", "de")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--lang: 'de' is not a language" in result.stderr
    assert not any(tmp_path.iterdir())


def test_outside_a_project(tmp_path):
    result = _run("export", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no essbench project" in result.stderr and "--root" in result.stderr


def test_export_lists_what_it_wrote(tmp_path):
    result = _run("--root", str(ROOT), "export", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = {Path(line).name for line in result.stdout.splitlines()}
    assert {"facts.csv", "territories.geojson", "communes.geojson",
            "data_dictionary.csv"} <= written
    assert f"Project: {ROOT}" in result.stderr


def test_main_reports_an_os_error_in_one_line(monkeypatch, capsys):
    from essbench import cli

    def broken(args):
        raise PermissionError(13, "Permission denied", "/somewhere/facts.csv")

    monkeypatch.setattr(cli, "_validate", broken)
    monkeypatch.delenv("ESSBENCH_ROOT", raising=False)
    assert cli.main(["--root", str(ROOT), "validate"]) == 1
    err = capsys.readouterr().err
    assert "Permission denied: /somewhere/facts.csv" in err and "Traceback" not in err


def test_build_names_a_misspelt_dashboard_before_building(tmp_path):
    result = _run("build", "grenoble", "grenble")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown dashboard 'grenble' (did you mean 'grenoble'" in result.stderr
    assert "compare" in result.stderr  # the valid list


def test_new_territory_writes_its_files_and_refuses_a_bad_siren(tmp_path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    result = _run("new", "lyon", "--siren", "200046977", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "data" / "profiles" / "lyon.yaml").is_file()
    assert (project / "params" / "lyon.yaml").is_file()
    assert "lyon" in (project / "params" / "compare.yaml").read_text(encoding="utf-8")
    assert "essbench reference build" in result.stdout
    bad = _run("new", "nowhere", "--siren", "123", cwd=project)
    assert bad.returncode == 1
    assert "--siren: found '123'" in bad.stderr and "Traceback" not in bad.stderr
    assert not (project / "data" / "profiles" / "nowhere.yaml").exists()
