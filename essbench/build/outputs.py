"""Writing generated files so that a reader, or a build killed meanwhile, never sees a torn one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Marks our temporary files so that the next build (holding the lock) can sweep what a killed
# one left behind, and nothing else.
TEMPORARY_MARK = ".essbench-tmp"


def temporary_file(folder: Path, name: str, suffix: str) -> Path:
    """An empty temporary file in `folder`, named after its target, with ordinary permissions."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=f"{TEMPORARY_MARK}{suffix}",
                                    dir=folder)
    os.close(handle)
    # mkstemp makes the file readable by its owner only; outputs are shared like any file
    os.chmod(path, 0o666 & ~_umask())
    return Path(path)


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write to a temporary file of the same folder, then rename it over the target."""
    path = Path(path)
    temporary = temporary_file(path.parent, path.name, ".part")
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
