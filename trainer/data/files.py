"""What the file loaders share: resolving paths against the config's folder, opening errors, class labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import UserError


def resolve_data_path(path: str | Path, base_dir: str | Path) -> Path:
    """A data file's absolute path: `~` expanded, a relative path taken from `base_dir` (the config's folder)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path(base_dir) / p).resolve()


@dataclass(frozen=True)
class FileSource:
    """Where a loader reads from: the config file's folder, whether `task: auto` means classification, and
    the most memory the loaded arrays may take (None: no limit)."""

    base_dir: Path
    auto_classification: bool = False
    max_bytes: int | None = None

    def resolve(self, path: str) -> Path:
        """`path` relative to the config's folder (absolute paths and `~` are kept)."""
        return resolve_data_path(path, self.base_dir)

    def classification(self, task: str) -> bool:
        """True when the targets are class labels."""
        return task == "classification" or (task == "auto" and self.auto_classification)


def check_readable(path: Path) -> None:
    """A UserError unless `path` is an existing, readable file."""
    hint = "paths in the config are relative to the config file's folder"
    if not path.exists():
        raise UserError(f"data file not found: {path}", key="data.path", hint=hint)
    if not path.is_file():
        raise UserError(f"data path is not a file: {path}", key="data.path", hint=hint)


def unreadable(path: Path, exc: Exception) -> UserError:
    """The UserError for a file that exists but cannot be read."""
    return UserError(f"cannot read data file {path}: {exc.strerror if isinstance(exc, OSError) else exc}",
                     key="data.path")


def encode_labels(labels: np.ndarray) -> tuple[np.ndarray, int, tuple[str, ...]]:
    """Class labels (numbers or strings) -> int64 indices into their sorted unique values, count and names."""
    values, index = np.unique(labels, return_inverse=True)
    names = tuple(f"{v:g}" if isinstance(v, float | np.floating) else str(v) for v in values)
    return index.reshape(-1).astype(np.int64), len(values), names
