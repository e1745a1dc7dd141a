"""study.json: what a model-based sweep promised (config hash, space, settings, budget) and where each trial is.

Written atomically beside state.json after every change, so a sweep killed at any moment leaves a
readable file. A trial's `status` is `waiting` (asked again on the next invocation), `running`,
`completed`, `pruned` or `failed`; `objective` is the mean over seeds of the judged value (None unless
completed; a pruned trial's last reported value is `last_value`). Times are UTC ISO-8601 strings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..training.atomic import write_json

STUDY_FILE = "study.json"
VERSION = 1
PROMISES = ("config_hash", "space", "settings")  # what a rerun must match; `trials` (the budget) may grow


def now() -> str:
    """The current UTC time, as study.json writes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def read(directory: Path) -> dict[str, Any] | None:
    """The study.json of `directory`, or None when there is none (an unreadable one is a UserError)."""
    path = directory / STUDY_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path}: {exc}", file=str(path),
                        hint="restore it, or pass --force to start a new study beside this one") from None
    if not isinstance(data, dict) or not isinstance(data.get("trials"), list):
        raise UserError(f"{path} is not a sweep's study file", file=str(path), hint="choose another --out")
    return data


def write(directory: Path, data: Mapping[str, Any]) -> None:
    """Save study.json atomically (the time of this save as `updated`)."""
    write_json(directory / STUDY_FILE, {**data, "updated": now()})


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What differs between the promises of a recorded study and of this command, in words."""
    out = []
    if old.get("config_hash") != new["config_hash"]:
        out.append(f"the config changed (hash {str(old.get('config_hash'))[:12]} -> {new['config_hash'][:12]})")
    old_space, new_space = old.get("space") or {}, new["space"]
    for key in sorted(set(old_space) | set(new_space)):
        if old_space.get(key) != new_space.get(key):
            was, now_ = _text(old_space.get(key)), _text(new_space.get(key))
            out.append(f"the search space of {key} changed ({was} -> {now_})")
    old_settings, new_settings = old.get("settings") or {}, new["settings"]
    for key in sorted(set(old_settings) | set(new_settings)):
        if old_settings.get(key) != new_settings.get(key):
            out.append(f"{key} changed ({_text(old_settings.get(key))} -> {_text(new_settings.get(key))})")
    return out


def beside(directory: Path) -> Path:
    """The first `DIR-2`, `DIR-3`, ... that holds no study yet: where `--force` starts a new one."""
    k = 2
    while (directory.parent / f"{directory.name}-{k}" / STUDY_FILE).exists():
        k += 1
    return directory.parent / f"{directory.name}-{k}"


def _text(value: Any) -> str:
    return "absent" if value is None else json.dumps(value, sort_keys=True)
