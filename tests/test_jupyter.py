"""The notebooks as an analyst uses them: a Jupyter server of this environment lists them and
starts kernels, and notebooks/explore.ipynb runs top to bottom in a kernel of this environment.

Every wait is bounded; the server (and its kernels) are stopped in a finally block.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.jupyter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPECTED_NOTEBOOKS = {"territory_profile.ipynb", "compare_territories.ipynb", "explore.ipynb"}
START_TIMEOUT_S = 90
REQUEST_TIMEOUT_S = 30
KERNEL_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20
CELL_TIMEOUT_S = 600


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, base: str, headers: dict) -> None:
    """Ask the server to shut down (it stops its kernels), then signal it, then kill it."""
    import requests

    if process.poll() is None:
        try:
            requests.post(f"{base}/api/shutdown", headers=headers, timeout=5)
            process.wait(timeout=STOP_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - fall back to signals below
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server of this venv on 127.0.0.1, a free port and a token, root = the repo."""
    import requests
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    port, token = _free_port(), secrets.token_hex(24)
    log = open(runtime / "server.log", "w+")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime), IPYTHONDIR=str(runtime / "ipython"),
               JUPYTER_PLATFORM_DIRS="1", PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
               "--ServerApp.open_browser=False",
               # JupyterLab loads as a server extension: no PyPI look-ups from the test
               "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        command.append("--allow-root")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env=env, start_new_session=True)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"jupyter server exited with {process.returncode}:\n"
                            f"{log.read()[-3000:]}")
            try:
                if requests.get(f"{base}/api/status", headers=headers, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"jupyter server not answering after {START_TIMEOUT_S} s:\n"
                            f"{log.read()[-3000:]}")
            time.sleep(0.5)
        yield base, headers, runtime
    finally:
        _stop(process, base, headers)
        log.close()


def test_server_refuses_requests_without_token(server):
    import requests

    base, _, _ = server
    assert requests.get(f"{base}/api/contents/notebooks", timeout=REQUEST_TIMEOUT_S) \
        .status_code == 403


def test_server_lists_the_three_notebooks(server):
    import requests

    base, headers, _ = server
    response = requests.get(f"{base}/api/contents/notebooks", headers=headers,
                            timeout=REQUEST_TIMEOUT_S)
    assert response.status_code == 200, response.text[:500]
    listing = response.json()
    assert listing["type"] == "directory"
    names = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
    assert EXPECTED_NOTEBOOKS <= names, f"notebooks listed: {sorted(names)}"
    # each one opens as a valid notebook through the API
    for name in sorted(EXPECTED_NOTEBOOKS):
        opened = requests.get(f"{base}/api/contents/notebooks/{name}", headers=headers,
                              timeout=REQUEST_TIMEOUT_S)
        assert opened.status_code == 200, f"{name}: {opened.status_code}"
        assert opened.json()["content"]["cells"], f"{name} has no cell"


