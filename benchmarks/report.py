"""The bench's tables (rich): timings, processes, sweeps, targets, imports, scaling crossovers."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

TIME_COLS = ("engine", "floor", "floor_pt", "soft", "torch", "baseline", "numpy")
RATIO_COLS = ("engine/floor", "engine/torch", "engine/baseline", "engine/numpy")
VERDICT = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "?"}


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, float):
        return "-"
    return f"{value:.2f}x" if "/" in key else f"{value:.3g}"


def _timings(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    cols = [c for c in TIME_COLS + RATIO_COLS if any(c in r for r in rows)]
    for col in ("workload", "unit", *cols):
        table.add_column(col, justify="left" if col == "workload" else "right")
    for r in rows:
        table.add_row(r["workload"], r["unit"], *(_cell(r, c) for c in cols))
    return table


def render(rows: dict[str, dict[str, Any]], targets: list[dict[str, Any]], imports: dict[str, Any] | None,
           scaled: dict[str, Any] | None, console: Console) -> None:
    timed = [r for k, r in rows.items() if k in ("seed", "mlp", "deep", "conv", "memory")]
    if timed:
        console.print(_timings(timed, "training steps: medians of interleaved repeats, ratios = medians of "
                                      "per-repeat ratios"))
    procs = [r for k, r in rows.items() if k in ("process", "process_nocache", "help")]
    if procs:
        console.print(_timings(procs, "whole processes (numpy: the floor as a script; for --help: import numpy)"))
    sweeps = [r for k, r in rows.items() if k.startswith("sweep")]
    if sweeps:
        table = Table(title="sweeps of seed runs, --jobs 1 and --jobs 2 alternated")
        for col in ("sweep", "--jobs 1 (s)", "--jobs 2 (s)", "speed-up"):
            table.add_column(col, justify="right")
        for r in sweeps:
            table.add_row(r["workload"], f"{r['jobs1']:.2f}", f"{r['jobs2']:.2f}", f"{r['speed-up']:.2f}x")
        console.print(table)
    if imports:
        for group in ("by_package", "by_trainer_subpackage"):
            table = Table(title=f"trainer run's imports {group.replace('_', ' ')}: self ms, top 10 of "
                                f"{imports['total_ms']:.0f} ms", min_width=70)
            table.add_column("module")
            table.add_column("ms", justify="right")
            for name, ms in imports[group]:
                table.add_row(name, f"{ms:.1f}")
            console.print(table)
    if scaled:
        console.print(_timings([{**p, "workload": f"{p['curve']} {p['x']}"} for p in scaled["points"]],
                               "scaling, us/step (benchmarks/scaling.csv, benchmarks/scaling.png)"))
        for curve, cross in scaled["crossovers"].items():
            parts = [f"{impl}: " + (f"PyTorch faster from ~{x:.0f}" if x is not None else "PyTorch never faster")
                     for impl, x in cross.items()]
            console.print(f"crossover ({curve}): " + "; ".join(parts))
    table = Table(title="issue 19's targets")
    for col in ("target", "measured", "bound", "met", "note"):
        table.add_column(col, justify="right" if col in ("measured", "bound", "met") else "left")
    for t in targets:
        value = "-" if t["value"] is None else f"{t['value']:.3g}"
        table.add_row(t["target"], value, t["bound"], VERDICT[t["met"]], t["note"])
    console.print(table)


def machine_line(info: dict[str, Any], with_torch: bool) -> str:
    blas = info["numpy_blas"]
    avx512 = "AVX-512" if any(f.startswith("AVX512") for f in info.get("cpu_flags", [])) else "no AVX-512"
    return (f"{info['cpu']} ({info['cpus']} CPUs, {avx512}), Python {info['python']}, numpy {info['numpy']} with "
            f"{blas['library']} {blas['version']} ({blas['kernel'] or 'kernel unknown'}, {blas['threads']} threads)"
            + (f", torch {info['torch']} ({info.get('torch_blas')}) with {info['torch_threads']} threads"
               if with_torch else "") + (f", env {info['env']}" if info["env"] else ""))
