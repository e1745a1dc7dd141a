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

from ..autograd.plain import concatenate


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
        if at is None or at[0].size > max(1 << 22, 2 * arr.size):  # a huge base: not worth a mirror per state
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

    __slots__ = ("params", "arrays", "runs", "out", "checks")

    def __init__(self, params: list, arrays: list[tuple], runs: list[tuple], names: tuple[str, ...]) -> None:
        self.params = params  # the live parameters, in order
        self.arrays = arrays  # per parameter: (param array, *state arrays, *counter arrays)
        self.runs = runs  # (start, stop, flat views or None, grad buffer, ((counter stand-in, targets), ...))
        self.out: tuple[list[np.ndarray], ...] | None = None  # what `gather` returns, grads refreshed
        # per parameter, what `_grads` compares: (parameter, its array, shape, dtype, ((state key, array), ...))
        self.checks = [(p, row[0], row[0].shape, row[0].dtype, tuple(zip(names, row[1:])))
                       for p, row in zip(params, arrays)]


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
            counters = tuple((np.array(arrays[start][-ncounters + k]), [row[-ncounters + k] for row in arrays[start:i]])
                             for k in range(ncounters))
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
        self._plans: dict[int, tuple[dict, _Plan, list]] = {}  # id(group) -> (group, plan, names)
        self.pending: list[tuple[np.ndarray, list[np.ndarray]]] = []

    def gather(self, group: dict, live: list, state_of: Any, names: list[str | None],
               nscalars: int, steps: bool = True) -> tuple[list[np.ndarray], ...] | None:
        """`Optimizer._gather`'s `(params, grads, *one list per name, steps)`, one entry per run.

        `names` are its state names (None for a key left out, whose list stays empty), the first
        `nscalars` of them 0-d counters like `step`. None when no run has two parameters (the
        per-tensor lists are as good). Without `steps` (SGD) there is no `step` counter and no list of them.
        """
        entry = self._plans.get(id(group))
        plan = entry[1] if entry is not None and entry[0] is group and entry[2] == names else None
        grads = _grads(plan, live, state_of) if plan is not None else None
        if grads is None or not _counters_agree(plan):
            counters = (*names[:nscalars], "step") if steps else tuple(names[:nscalars])
            keys = [k for k in names[nscalars:] if k is not None]
            every = (*keys, *counters)
            rows = []
            for p in live:
                grad, arr = p.grad._array, p._array
                if grad.shape != arr.shape or grad.dtype != arr.dtype:
                    return None
                state = state_of[p] if every else {}  # no state: none is created
                rows.append((arr, *(state[k]._array for k in every)))
            plan = _Plan(live, rows, _runs(rows, len(counters)), every)
            plan.out = _columns(plan, names, nscalars, len(keys), steps)
            self._plans[id(group)] = (group, plan, names)
            grads = [p.grad._array for p in live]
        if plan.out is None:
            return None
        out = plan.out[1]
        for j, (start, stop, flats, gbuf, stand_ins) in enumerate(plan.runs):
            if flats is None:
                out[j] = grads[start]
                continue
            concatenate(grads[start:stop], axis=None, out=gbuf)
            for stand_in, targets in stand_ins:  # (0-d stand-in, the run's own counters)
                stand_in[()] = targets[0]
            self.pending += stand_ins
        return plan.out

    def flush(self) -> None:
        """Copy each run's counters back to its parameters' own (after the kernels ran)."""
        for stand_in, targets in self.pending:
            for t in targets:
                t[()] = stand_in
        self.pending.clear()


def _columns(plan: _Plan, names: list[str | None], nscalars: int, nkeys: int,
             steps: bool) -> tuple[list, ...] | None:
    """The lists `gather` returns for the plan's runs (gradients of single parameters filled in later)."""
    if all(run[2] is None for run in plan.runs):
        return None
    params: list[np.ndarray] = []
    grads: list[Any] = []
    keyed: list[list[np.ndarray]] = [[] for _ in range(nkeys)]
    counted: list[list[np.ndarray]] = [[] for _ in range(nscalars + steps)]
    for start, _, flats, gbuf, stand_ins in plan.runs:
        row = plan.arrays[start]
        params.append(row[0] if flats is None else flats[0])
        grads.append(gbuf)
        for i, column in enumerate(keyed):
            column.append(row[1 + i] if flats is None else flats[1 + i])
        for i, column in enumerate(counted):
            column.append(row[1 + nkeys + i] if flats is None else stand_ins[i][0])
    lists, keyed_iter = [], iter(keyed)
    for i, name in enumerate(names):
        lists.append(counted[i] if i < nscalars else [] if name is None else next(keyed_iter))
    return (params, grads, *lists, counted[-1]) if steps else (params, grads, *lists)


def _grads(plan: _Plan, live: list, state_of: Any) -> list[np.ndarray] | None:
    """The gradient arrays of `live` if the plan was made for these very parameters, state arrays and
    gradient layouts, else None (a state key the plan expects may also be gone: None too)."""
    checks = plan.checks
    if len(live) != len(checks):
        return None
    grads = []
    for p, (q, arr, shape, dtype, state_arrays) in zip(live, checks):
        if p is not q or p._array is not arr:
            return None
        grad = p.grad._array
        gtype = grad.dtype
        if grad.shape != shape or (gtype is not dtype and gtype != dtype):
            return None
        grads.append(grad)
        if state_arrays:
            state = state_of[p]
            try:
                for k, a in state_arrays:
                    if state[k]._array is not a:
                        return None
            except KeyError:  # a key gone
                return None
    return grads


def _counters_agree(plan: _Plan) -> bool:
    """Whether the parameters of each run still have equal counters (a step they all took keeps them so)."""
    for run in plan.runs:
        for _, targets in run[4]:  # (stand-in, the run's own counters) per counter
            first = float(targets[0])
            for t in targets[1:]:
                if float(t) != first:
                    return False
    return True
