"""One owner per directory: an exclusive `flock` on the directory itself, with the owner's pid in `DIR/.lock`.

The lock is on the directory's inode, so `.lock` is only a note saying who holds it and is removed on
release; the kernel drops the lock when the owner dies (even by SIGKILL), so a stale `.lock` never
blocks anyone. Where `fcntl` is missing (Windows), locking is a no-op.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType

from ..errors import UserError

PID_FILE = ".lock"
_HELD: set[Path] = set()  # directories this process holds


class DirLock:
    """An exclusive, non-blocking lock on a directory; a second owner gets a UserError naming the holder."""

    def __init__(self, path: str | os.PathLike[str], key: str | None = None, hint: str | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.hint = hint
        self._fd: int | None = None

    def acquire(self) -> DirLock:
        """Take the lock (the directory must exist) and write this process's pid to `.lock`."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: directories cannot be opened or locked
            fcntl = None
        fd = -1
        if fcntl is not None:
            fd = os.open(self.path, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise UserError(f"{self.path} is in use by {holder(self.path)}", key=self.key,
                                hint=self.hint) from None
        self._fd = fd
        _HELD.add(self.path.resolve())
        try:
            _write_pid(self.path / PID_FILE)
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        """Remove `.lock` and drop the lock (in that order, so a new owner's note is never deleted)."""
        if self._fd is None:
            return
        try:
            (self.path / PID_FILE).unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            _HELD.discard(self.path.resolve())
            if self._fd >= 0:
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DirLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def held(path: str | os.PathLike[str]) -> bool:
    """Whether this process holds the lock on `path`."""
    return Path(path).resolve() in _HELD


def locked_elsewhere(path: str | os.PathLike[str]) -> bool:
    """Whether another process (or another DirLock here) holds `path` right now."""
    if held(path):
        return False
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops a lock taken just now
    return False


def holder(path: str | os.PathLike[str], wait: float = 1.0) -> str:
    """'pid N' of the process holding `path`, as its `.lock` says (waiting briefly for a new owner to write it)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            text = (Path(path) / PID_FILE).read_text().strip()
        except OSError:
            text = ""
        if text.isdigit():
            return f"pid {text}"
        if time.monotonic() >= deadline:
            return "another process"
        time.sleep(0.02)


def _write_pid(path: Path) -> None:
    """Write the pid in place (not via a temporary file: the note must exist as soon as the lock is held)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
