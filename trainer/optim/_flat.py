"""The one-pass update: a group's parameters that are adjacent views of one buffer, as one flat array.

An elementwise update gives the same bits on a concatenation of arrays as on each array apart, so when
consecutive parameters (with a gradient, one dtype, equal step counts) are back-to-back views of one
1-d base (the layer arena does this) and so is each of their state arrays (`StateArena` does that),
`_gather` hands the kernel one flat view per run instead of one array per parameter. The gradients of
a run are copied into one flat buffer; its 0-d counters (`step`, ASGD's `eta`, ...) are stand-ins
written back to every parameter's own counter after the step (`flush`). Anything else (a parameter
replaced, state loaded from a state_dict, a different dtype or gradient shape) splits the run, down
to the per-tensor path.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _where(arr: np.ndarray) -> tuple[Any, int] | None:
    """`(base, element offset)` of a C-contiguous view of a 1-d contiguous base of its dtype, else None."""
    base = arr.base
    if (base is None or type(base) is not np.ndarray or base.ndim != 1 or base.dtype != arr.dtype
            or not base.flags.c_contiguous or not arr.flags.c_contiguous):
        return None
    return base, (arr.ctypes.data - base.ctypes.data) // arr.itemsize


class StateArena:
    """State arrays laid out like their parameters: a parameter's at its own offset in a mirror of its base.

    So the state of adjacent parameters is adjacent too, whatever order it is created in. A region is
    handed out once (an old state tensor someone holds is never reused); asking again for it, as
    `load_state_dict` does, gives the region of a new mirror.
    """

    def __init__(self) -> None:
        self._mirrors: dict[tuple[int, str], tuple[np.ndarray, list[tuple[np.ndarray, set[int]]]]] = {}

    def full_like(self, arr: np.ndarray, key: str, value: float = 0.0) -> np.ndarray:
        """A new array like `arr` full of `value`, a view of a mirror of `arr`'s base for `key`."""
        at = _where(arr)
        if at is None or at[0].size > max(1 << 17, 2 * arr.size):  # no base worth mirroring
            return np.full_like(arr, value) if value else np.zeros_like(arr)
        base, offset = at
        entry = self._mirrors.get((id(base), key))
        if entry is None or entry[0] is not base:
            entry = self._mirrors[(id(base), key)] = (base, [])
        mirror = next((m for m in entry[1] if offset not in m[1]), None)
        if mirror is None:
            mirror = (np.zeros(base.size, base.dtype), set())
            entry[1].append(mirror)
        mirror[1].add(offset)
        view = mirror[0][offset:offset + arr.size].reshape(arr.shape)
        if value:
            view[...] = value
        return view


class _Plan:
    """The runs of one group for one set of arrays: what `gather` checks and reuses every step."""

    __slots__ = ("params", "arrays", "runs")

    def __init__(self, params: list, arrays: list[tuple], runs: list[tuple]) -> None:
        self.params = params  # the live parameters, in order
        self.arrays = arrays  # per parameter: (param array, *state arrays, *counter arrays)
        self.runs = runs  # (start, stop, flat views or None, grad buffer, counter stand-ins)


def _runs(arrays: list[tuple], ncounters: int) -> list[tuple]:
    """Split the parameters' arrays into maximal runs whose every column is adjacent in one base."""
    runs, start = [], 0
    wheres = [[_where(a) for a in row[:len(row) - ncounters]] for row in arrays]
    n = len(arrays)
    for i in range(1, n + 1):
        if i < n and _joins(arrays[i - 1], arrays[i], wheres[i - 1], wheres[i], ncounters):
            continue
        if i - start > 1:
            first = wheres[start]
            size = sum(row[0].size for row in arrays[start:i])
            flats = tuple(f[0][f[1]:f[1] + size] for f in first)
            grad = np.empty(size, arrays[start][0].dtype)
            counters = tuple(np.array(arrays[start][-ncounters + k]) for k in range(ncounters))
            runs.append((start, i, flats, grad, counters))
        else:
            runs.append((start, i, None, None, ()))
        start = i
    return runs


