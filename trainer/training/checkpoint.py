"""checkpoint.npz: a snapshot as JSON text plus arrays, written atomically, loaded without pickle.

A run directory's checkpoint stores no history (its size does not grow with the epochs): the rows
up to its epoch are read back from the metrics.csv beside it.
"""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Sequence
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
FINGERPRINT = "config"  # the meta key of the resolved config a checkpoint was trained with
_ABSENT = object()


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


def checkpoint_epoch(path: str | Path) -> int | None:
    """The epoch a checkpoint was saved at, read without loading its arrays; None when missing or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            state = json.loads(str(npz[_STATE_KEY][()]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    epoch = state.get("epoch") if isinstance(state, dict) else None
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None


# ----- the config a checkpoint was trained with --------------------------------------------------


def config_fingerprint(config: dict[str, Any], ignore: Sequence[str] = ()) -> dict[str, Any]:
    """The resolved `config` less the dotted keys in `ignore` (those a resume may change): a checkpoint's meta."""
    out = copy.deepcopy(config)
    for key in ignore:
        *parents, last = key.split(".")
        node: Any = out
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return out


def _first_difference(now: Any, then: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """(dotted key, value now, value then) where two JSON-like values first differ, or None."""
    if isinstance(now, dict) and isinstance(then, dict):
        for key in [*then, *(k for k in now if k not in then)]:
            found = _first_difference(now.get(key, _ABSENT), then.get(key, _ABSENT), f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    if isinstance(now, list) and isinstance(then, list):
        for i in range(max(len(now), len(then))):
            found = _first_difference(now[i] if i < len(now) else _ABSENT, then[i] if i < len(then) else _ABSENT,
                                      f"{path}.{i}" if path else str(i))
            if found:
                return found
        return None
    same = now is then or (type(now) is type(then) or {type(now), type(then)} <= {int, float}) and now == then
    return None if same else (path, now, then)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_fingerprint(meta: dict[str, Any], config: dict[str, Any], ignore: Sequence[str], config_file: str | Path,
                      ) -> None:
    """Refuse to resume when `config` (from config.yaml) is not what the checkpoint was trained with.

    A checkpoint written before fingerprints were stored resumes unchecked.
    """
    stored = meta.get(FINGERPRINT) if isinstance(meta, dict) else None
    if not isinstance(stored, dict):
        return
    found = _first_difference(config_fingerprint(config, ignore), stored)
    if found is None:
        return
    key, now, then = found
    name = Path(config_file).name
    if now is _ABSENT:
        what = f"{key} is missing from {name} but the checkpoint was trained with {_shown(then)}"
    elif then is _ABSENT:
        what = f"{key} is {_shown(now)} in {name} but the checkpoint was trained without it"
    else:
        what = f"{key} is {_shown(now)} in {name} but the checkpoint was trained with {_shown(then)}"
    raise UserError(f"{name} no longer matches the checkpoint: {what}", key="--resume", file=str(config_file),
                    hint=f"restore {name} to what the run was trained with, or start a new run with the new "
                         "config (with --resume, only --set " + ", ".join(ignore) + " may change)")
