"""papermill's nbclient engine, adapted to warm kernels: the one module that reaches into
papermill's internals (its client and engine classes, its logger and keyword helpers).

Why not papermill's public API alone: `papermill.execute_notebook(..., km=...)` runs a notebook
on a kernel it does not own, but leaves the client's channels open after each page (sockets
leak page after page) and cannot run the namespace reset before the first cell on the client
it has connected. So `Engine.execute_managed_notebook` is papermill 2.6-2.7's
`NBClientEngine.execute_managed_notebook` with those two changes.

What is copied is pinned twice: pyproject.toml bounds papermill (`<2.8`), and
`incompatibilities()` compares papermill's installed code with the code this module was written
against (tests/test_faults.py fails loudly, naming what changed, when they differ).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import textwrap


class KernelNotStarted(Exception):
    """The kernel died or stayed silent before its first cell: worth one retry."""


class EngineFailed(Exception):
    """Execution stopped by something else than a cell's error: timeout, kernel death."""

    def __init__(self, notebook, error: BaseException):
        self.notebook = notebook
        super().__init__(f"{type(error).__name__}: {error}")


# The papermill versions this module was written against and checked with.
TESTED = ("2.6", "2.7")
# sha256 (first 16 hex digits) of the source of each papermill function this module copies or
# builds on, as in papermill 2.7.0: a new papermill that changes one of them is caught here.
COPIED = {
    "papermill.engines:NBClientEngine.execute_managed_notebook": "231b504c6d53bf56",
    "papermill.clientwrap:PapermillNotebookClient.execute": "966a0f1c56697d7d",
    "papermill.clientwrap:PapermillNotebookClient.papermill_execute_cells": "5cc26848d4e9c350",
    "papermill.clientwrap:PapermillNotebookClient.__init__": "f08adbf8e1b0153c",
}
USED = ("papermill.engines:papermill_engines", "papermill.log:logger",
        "papermill.utils:merge_kwargs", "papermill.utils:remove_args")


def _find(name: str):
    module, _, path = name.partition(":")
    found = importlib.import_module(module)
    for part in path.split("."):
        found = getattr(found, part)
    return found


def _digest(function) -> str:
    source = textwrap.dedent(inspect.getsource(function))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def incompatibilities() -> list[str]:
    """What differs between the installed papermill and the one this module copies: empty
    when they match."""
    found = []
    version = importlib.metadata.version("papermill")
    if not version.startswith(tuple(f"{v}." for v in TESTED)):
        found.append(f"papermill {version} is not one of the tested {', '.join(TESTED)}")
    for name in USED:
        try:
            _find(name)
        except (ImportError, AttributeError) as error:
            found.append(f"{name} is gone ({error})")
    for name, digest in COPIED.items():
        try:
            actual = _digest(_find(name))
        except (ImportError, AttributeError, OSError, TypeError) as error:
            found.append(f"{name} is gone ({error})")
            continue
        if actual != digest:
            found.append(f"{name} changed (source digest {actual}, copied from {digest}): "
                         "compare it with essbench.build.engine.Engine")
    return found


def register(name: str) -> None:
    """papermill's nbclient engine on a kernel it does not own, telling a kernel that never
    started from a run that broke, and closing its client's channels after each page."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class Client(PapermillNotebookClient):
        def __init__(self, nb_man, reset: str | None = None, **kwargs):
            super().__init__(nb_man, **kwargs)
            self.essbench_reset = reset

        def papermill_execute_cells(self):
            # The page's fresh namespace, on the client papermill already connected: a client
            # of its own for this would cost a connection per page.
            if self.essbench_reset:
                reply = self.wait_for_reply(self.kc.execute(
                    self.essbench_reset, silent=True, store_history=False))
                if reply is None or reply["content"]["status"] != "ok":
                    content = (reply or {}).get("content", {})
                    raise KernelNotStarted(f"reset: {content.get('ename')}: "
                                           f"{content.get('evalue')}")
            super().papermill_execute_cells()

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, **kwargs):
            # NBClientEngine's body, keeping the client: nbclient leaves the channels of a
            # kernel it does not own open, which would leak sockets page after page.
            reset = kwargs.pop("essbench_reset", None)
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = Client(nb_man, reset=reset, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file))
            try:
                return client.execute()
            except Exception as error:
                if not any(cell.metadata.get("papermill", {}).get("start_time")
                           for cell in nb_man.nb.cells):
                    raise KernelNotStarted(f"{type(error).__name__}: {error}") from error
                raise EngineFailed(nb_man.nb, error) from error
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(name, Engine)
