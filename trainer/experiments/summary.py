"""summary.md of a benchmark: the protocol in a few lines, the scores, and one table per problem (Markdown)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isinf(value):
            return "never" if value > 0 else "-inf"
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}g}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_num(c) for c in row) + " |" for row in rows]
    return lines


def summary_markdown(suite: Any, problems: Mapping[str, list[dict[str, Any]]], ratios: Sequence[dict[str, Any]],
                     scores: Sequence[dict[str, Any]]) -> str:
    """The benchmark's results as README-ready Markdown."""
    unit = suite.time
    lines = [f"# Benchmark `{suite.name}`", "",
             f"{len(problems)} problems × {len(scores)} optimizers. Each optimizer is tuned per problem: "
             f"{suite.budget} trials of {_tune_text(suite.tune)} on the tuning seed, the trial with the lowest "
             f"{suite.select} judged loss (validation loss if any, else training loss; a diverged trial is worst) "
             f"wins, and it is rerun on {suite.seeds} seed(s). "
             f"Time to target is the median over seeds of the {unit} until the judged loss reaches the "
             "problem's target (never: infinite). Ratio = t / best t on that problem; ρ(τ) = share of problems "
             "with ratio ≤ τ; score = ∫ρ(τ) dτ over [1, 4] / 3 (1 = best on every problem). The final-loss "
             "score does the same with the median final judged loss in place of t.", "",
             "## Scores", ""]
    lines += _table(["optimizer", "score (time to target)", "score (final loss)", "solved"],
                    [[s["optimizer"], s["score_time"], s["score_final"], f"{s['solved']}/{s['problems']}"]
                     for s in scores])
    for name, rows in problems.items():
        mine = [r for r in ratios if r["problem"] == name]
        by_opt = {r["optimizer"]: r for r in mine}
        lines += ["", f"## {name}", ""]
        lines += _table(["optimizer", "tuned", "judged loss (median)", "IQM [95% CI]", f"to target ({unit})",
                         "time ratio", "final ratio", "vs best"],
                        [[r["variant"], r.get("tuned"), r.get("judged_loss_median", r.get("judged_loss")),
                          f"{_num(r.get('judged_loss_iqm'))} [{_num(r.get('judged_loss_ci_low'), 3)}, "
                          f"{_num(r.get('judged_loss_ci_high'), 3)}]" if "judged_loss_iqm" in r else "-",
                          by_opt.get(r["variant"], {}).get(f"time_to_target_{unit}"),
                          by_opt.get(r["variant"], {}).get("time_ratio"),
                          by_opt.get(r["variant"], {}).get("final_ratio"),
                          "best" if r.get("tied") == "best" else "tied" if r.get("tied") is True else ""]
                         for r in rows])
    lines += ["", "![performance profiles](profile.png)", ""]
    return "\n".join(lines)


def _tune_text(tune: Any) -> str:
    if isinstance(tune, Mapping):
        return ", ".join(f"`{k}` in {v}" for k, v in tune.items())
    if isinstance(tune, str):
        return f"`{tune}`"
    return ", ".join(f"`{t}`" for t in tune)
