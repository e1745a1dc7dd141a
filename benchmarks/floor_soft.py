"""The soft floor (the bench's floor until issue 19): straightforward numpy, per-tensor in-place updates.

It passes Python floats and a float64 `np.sqrt(c2)` into its ufuncs and allocates the forward and backward
temporaries at every step, so it is slower than it needs to be; `floor.py` is the tight floor the
targets use. Kept as the base of the CNN floor (`floor_conv.py`) and as a column that shows the difference.
"""

from __future__ import annotations

import numpy as np

from .workloads import Workload


class SoftFloor:
    """A ReLU MLP trained by straightforward hand-written numpy."""

    def __init__(self, w: Workload, seed: int = 0) -> None:
        self.w = w
        self.x, self.y = w.data(seed)
        self.params = [p.copy() for layer in w.init(seed) for p in layer]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.buf = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def _loss_grad(self, out: np.ndarray) -> tuple[float, np.ndarray]:
        if self.w.loss == "cross_entropy":
            shifted = out - out.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            n = out.shape[0]
            rows = np.arange(n)
            loss = float(np.mean(np.log(s[:, 0]) - shifted[rows, self.y]))
            g = e / s
            g[rows, self.y] -= 1
            g /= n
            return loss, g
        d = out - self.y
        if self.w.loss == "mse_mean":
            return float(np.mean(d * d)), d * (2 / d.size)
        return float(np.sum(d * d)), 2 * d

    def step(self) -> float:
        acts = [self.x]
        pre = []
        h = self.x
        n_layers = len(self.params) // 2
        for i in range(n_layers):
            wt, b = self.params[2 * i], self.params[2 * i + 1]
            z = h @ wt.T + b
            pre.append(z)
            h = np.maximum(z, 0) if i < n_layers - 1 else z
            acts.append(h)
        loss, g = self._loss_grad(h)
        grads: list[np.ndarray] = [None] * len(self.params)  # type: ignore[list-item]
        for i in reversed(range(n_layers)):
            if i < n_layers - 1:
                g *= pre[i] > 0
            grads[2 * i] = g.T @ acts[i]
            grads[2 * i + 1] = g.sum(axis=0)
            if i:
                g = g @ self.params[2 * i]
        self._update(grads)
        return loss

    def _update(self, grads: list[np.ndarray]) -> None:
        lr = self.w.lr
        if self.w.optimizer == "sgd_momentum":
            for p, g, buf in zip(self.params, grads, self.m):
                buf *= 0.9
                buf += g
                p -= lr * buf
            return
        self.t += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        for p, g, m, v, buf in zip(self.params, grads, self.m, self.v, self.buf):
            m *= b1
            np.multiply(g, 1 - b1, out=buf)
            m += buf
            v *= b2
            np.multiply(g, g, out=buf)
            buf *= 1 - b2
            v += buf
            np.sqrt(v, out=buf)
            buf /= np.sqrt(c2)
            buf += eps
            np.divide(m, buf, out=buf)
            buf *= -lr / c1
            p += buf
