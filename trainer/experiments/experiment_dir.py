"""The experiment directory: `state.json` remembers each run's status, and `runs/<key>/` holds its files.

One experiment at a time holds a directory (a lock file). A run counts as finished when the state
says `completed` for the same config fingerprint *and* its directory still holds a summary.json
that says `completed`. A run recorded `interrupted` for the same fingerprint whose directory holds
its checkpoint continues from it; anything else (missing, failed, diverged, changed config,
deleted directory) runs again from the start on the next invocation.
Every file is written atomically, and a run's directory appears whole or not at all.

For `trainer status`, state.json also records the experiment (`experiment`: the command line, the
config, the owner process, the workers, the planned runs with their fingerprints, the expected
total, `closed_at` once it ended) and each run's `started_at`/`finished_at`; a run in flight carries
`running` (since, owner) until its outcome is recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from ..errors import UserError
from ..training.atomic import current_umask, write_bytes, write_text
from ..training.run_files import CHECKPOINT, CONFIG
from .owner import owner_note
from .records import read_run_dir

STATE = "state.json"
RUNS = "runs"
LOCK = ".lock"
EXPERIMENT = "experiment"  # state.json's facts about the experiment as a whole
_VERSION = 1
RESUME_FILES = (CONFIG, CHECKPOINT)  # what an interrupted run needs to continue
FINAL = ("completed", "pruned")  # a run recorded so is never run again (a pruner stopped it: that is its result)


class ExperimentDir:
    """The directory of a compare or sweep: its state file and its runs."""

    def __init__(self, path: str | os.PathLike[str], kind: str, source: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path)
        self.kind = kind
        self.runs: dict[str, dict[str, Any]] = {}
        self.facts: dict[str, Any] = {"config": str(source) if source is not None else None}
        self._lock: IO[bytes] | None = None
        self._unsaved = False  # an in-flight mark not yet written (`start(..., save=False)`)
        self._lines: dict[str, tuple[dict[str, Any], str]] = {}  # run key -> (its entry, that entry's line)

    def open(self) -> ExperimentDir:
        """Create the directory, take its lock, clear half-written leftovers, read what earlier invocations recorded.

        A directory whose state.json records another kind (a sweep's, for a compare) is a UserError.
        """
        try:
            (self.path / RUNS).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the experiment directory {self.path}: {exc.strerror}",
                            key="--out") from None
        self._lock = _lock(self.path / LOCK)
        for leftover in (self.path / RUNS).glob(".*.tmp"):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            data = json.loads((self.path / STATE).read_text())
        except (OSError, ValueError):
            data = {}
        kind = data.get("kind") if isinstance(data, dict) else None
        if isinstance(kind, str) and kind != self.kind:
            self.close()
            raise UserError(f"{self.path} holds a {kind}'s results; choose another --out", key="--out",
                            hint=f"a {self.kind} would overwrite them; pass --out with a new directory")
        runs = data.get("runs") if isinstance(data, dict) else None
        self.runs = {k: v for k, v in runs.items() if isinstance(v, dict)} if isinstance(runs, dict) else {}
        self._forget_in_flight()  # holding the lock, nothing an earlier owner marked running can still run
        self.facts.update(command=_command_line(), owner=owner_note(), opened_at=time.time(), planned={},
                          workers=None, expected=None, closed_at=None)
        return self

    def close(self) -> None:
        """Release the directory's lock, first recording that no run is in flight any more (if this wrote state)."""
        if self._lock is not None:
            if self.facts.get("planned"):
                self._forget_in_flight()
                self.facts["closed_at"] = time.time()
                try:
                    self._save()
                except OSError:  # a full disk must not hide why the experiment stopped
                    pass
            self._lock.close()
            self._lock = None

    def _forget_in_flight(self) -> None:
        """Drop the in-flight marks: a run that had no earlier outcome disappears, the others keep theirs."""
        self.runs = {k: {f: v for f, v in e.items() if f != "running"} for k, e in self.runs.items()
                     if not (isinstance(e.get("running"), dict) and e.get("status") == "running")}

    def __enter__(self) -> ExperimentDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_dir(self, key: str) -> Path:
        """Where run `key` keeps its files."""
        return self.path / RUNS / key

    def finished(self, key: str, fingerprint: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """(summary, history) of a run that already completed (or was pruned) with this exact config, else None."""
        entry = self.runs.get(key, {})
        if entry.get("status") not in FINAL or entry.get("fingerprint") != fingerprint:
            return None
        found = read_run_dir(self.run_dir(key))
        if found is None or found[0].get("status") != entry["status"]:
            return None
        return found

    def resumable(self, key: str, fingerprint: str) -> dict[str, bytes] | None:
        """The files of a run interrupted with this exact config that left a checkpoint, else None."""
        entry = self.runs.get(key, {})
        if entry.get("status") != "interrupted" or entry.get("fingerprint") != fingerprint:
            return None
        root = self.run_dir(key)
        if not all((root / name).is_file() for name in RESUME_FILES):
            return None
        try:
            return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
        except OSError:
            return None

    def store_files(self, key: str, files: dict[str, bytes]) -> Path:
        """Replace run `key`'s directory with `files` (relative path → bytes), all at once."""
        final = self.run_dir(key)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", suffix=".tmp", dir=self.path / RUNS))
        try:
            os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp's 0700 would become the run directory's mode
            for rel, data in files.items():
                target = staging / rel
                if not target.resolve().is_relative_to(staging.resolve()):
                    raise ValueError(f"a run file escapes its directory: {rel!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                write_bytes(target, data)
            if final.exists():
                shutil.rmtree(final)
            os.replace(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def adopt(self, key: str, staged: str | os.PathLike[str]) -> Path:
        """Make `staged` (a worker's finished directory in a hidden `.<key>.*.tmp` beside it) run `key`'s directory."""
        final, staged = self.run_dir(key), Path(staged)
        holder = staged.parent
        if holder.parent.resolve() != (self.path / RUNS).resolve() or not holder.name.startswith(f".{key}."):
            raise ValueError(f"a staged run directory outside {self.path / RUNS}: {staged}")
        if final.exists():
            shutil.rmtree(final)
        os.replace(staged, final)
        holder.rmdir()
        return final

    def forget_files(self, key: str) -> None:
        """Remove run `key`'s directory (a rerun that produced no files must not leave stale ones)."""
        shutil.rmtree(self.run_dir(key), ignore_errors=True)

    def record(self, key: str, entry: dict[str, Any]) -> None:
        """Remember run `key`'s outcome (with when it started and finished) and save the state file atomically."""
        running = self.runs.get(key, {}).get("running")
        started = running.get("since") if isinstance(running, dict) else None
        self.runs[key] = {**entry, "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
                          **({"started_at": started} if started is not None else {}), "finished_at": time.time()}
        self._save()

    def plan(self, fingerprints: dict[str, str], workers: int | None = None, expected: int | None = None) -> None:
        """Record runs about to be run (key → fingerprint), how many run at once and, if known, the total to come."""
        self.facts["planned"].update(fingerprints)
        if workers is not None:
            self.facts["workers"] = workers
        if expected is not None:
            self.facts["expected"] = expected
        self._save()

    def start(self, key: str, *, save: bool = True) -> None:
        """Mark run `key` in flight, owned by this process; an earlier outcome (a checkpoint to resume) is kept.

        `save=False` leaves the mark to the next write (`record`, `plan` or `flush`), so a batch of starts
        and outcomes costs one rewrite of the state, not one each.
        """
        marker = {"since": time.time(), "owner": self.facts.get("owner")}
        self.runs[key] = {**self.runs.get(key, {"status": "running"}), "running": marker}
        self._unsaved = True
        if save:
            self.flush()

    def flush(self) -> None:
        """Write in-flight marks that are not on disk yet (not fsynced: the next open drops such marks anyway)."""
        if self._unsaved:
            self._save(durable=False)

    def _save(self, durable: bool = True) -> None:
        """Write state.json atomically; `durable` also fsyncs it (not needed for an in-flight mark).

        Each run's line is encoded once per change of its entry (entries are replaced, never edited in place):
        the state is rewritten after every run, so encoding all of it each time grew with the square of the runs.
        """
        cache = self._lines
        self._lines = {key: cache[key] if key in cache and cache[key][0] is run else (run, _json_line(key, run))
                       for key, run in self.runs.items()}
        head = {"kind": self.kind, "version": _VERSION, EXPERIMENT: self.facts}
        write_text(self.path / STATE, _state_text(head, [line for _, line in self._lines.values()]), durable=durable)
        self._unsaved = False


def state_text(state: dict[str, Any]) -> str:
    """state.json's text: strict JSON, one top-level key and one run per line.

    Written after every run (it holds them all), so it goes through json's C encoder, which `indent`
    turns off: indenting a 64-run sweep's state 130 times cost its parent ~0.4 s of CPU time.
    """
    return _state_text({k: v for k, v in state.items() if k != "runs"},
                       [_json_line(key, run) for key, run in state["runs"].items()])


def _json_line(key: str, value: Any) -> str:
    return f"{json.dumps(key)}: {json.dumps(value, allow_nan=False)}"


def _state_text(head: dict[str, Any], run_lines: list[str]) -> str:
    """state.json's text from its top-level facts and each run's encoded line."""
    runs = ",\n".join(f"    {line}" for line in run_lines)
    top = [f"  {_json_line(key, value)}" for key, value in head.items()]
    return "{\n" + ",\n".join([*top, f'  "runs": {{\n{runs}\n  }}' if runs else '  "runs": {}']) + "\n}\n"


def _command_line() -> list[str]:
    """The command this process was started with (`trainer sweep ...`; a script's name under the Python API)."""
    argv = list(sys.argv) or ["python"]
    if Path(argv[0]).name == "trainer":
        argv[0] = "trainer"
    return argv


def _lock(path: Path) -> IO[bytes]:
    """Hold an exclusive lock on `path` (POSIX); a second experiment in the same directory is a UserError."""
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the experiment's lifetime
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one experiment per directory is up to the user
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise UserError(f"another compare or sweep is running in {path.parent}", key="--out",
                        hint="wait for it to finish, or choose another --out") from None
    return handle
