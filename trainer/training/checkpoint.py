"""checkpoint.npz: a snapshot as JSON text plus arrays, written atomically, loaded without pickle.

A run directory's checkpoint stores no history (its size does not grow with the epochs): the rows
up to its epoch are read back from the metrics.csv beside it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UserError
from . import atomic, codec, metrics_log
from .rundir import METRICS
from .state import Snapshot

FORMAT = 2  # 2: the RNG state is PyTorch's generator state (1 held numpy's PCG64 state)
_STATE_KEY = "__state__"
_MODEL_PREFIX = "model/"


def save_checkpoint(path: str | Path, snap: Snapshot, meta: dict[str, Any] | None = None, *,
                    history: bool = True) -> Path:
    """Write `snap` (and JSON-able `meta`) to `path` atomically.

    `history=False` leaves the rows out: they are in the metrics.csv next to `path`, which must then
    hold at least `snap.epoch` rows before the checkpoint is written.
    """
    rest = snap.as_dict()
    model = rest.pop("model")
    if not history:
        del rest["history"]
    text, arrays = codec.encode({"format": FORMAT, "meta": meta or {}, **rest}, prefix="state/")
    entries: dict[str, np.ndarray] = {_STATE_KEY: np.array(text)}
    entries.update({f"{_MODEL_PREFIX}{name}": arr for name, arr in model.items()})
    entries.update(arrays)
    return atomic.write_npz(path, entries)


def load_checkpoint(path: str | Path, checkpoint_every: int | None = None) -> tuple[Snapshot, dict[str, Any]]:
    """Read a checkpoint written by `save_checkpoint`; returns the snapshot and its meta.

    `checkpoint_every` is the run's setting, only used to say why a checkpoint is missing.
    """
    path = Path(path)
    if not path.is_file():
        hint = (f"the run was killed before its first checkpoint at epoch {checkpoint_every}; start it again "
                "(--overwrite reuses this directory)"
                if checkpoint_every else "set training.checkpoint_every, or resume a run that was interrupted")
        raise UserError(f"no checkpoint at {path}", file=str(path), hint=hint)
    try:
        with np.load(path, allow_pickle=False) as npz:
            files = {name: npz[name] for name in npz.files}
        state = codec.decode(str(files.pop(_STATE_KEY)[()]), files)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError, RecursionError) as exc:
        reason = "it holds Python objects, which are never loaded" if "pickle" in str(exc) else str(exc)
        raise UserError(f"cannot read the checkpoint: {reason}", file=str(path),
                        hint="the file is damaged or not a trainer checkpoint") from None
    if isinstance(state, dict) and isinstance(state.get("format"), int) and state["format"] != FORMAT:
        raise UserError(f"the checkpoint has format {state['format']}, this trainer reads format {FORMAT}",
                        file=str(path), hint="it was written by another version of trainer; start the run again")
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise UserError("not a trainer checkpoint (unknown format)", file=str(path))
    model = {name[len(_MODEL_PREFIX):]: arr for name, arr in files.items() if name.startswith(_MODEL_PREFIX)}
    meta = state.pop("meta", {})
    state.pop("format")
    if "history" not in state and isinstance(state.get("epoch"), int):
        state["history"] = metrics_log.read_rows(path.parent / METRICS, state["epoch"])
    try:
        return Snapshot(model=model, **state), meta
    except TypeError as exc:
        raise UserError(f"the checkpoint is incomplete: {exc}", file=str(path)) from None
