"""L-BFGS with an optional strong-Wolfe line search (PyTorch's port of minFunc)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import Tensor, from_numpy, no_grad
from .line_search import strong_wolfe
from .optimizer import Optimizer, ParamsT, _to_scalar


def _array(t: Tensor | None) -> np.ndarray | None:
    return None if t is None else t._array


def _arrays(ts: list[Tensor] | None) -> list[np.ndarray] | None:
    return None if ts is None else [t._array for t in ts]


def _tensor(a: np.ndarray | None) -> Tensor | None:
    return None if a is None else from_numpy(a)


def _tensors(arrays: list[np.ndarray] | None) -> list[Tensor] | None:
    return None if arrays is None else [from_numpy(a) for a in arrays]


class LBFGS(Optimizer):
    """`torch.optim.LBFGS`: needs a closure that zeroes grads, computes the loss, calls backward and returns it.

    Only one parameter group is supported. State (directions, steps, curvature history) is kept on the
    first parameter's entry of `state`, as in PyTorch; its scalars (`t`, `H_diag`, `ro`, `al`) are numpy
    scalars of the parameters' dtype where PyTorch keeps 0-d tensors. The update is the whole iteration
    in `step()`: its direction comes from `_two_loop`, its step length from `strong_wolfe` or `lr`.
    """

    needs_closure = True

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if not 0.0 <= _to_scalar(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"only 'strong_wolfe' is supported as line_search_fn, got {line_search_fn!r}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval, "tolerance_grad": tolerance_grad,
                    "tolerance_change": tolerance_change, "history_size": history_size,
                    "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if getattr(self, "param_groups", None):
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        self._params = self.param_groups[0]["params"]

    # ----- flat views of the parameters -------------------------------------------------------
    def _gather_flat_grad(self) -> np.ndarray:
        return np.concatenate(
            [np.zeros(p._array.size, p._array.dtype) if p.grad is None else p.grad._array.reshape(-1)
             for p in self._params]
        )

    def _add_grad(self, step_size: Any, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            n = p._array.size
            p._array += step_size * update[offset:offset + n].reshape(p._array.shape)
            offset += n

    def _directional_evaluate(
        self, closure: Callable[[], Any], x: list[np.ndarray], t: Any, d: np.ndarray
    ) -> tuple[float, np.ndarray]:
        self._add_grad(t, d)
        loss = float(self._evaluate(closure))
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x, strict=True):
            np.copyto(p._array, saved)
        return loss, flat_grad

    # ----- the step ---------------------------------------------------------------------------
    @no_grad()
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to `max_iter` L-BFGS iterations; returns the closure's first loss.

        The closure runs under `enable_grad` (`Optimizer._evaluate`) inside this `no_grad` step.
        """
        if closure is None:
            raise RuntimeError("LBFGS requires a closure that reevaluates the model and returns the loss")
        group = self.param_groups[0]
        lr = float(_to_scalar(group["lr"]))
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._evaluate(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, prev_flat_grad = _array(state.get("d")), _array(state.get("prev_flat_grad"))
        old_dirs, old_stps = _arrays(state.get("old_dirs")), _arrays(state.get("old_stps"))
        t, ro, h_diag, prev_loss = state.get("t"), state.get("ro"), state.get("H_diag"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                h_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                d = self._two_loop(state, flat_grad, old_dirs, old_stps, ro, h_diag, history_size)

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                np.copyto(prev_flat_grad, flat_grad)
            prev_loss = loss

            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                x_init = [p._array.copy() for p in self._params]

                def obj_func(x: list[np.ndarray], t: Any, d: np.ndarray) -> tuple[float, np.ndarray]:
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = float(self._evaluate(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        state.update({"d": _tensor(d), "t": t, "old_dirs": _tensors(old_dirs), "old_stps": _tensors(old_stps),
                      "ro": ro, "H_diag": h_diag, "prev_flat_grad": _tensor(prev_flat_grad), "prev_loss": prev_loss})
        return orig_loss

    @staticmethod
    def _two_loop(
        state: dict[str, Any], flat_grad: np.ndarray, old_dirs: list[np.ndarray], old_stps: list[np.ndarray],
        ro: list[Any], h_diag: Any, history_size: int,
    ) -> np.ndarray:
        """The L-BFGS two-loop recursion: an approximation of -H^{-1} g from the curvature history."""
        num_old = len(old_dirs)
        if "al" not in state:
            state["al"] = [None] * history_size
        al = state["al"]
        q = -flat_grad
        for i in range(num_old - 1, -1, -1):
            al[i] = old_stps[i].dot(q) * ro[i]
            q += -al[i] * old_dirs[i]
        r = q * h_diag
        for i in range(num_old):
            be_i = old_dirs[i].dot(r) * ro[i]
            r += (al[i] - be_i) * old_stps[i]
        return r