def _run_in_kernel(connection_file: Path, code: str) -> str:
    """Connect to a running kernel as a front end would; run code; return what it printed."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    # No heartbeat channel: on a loaded machine a late heartbeat reads as a dead kernel.
    client.start_channels(hb=False)
    printed: list[str] = []
    try:
        client.wait_for_ready(timeout=KERNEL_TIMEOUT_S)
        reply = client.execute_interactive(
            code, timeout=REQUEST_TIMEOUT_S,
            output_hook=lambda m: printed.append(m["content"].get("text", ""))
            if m["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
    return "".join(printed)


def test_server_starts_and_stops_a_kernel(server):
    """POST /api/kernels starts a python3 kernel of this environment that runs code."""
    import requests

    base, headers, runtime = server
    response = requests.post(f"{base}/api/kernels", json={"name": "python3"}, headers=headers,
                             timeout=KERNEL_TIMEOUT_S)
    assert response.status_code == 201, response.text[:500]
    kernel = response.json()
    connection_file = runtime / f"kernel-{kernel['id']}.json"
    try:
        deadline = time.monotonic() + KERNEL_TIMEOUT_S
        while not connection_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert connection_file.exists(), f"no connection file {connection_file.name}"
        printed = _run_in_kernel(connection_file, "import sys; print(sys.prefix)")
        assert Path(printed.strip()).resolve() == Path(sys.prefix).resolve(), \
            f"the kernel runs {printed.strip()!r}, not this environment ({sys.prefix})"
    finally:
        deleted = requests.delete(f"{base}/api/kernels/{kernel['id']}", headers=headers,
                                  timeout=REQUEST_TIMEOUT_S)
    assert deleted.status_code == 204
    remaining = requests.get(f"{base}/api/kernels", headers=headers, timeout=REQUEST_TIMEOUT_S)
    assert kernel["id"] not in {k["id"] for k in remaining.json()}


def test_explore_notebook_runs_top_to_bottom(tmp_path):
    """explore.ipynb runs in a python3 kernel that is this environment's Python."""
    import nbclient
    import nbformat
    source = NOTEBOOKS / "explore.ipynb"
    assert source.exists(), "notebooks/explore.ipynb is missing"
    notebook = nbformat.read(source, as_version=4)
    # one extra cell, at the end, tells which Python the kernel runs
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT_S, startup_timeout=KERNEL_TIMEOUT_S,
        kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.monotonic()
    try:
        client.execute()
    finally:
        nbformat.write(notebook, tmp_path / "explore.ipynb")
    seconds = time.monotonic() - started
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert Path(printed.strip()).resolve() == Path(sys.prefix).resolve(), \
        f"the kernel runs {printed.strip()!r}, not this environment ({sys.prefix})"
    print(f"explore.ipynb: {len(notebook.cells) - 1} cells in {seconds:.1f} s")


def test_make_lab_names_localhost_root_and_the_project_environment():
    """`make lab`: this venv's Python, 127.0.0.1 only, allowed as root, the plotting extras."""
    import shutil

    assert shutil.which("make"), "make is not installed: the project's commands are make targets"
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "lab"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    command = dry.stdout.strip().splitlines()[-1]
    assert command.startswith(".venv/bin/python -m jupyter lab")
    assert "--ip=127.0.0.1" in command and "--allow-root" in command
    assert "matplotlib" in dry.stdout and "'.[lab]'" in dry.stdout


def test_make_lab_starts_jupyterlab(tmp_path):
    """`make lab` serves JupyterLab on 127.0.0.1 (as root too) and stops on request."""
    import shutil

    import requests

    assert shutil.which("make"), "make is not installed: the project's commands are make targets"
    port, token = _free_port(), secrets.token_hex(24)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), IPYTHONDIR=str(tmp_path / "ipy"),
               JUPYTER_PLATFORM_DIRS="1")
    arguments = (f"--port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token} "
                 "--LabApp.extension_manager=readonly")
    log = open(tmp_path / "lab.log", "w+")
    process = subprocess.Popen(["make", "-o", ".venv/.installed", "lab",
                                f"LAB_ARGS={arguments}"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"make lab exited with {process.returncode}:\n{log.read()[-3000:]}")
            try:
                if requests.get(f"{base}/api/status", headers=headers, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"make lab not answering after {START_TIMEOUT_S} s:\n"
                            f"{log.read()[-3000:]}")
            time.sleep(0.5)
        page = requests.get(f"{base}/lab", headers=headers, timeout=REQUEST_TIMEOUT_S)
        assert page.status_code == 200 and "JupyterLab" in page.text
        listing = requests.get(f"{base}/api/contents/notebooks", headers=headers,
                               timeout=REQUEST_TIMEOUT_S).json()
        assert "explore.ipynb" in {item["name"] for item in listing["content"]}
    finally:
        _stop(process, base, headers)
        log.close()
