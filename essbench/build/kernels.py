"""Warm kernels: one kernel per build worker, reused page after page, with each page isolated."""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import tempfile
from pathlib import Path

from essbench.build.engine import EngineFailed, KernelNotStarted  # noqa: F401 (raised here)
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
    """papermill's engine for warm kernels (essbench.build.engine, where what it takes from
    papermill's internals is kept and checked)."""
    from essbench.build.engine import register

    register(ENGINE)