def _joins(prev: tuple, row: tuple, wprev: list, wrow: list, ncounters: int) -> bool:
    """Whether `row`'s arrays continue `prev`'s: same dtype, each right after its predecessor, equal counters."""
    if row[0].dtype != prev[0].dtype:
        return False
    for a, wa, wb in zip(prev, wprev, wrow):
        if wa is None or wb is None or wa[0] is not wb[0] or wb[1] != wa[1] + a.size:
            return False
    return all(float(prev[-k]) == float(row[-k]) for k in range(1, ncounters + 1))


class FlatGather:
    """Per-optimizer cache of each group's plan, and the counters to write back after the step."""

    def __init__(self) -> None:
        self._plans: dict[int, tuple[dict, _Plan]] = {}
        self.pending: list[tuple[np.ndarray, list[np.ndarray]]] = []

    def gather(self, group: dict, live: list, state_of: Any, keys: list[str],
               counters: list[str]) -> list[list[np.ndarray]] | None:
        """Lists of params, grads, `keys`' arrays and `counters`' 0-d arrays, one entry per run.

        None when no run has two parameters (the per-tensor lists are as good).
        """
        rows = []
        for p in live:
            state = state_of[p]
            grad = p.grad._array
            arr = p._array
            if grad.shape != arr.shape or grad.dtype != arr.dtype:
                return None
            rows.append((arr, *(state[k]._array for k in keys),
                         *(state[k]._array for k in counters)))
        ncounters = len(counters)
        entry = self._plans.get(id(group))
        plan = entry[1] if entry is not None and entry[0] is group else None
        if plan is None or not _same(plan, live, rows) or not _counters_agree(plan, rows, ncounters):
            plan = _Plan(live, rows, _runs(rows, ncounters))
            self._plans[id(group)] = (group, plan)
        if all(run[2] is None for run in plan.runs):
            return None
        width = len(rows[0])
        columns: list[list[np.ndarray]] = [[] for _ in range(width + 1)]  # params, grads, states..., counters
        for start, stop, flats, gbuf, stand_ins in plan.runs:
            if flats is None:
                row = rows[start]
                columns[0].append(row[0])
                columns[1].append(live[start].grad._array)
                for c in range(1, width):
                    columns[c + 1].append(row[c])
                continue
            np.concatenate([p.grad._array for p in live[start:stop]], axis=None, out=gbuf)
            columns[0].append(flats[0])
            columns[1].append(gbuf)
            for c in range(1, len(flats)):
                columns[c + 1].append(flats[c])
            for k, stand_in in enumerate(stand_ins):
                targets = [row[width - ncounters + k] for row in rows[start:stop]]
                stand_in[()] = targets[0]
                columns[width + 1 - ncounters + k].append(stand_in)
                self.pending.append((stand_in, targets))
        return columns

    def flush(self) -> None:
        """Copy each run's counters back to its parameters' own (after the kernels ran)."""
        for stand_in, targets in self.pending:
            for t in targets:
                t[()] = stand_in
        self.pending.clear()


def _same(plan: _Plan, live: list, rows: list[tuple]) -> bool:
    """Whether the plan was made for these very parameters and arrays."""
    if len(live) != len(plan.params):
        return False
    for p, q, row, old in zip(live, plan.params, rows, plan.arrays):
        if p is not q:
            return False
        for a, b in zip(row, old):
            if a is not b:
                return False
    return True


def _counters_agree(plan: _Plan, rows: list[tuple], ncounters: int) -> bool:
    """Whether the parameters of each run still have equal counters (a step they all took keeps them so)."""
    for start, stop, flats, _, _ in plan.runs:
        if flats is None:
            continue
        for k in range(1, ncounters + 1):
            first = float(rows[start][-k])
            for row in rows[start + 1:stop]:
                if float(row[-k]) != first:
                    return False
    return True
