"""`trainer.benchmark`: a suite's problems × optimizers, each tuned as in a compare, scored AlgoPerf-style.

Per problem and optimizer: `t` is the median over seeds of the time the chosen setting took to
bring the judged loss to the problem's target (epochs, or seconds with `time: seconds`; a seed
that never gets there or fails is +inf); the performance ratio is t / the best optimizer's t.
The final-metric version uses the median final judged loss instead of t (see `profiles.final_ratios`).
ρ(τ) is the share of problems within τ of the best, and the score ∫ρ over τ in [1, 4] / 3
(1: best everywhere, 0: never within 4× of the best). All runs of all problems go through one
experiment directory, so they run in parallel and a rerun reuses every finished run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._forkserver import start_local_workers_early
from ..config import load_config
from ..errors import UserError
from ..training.atomic import write_text
from .base_config import base_mapping, check_config
from .executors import check_executor, make_executor
from .experiment_dir import ExperimentDir
from .jobs import Progress, run_jobs
from .plan import default_dir, seed_list
from .plot import PROFILE, profile_bytes, write_png
from .plot import available as plot_available
from .profiles import TAU_MAX, final_ratios, ratios, rho, score
from .records import RunRecord, judged, loss_column, time_to
from .stats import median
from .suite import Problem, Suite, load_suite
from .summary import summary_markdown
from .tables import mark_ties, pairwise_rows, variant_rows
from .tuning import TunePlan, parse_tuning
from .variants import parse_optimizers, slug
from .whole import whole
from .writers import write_csv, write_results

SCORES = "scores.csv"
RATIOS = "ratios.csv"
PROFILE_CSV = "profile.csv"
SUMMARY_MD = "summary.md"
TAUS = np.linspace(1.0, TAU_MAX, 301)


@dataclass
class BenchmarkOutcome:
    """What a benchmark produced: per-problem rows, the ratios, the scores, the directory, notes."""

    problems: dict[str, list[dict[str, Any]]]
    ratios: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    directory: Path
    notes: list[str]


def run_benchmark(suite: str | os.PathLike[str] | Suite, jobs: int | None = None,
                  out: str | os.PathLike[str] | None = None, *, executor: str = "local",
                  address: str | None = None, progress: Progress | None = None, plot: bool = True,
                  connect_timeout: float | None = None) -> BenchmarkOutcome:
    """Run a suite; see `benchmark`."""
    check_executor(executor, address, connect_timeout)
    if executor == "local":
        start_local_workers_early()  # its imports overlap the checks and the plan below
    suite = suite if isinstance(suite, Suite) else load_suite(suite)
    variants = parse_optimizers(suite.optimizers)
    plans = {p.name: _plan(suite, p, variants) for p in suite.problems}
    trials = [job for plan in plans.values() for job in plan.trial_jobs()]
    factory = lambda n: make_executor(executor, jobs=min(jobs or os.cpu_count() or 1, n), address=address,
                                      connect_timeout=connect_timeout)
    path = Path(out) if out is not None else default_dir("benchmark", suite.name, trials)
    with ExperimentDir(path, "benchmark", suite.source).open() as directory:
        directory.plan({}, expected=len(trials) + sum(plan.final_count() for plan in plans.values()))
        done = {r.spec.key: r for r in run_jobs(trials, directory, factory, progress=progress)}
        for plan in plans.values():
            plan.choose(done)
        finals = [job for plan in plans.values() for job in plan.final_jobs()]
        done.update({r.spec.key: r for r in run_jobs(finals, directory, factory, progress=progress)})
        return _report(suite, directory.path, {p.name: (p, plans[p.name]) for p in suite.problems}, done, plot)


def _plan(suite: Suite, problem: Problem, variants: list[Any]) -> TunePlan:
    try:
        cfg = load_config(str(problem.config), list(problem.overrides))
        tuning = parse_tuning(suite.tune, suite.budget, suite.tune_seed if suite.tune_seed is not None else cfg.seed,
                              suite.select)
        plan = TunePlan(base_mapping(cfg), variants, seed_list(cfg.seed, suite.seeds), tuning,
                        prefix=f"{slug(problem.name)}--")
        for job in plan.trial_jobs():
            check_config(job.config, f"problem {problem.name!r}, optimizer {job.spec.group!r}")
    except UserError as exc:
        raise UserError(f"problem {problem.name!r}: {exc.message}", file=exc.file or str(suite.source),
                        key=exc.key, hint=exc.hint) from None
    return plan


def _report(suite: Suite, path: Path, plans: dict[str, tuple[Problem, TunePlan]], done: dict[str, RunRecord],
            plot: bool) -> BenchmarkOutcome:
    per_problem: dict[str, list[dict[str, Any]]] = {}
    times: dict[str, dict[str, float]] = {}
    finals: dict[str, dict[str, float]] = {}
    for name, (problem, plan) in plans.items():
        records = plan.final_records(done)
        rows = variant_rows(records, problem.target)
        plan.annotate(rows)
        mark_ties(rows)
        folder = path / "problems" / name
        folder.mkdir(parents=True, exist_ok=True)
        write_results(folder, rows)
        write_csv(folder / "pairwise.csv", pairwise_rows(rows))
        per_problem[name] = rows
        groups: dict[str, list[RunRecord]] = {}
        for record in records:
            groups.setdefault(record.spec.group, []).append(record)
        times[name] = {g: _median([_time(r, problem.target, suite.time) for r in rs]) for g, rs in groups.items()}
        finals[name] = {g: _median([judged(r, "final") for r in rs]) for g, rs in groups.items()}
    by_time, by_final = ratios(times), final_ratios(finals)
    optimizers = list(dict.fromkeys(o for row in times.values() for o in row))
    ratio_rows = [{"problem": p, "optimizer": o,
                   f"time_to_target_{suite.time}": whole(times[p][o]) if suite.time == "epochs" else times[p][o],
                   "time_ratio": by_time[p][o], "final_loss": finals[p][o], "final_ratio": by_final[p][o],
                   "tuned": next((r.get("tuned") for r in per_problem[p] if r["variant"] == o), None)}
                  for p in times for o in times[p]]
    scores = sorted(({"optimizer": o, "score_time": score(by_time, o), "score_final": score(by_final, o),
                      "solved": sum(1 for p in by_time if np.isfinite(by_time[p][o])), "problems": len(by_time)}
                     for o in optimizers), key=lambda r: (-r["score_time"], -r["score_final"]))
    rhos = {"time to target": {o: rho(by_time, o, TAUS) for o in optimizers},
            "final loss": {o: rho(by_final, o, TAUS) for o in optimizers}}
    write_csv(path / RATIOS, ratio_rows)
    write_csv(path / SCORES, scores)
    write_csv(path / PROFILE_CSV, [{"version": v, "optimizer": o, "tau": float(t), "rho": float(r)}
                                   for v, series in rhos.items() for o, values in series.items()
                                   for t, r in zip(TAUS, values)])
    write_text(path / SUMMARY_MD, summary_markdown(suite, per_problem, ratio_rows, scores))
    notes = []
    if plot and plot_available():
        write_png(path / PROFILE, profile_bytes(TAUS, rhos, title=f"{suite.name}: performance profiles"))
    elif plot:
        notes.append("profile.png needs matplotlib; profile.csv holds its data")
    return BenchmarkOutcome(per_problem, ratio_rows, scores, path, notes)


def _time(record: RunRecord, target: float, unit: str) -> float:
    if not record.ok:
        return float("inf")
    epochs, seconds = time_to(record.history, loss_column(record.summary, record.history), target)
    return epochs if unit == "epochs" else seconds


def _median(values: Sequence[float]) -> float:
    return median(values) if values else float("inf")


def benchmark(suite: str | os.PathLike[str], jobs: int | None = None, out: str | os.PathLike[str] | None = None,
              *, executor: str = "local", address: str | None = None, progress: Progress | None = None,
              connect_timeout: float | None = None) -> list[dict[str, Any]]:
    """Run the benchmark suite file `suite`; return the score rows, best first.

    Every problem × optimizer is tuned as in `compare(..., tune=..., budget=...)` with the suite's
    settings, then scored: per-problem performance ratios of the time to target (and of the final
    judged loss), ρ(τ) for τ in [1, 4], and score = ∫ρ / 3. Writes `out/scores.csv`, `ratios.csv`,
    `profile.png` (with `profile.csv`), `summary.md` (Markdown for a README), per-problem
    `problems/<name>/results.csv` and `pairwise.csv`, and every run under `out/runs/` (default
    `runs/<suite>/benchmark-<digest>/`); a rerun reuses finished runs. `executor`, `address`,
    `connect_timeout`, `jobs` and `progress` are as in `compare`.
    """
    return run_benchmark(suite, jobs, out, executor=executor, address=address, progress=progress,
                         connect_timeout=connect_timeout).scores
