"""Planning: turn variants or search-space points, times seeds, into jobs with stable directory names.

The names depend only on what the user asked for (same command, same names), which is what lets a
rerun find its finished runs; the fingerprint decides whether a finished run still matches.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import UserError
from .base_config import fingerprint, override_text, plain
from .jobs import Job
from .records import RunSpec
from .space import Point
from .variants import Variant, slug


def seed_list(base_seed: int, seeds: int | Sequence[int] | None) -> list[int]:
    """`seeds=K` → the config's seed and the K-1 after it; a list is taken as the seeds themselves."""
    if seeds is None:
        return [base_seed]
    if isinstance(seeds, bool) or (not isinstance(seeds, int) and not isinstance(seeds, Sequence)):
        raise UserError(f"seeds is a count or a list of seeds, got {seeds!r}", key="seeds")
    if isinstance(seeds, int):
        if seeds < 1:
            raise UserError(f"seeds must be at least 1, got {seeds}", key="seeds")
        return [base_seed + k for k in range(seeds)]
    values = [int(s) for s in seeds]
    if not values or len(set(values)) != len(values) or min(values) < 0:
        raise UserError(f"seeds must be distinct non-negative integers, got {list(seeds)}", key="seeds")
    return values


def compare_jobs(base: dict[str, Any], variants: Sequence[Variant], seeds: Sequence[int]) -> list[Job]:
    """One job per variant and seed: the base config with that optimizer block and seed, nothing else changed."""
    jobs = []
    for variant in variants:
        for seed in seeds:
            config = copy.deepcopy(base)
            config["optimizer"] = plain(variant.block(base.get("optimizer")))
            config["seed"] = seed
            key = slug(variant.label) + (f"-seed{seed}" if len(seeds) > 1 else "")
            spec = RunSpec(key, variant.label, seed, {"optimizer": config["optimizer"]}, group=variant.label)
            jobs.append(Job(spec, config, (), fingerprint(config, ())))
    return _unique_keys(jobs)


def sweep_jobs(base: dict[str, Any], points: Sequence[Point], seeds: Sequence[int]) -> list[Job]:
    """One job per search-space point and seed: the base config, that seed, the point as `--set` overrides."""
    jobs = []
    for point in points:
        values = {key: plain(value) for key, value in point.items()}
        overrides = tuple(override_text(key, value) for key, value in values.items())
        label = point_label(values)
        for seed in seeds:
            config = copy.deepcopy(base)
            config["seed"] = seed
            key = slug(label or "run") + (f"-seed{seed}" if len(seeds) > 1 else "")
            spec = RunSpec(key, label or "base config", seed, values, group=label)
            jobs.append(Job(spec, config, overrides, fingerprint(config, overrides)))
    return _unique_keys(jobs)


def point_label(point: Point) -> str:
    """`lr=0.01,type=adam`: each key by its last part (the whole key when two would read alike)."""
    short = [key.rsplit(".", 1)[-1] for key in point]
    names = [s if short.count(s) == 1 else key for s, key in zip(short, point)]
    return ",".join(f"{name}={_short(value)}" for name, value in zip(names, point.values()))


def default_dir(kind: str, name: str, jobs: Sequence[Job]) -> Path:
    """`runs/<name>/<kind>-<digest>`: the same experiment always lands in the same directory."""
    digest = hashlib.sha256("".join(j.spec.key + j.fingerprint for j in jobs).encode()).hexdigest()[:8]
    return Path("runs") / slug(name) / f"{kind}-{digest}"


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ",".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_short(v)}" for k, v in value.items()) + "}"
    return str(value)


def _unique_keys(jobs: list[Job]) -> list[Job]:
    seen: dict[str, int] = {}
    out = []
    for job in jobs:
        count = seen[job.spec.key] = seen.get(job.spec.key, 0) + 1
        if count > 1:
            spec = job.spec
            job = Job(RunSpec(f"{spec.key}-{count}", spec.label, spec.seed, spec.overrides, spec.group),
                      job.config, job.overrides, job.fingerprint)
        out.append(job)
    return out
