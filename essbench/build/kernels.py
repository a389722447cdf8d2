"""Warm kernels: one kernel per build worker, reused page after page, with each page isolated."""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import tempfile
from pathlib import Path

from essbench.project import ROOT_ENV

# A kernel serves this many pages, then a fresh one starts: whatever a page leaves behind
# that a namespace reset cannot clear (imported modules' state, caches, fragmented memory)
# lives at most this long, and memory stays flat over a national build.
PAGES_PER_KERNEL = 50
START_TIMEOUT_S = 60
ENGINE = "essbench"

# Run before each page: the page sees no name a previous page defined, and starts in its
# notebook's folder. Modules stay imported: that is the time saved.
_RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
          "import os as _essbench_os\n"
          "_essbench_os.chdir({folder!r})\n"
          "del _essbench_os\n")


class KernelNotStarted(Exception):
    """The kernel died or stayed silent before its first cell: worth one retry."""


class EngineFailed(Exception):
    """Execution stopped by something else than a cell's error: timeout, kernel death."""

    def __init__(self, notebook, error: BaseException):
        self.notebook = notebook
        super().__init__(f"{type(error).__name__}: {error}")


class WarmKernel:
    """A kernel kept between the pages of one worker, for one project and kernel name."""

    def __init__(self, kernel_name: str, root: str, folder: str, log: Path):
        from jupyter_client.manager import KernelManager

        self.key = (kernel_name, root)
        self.pages = 0
        self.owner = os.getpid()
        # Unix sockets in a folder of its own instead of TCP ports: no port picked by one
        # kernel and taken by another meanwhile, and nothing readable by other users.
        self.sockets = tempfile.mkdtemp(prefix="essbench-kernel-")
        # nbclient is asynchronous: with the blocking client a KernelManager hands out by
        # default, it waits on the kernel's output forever and a hung cell never times out.
        self.manager = KernelManager(kernel_name=kernel_name, transport="ipc",
                                     ip=os.path.join(self.sockets, "kernel"),
                                     client_class="jupyter_client.asynchronous.AsyncKernelClient")
        log.parent.mkdir(parents=True, exist_ok=True)
        try:
            # The kernel's own messages ("KeyboardInterrupt caught in kernel"...) go to a log
            # of the worker, not between the progress lines.
            with open(log, "a", encoding="utf-8") as stderr:
                # This is how a notebook finds the build's project.
                self.manager.start_kernel(cwd=folder, stderr=stderr,
                                          env={**os.environ, ROOT_ENV: root})
            client = self._client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=START_TIMEOUT_S)
            finally:
                client.stop_channels()
        except Exception as error:
            self.shutdown()
            raise KernelNotStarted(f"{type(error).__name__}: {error}") from error

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.manager, "provisioner", None)
        return getattr(getattr(provisioner, "process", None), "pid", None)

    def _client(self):
        from jupyter_client.blocking import BlockingKernelClient

        # parent: asked whether the kernel lives, the manager looks at the process; on its
        # own a client would trust the heartbeat, which a loaded machine can delay.
        return BlockingKernelClient(parent=self.manager,
                                    **self.manager.get_connection_info(session=True))

    def shutdown(self) -> None:
        try:
            if self.manager.has_kernel:
                self.manager.shutdown_kernel(now=True)
        finally:
            self.manager.cleanup_resources()
            shutil.rmtree(self.sockets, ignore_errors=True)


_WARM: WarmKernel | None = None
_FINALIZER_PID: int | None = None


def acquire(kernel_name: str, root: str, folder: str, log: Path) -> WarmKernel:
    """This worker's kernel, reset for a new page; started (or restarted) when needed."""
    global _WARM, _FINALIZER_PID
    if _WARM is not None and _WARM.owner != os.getpid():
        _WARM = None  # a forked worker's copy of its parent's kernel: the parent's to end
    if _WARM is not None and (_WARM.key != (kernel_name, root)
                              or _WARM.pages >= PAGES_PER_KERNEL):
        release(ok=False)
    if _WARM is None:
        _WARM = WarmKernel(kernel_name, root, folder, log)
        if _FINALIZER_PID != os.getpid():
            # When the worker process ends normally, its kernel ends with it (a worker killed
            # outright leaves a kernel that ends itself: ipykernel watches its parent).
            multiprocessing.util.Finalize(None, shutdown, exitpriority=10)
            _FINALIZER_PID = os.getpid()
    if not _WARM.manager.is_alive():
        release(ok=False)
        raise KernelNotStarted("the kernel kept from the previous page has died")
    return _WARM


def reset_code(folder: str) -> str:
    """What the engine runs before a page's first cell (engine option `essbench_reset`)."""
    return _RESET.format(folder=folder)


def release(ok: bool) -> None:
    """After a page: counted if it went well; after a failure the kernel is not reused."""
    global _WARM
    if _WARM is None or _WARM.owner != os.getpid():
        return
    _WARM.pages += 1
    if not ok or _WARM.pages >= PAGES_PER_KERNEL:
        kernel, _WARM = _WARM, None
        kernel.shutdown()


def shutdown() -> None:
    """End this worker's kernel, if any."""
    global _WARM
    if _WARM is not None and _WARM.owner == os.getpid():
        kernel, _WARM = _WARM, None
        kernel.shutdown()


def register_engine() -> None:
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

    papermill_engines.register(ENGINE, Engine)
