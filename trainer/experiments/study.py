"""The Optuna side of a model-based sweep: samplers, pruners, the search space and a study in a journal file.

Optuna is the optional `search` extra, imported only here and only when a sweep asks for
`tpe`, `cmaes` or `qmc` (grid and random sweeps never need it). The study lives in
`DIR/study.journal` (`JournalStorage` on a `JournalFileBackend`: one append-only file, no server).
Only the sweep process asks and tells; workers never touch the study.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import UserError, require_extra
from .space import Range

SAMPLERS = ("tpe", "cmaes", "qmc")
PRUNERS = ("median", "percentile", "asha", "hyperband")
PRUNE_OPTIONS = {  # each pruner's settings that `--prune-option KEY=VALUE` may change, with our defaults
    "median": {"n_startup_trials": 5, "n_warmup_steps": 0, "n_min_trials": 1},
    "percentile": {"percentile": 25.0, "n_startup_trials": 5, "n_warmup_steps": 0, "n_min_trials": 1},
    "asha": {"min_resource": 1, "reduction_factor": 3, "min_early_stopping_rate": 0},
    "hyperband": {"min_resource": 1, "max_resource": "auto", "reduction_factor": 3},
}
JOURNAL = "study.journal"
STUDY_NAME = "trainer-sweep"


def optuna() -> ModuleType:
    """The optuna module, or a UserError (exit 2) naming `pip install 'trainer[search]'`."""
    module = require_extra("optuna", "search", feature="--search tpe|cmaes|qmc and --prune", key="sweep.search")
    module.logging.set_verbosity(module.logging.WARNING)
    warnings.filterwarnings("ignore", category=module.exceptions.ExperimentalWarning)
    return module


def distributions(ranges: Mapping[str, Range], choices: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Optuna distributions: a range is a float or int distribution (log or not), a grid entry a categorical one."""
    dist = optuna().distributions
    out: dict[str, Any] = {}
    for key, r in ranges.items():
        if r.integer:
            out[key] = dist.IntDistribution(math.ceil(r.low), math.floor(r.high), log=r.log)
        else:
            out[key] = dist.FloatDistribution(r.low, r.high, log=r.log)
    for key, values in choices.items():
        for value in values:
            if value is not None and not isinstance(value, bool | int | float | str):
                raise UserError(f"a model-based search chooses among plain values; {value!r} is not one",
                                key=f"sweep.grid.{key}", hint="give numbers, strings or booleans, or use --search grid")
        out[key] = dist.CategoricalDistribution(list(values))
    return out


def make_sampler(name: str, seed: int) -> Any:
    """A fresh sampler of `name` seeded with `seed` (TPE with the constant liar: a batch is asked before any tell)."""
    samplers = optuna().samplers
    if name == "tpe":
        return samplers.TPESampler(seed=seed, constant_liar=True)
    if name == "cmaes":
        return samplers.CmaEsSampler(seed=seed, independent_sampler=samplers.RandomSampler(seed=seed),
                                     warn_independent_sampling=False)
    if name == "qmc":
        return samplers.QMCSampler(seed=seed, scramble=True, warn_asynchronous_seeding=False,
                                   warn_independent_sampling=False)
    raise UserError(f"unknown search {name!r}", key="sweep.search", hint=f"choose one of: {', '.join(SAMPLERS)}")


def prune_settings(name: str | None, options: Mapping[str, Any]) -> dict[str, Any] | None:
    """The pruner's full settings (defaults filled in); unknown pruners and option names are UserErrors."""
    if name is None:
        if options:
            raise UserError("--prune-option needs --prune", key="sweep.prune_options",
                            hint=f"add --prune {'|'.join(PRUNERS)}")
        return None
    if name not in PRUNERS:
        raise UserError(f"unknown pruner {name!r}", key="sweep.prune", hint=f"choose one of: {', '.join(PRUNERS)}")
    defaults = PRUNE_OPTIONS[name]
    unknown = [k for k in options if k not in defaults]
    if unknown:
        raise UserError(f"the {name} pruner has no setting {unknown[0]!r}", key=f"sweep.prune_options.{unknown[0]}",
                        hint=f"its settings: {', '.join(defaults)}")
    settings = {**defaults, **options}
    for key, value in settings.items():
        bad = key != "max_resource" or value != "auto"
        if bad and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            raise UserError(f"{key} must be a non-negative number, got {value!r}", key=f"sweep.prune_options.{key}")
    return {"type": name, **settings}


def make_pruner(settings: Mapping[str, Any] | None) -> Any:
    """The Optuna pruner `prune_settings` describes (or NopPruner)."""
    pruners = optuna().pruners
    if settings is None:
        return pruners.NopPruner()
    s = {k: v for k, v in settings.items() if k != "type"}
    ints = {k: int(v) if isinstance(v, float) and k != "percentile" else v for k, v in s.items()}
    kind = settings["type"]
    if kind == "median":
        return pruners.MedianPruner(ints["n_startup_trials"], ints["n_warmup_steps"], 1,
                                    n_min_trials=ints["n_min_trials"])
    if kind == "percentile":
        return pruners.PercentilePruner(float(s["percentile"]), ints["n_startup_trials"], ints["n_warmup_steps"], 1,
                                        n_min_trials=ints["n_min_trials"])
    if kind == "asha":
        return pruners.SuccessiveHalvingPruner(ints["min_resource"], ints["reduction_factor"],
                                               ints["min_early_stopping_rate"])
    return pruners.HyperbandPruner(ints["min_resource"], ints["max_resource"], ints["reduction_factor"])


def open_study(directory: Path, direction: str, pruner: Any, sampler: Any) -> Any:
    """The study of `directory/study.journal`, created on first use, loaded after that."""
    module = optuna()
    journal = module.storages.journal
    storage = module.storages.JournalStorage(journal.JournalFileBackend(str(directory / JOURNAL)))
    return module.create_study(storage=storage, study_name=STUDY_NAME, direction=direction, sampler=sampler,
                               pruner=pruner, load_if_exists=True)


def fail_unfinished(study: Any) -> list[int]:
    """Mark every trial a killed sweep left RUNNING (or enqueued, WAITING) as FAIL; their numbers."""
    state = optuna().trial.TrialState
    numbers = []
    for trial in study.get_trials(deepcopy=False, states=(state.RUNNING, state.WAITING)):
        study._storage.set_trial_state_values(trial._trial_id, state=state.FAIL)
        numbers.append(trial.number)
    return numbers


def tell(study: Any, number: int, status: str, value: float | None) -> None:
    """Finish trial `number`: `completed` with its objective, `pruned`, or anything else as FAIL."""
    state = optuna().trial.TrialState
    if status == "completed" and value is not None and math.isfinite(value):
        study.tell(number, value)
    elif status == "pruned":
        study.tell(number, state=state.PRUNED)
    else:
        study.tell(number, state=state.FAIL)


def importances(study: Any, seed: int) -> dict[str, float]:
    """fANOVA importances (scikit-learn's random forest, seeded) of the finished trials; {} with too few."""
    module = optuna()
    state = module.trial.TrialState
    done = study.get_trials(deepcopy=False, states=(state.COMPLETE,))
    if len(done) < 2 or len(study.best_trial.params) < 1:
        return {}
    evaluator = module.importance.FanovaImportanceEvaluator(seed=seed)
    try:
        scores = module.importance.get_param_importances(study, evaluator=evaluator)
        return {key: float(value) for key, value in scores.items()}
    except (RuntimeError, ValueError, ImportError):  # all values equal; or scikit-learn is missing
        return {}
