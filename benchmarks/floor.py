"""The tight numpy floor: an MLP step as tight as numpy allows, the reference every engine/floor ratio uses.

- Every array is float32 and allocated once: parameters, gradients and optimizer state are views of one
  flat buffer each, activations and their gradients have their own buffers; every ufunc writes `out=`.
- Constants are 0-d float32 arrays (bias corrections updated in place each step), never Python floats or
  float64 scalars, so no ufunc converts or allocates.
- The optimizer runs once over the flat buffers (`flat=True`, the default), a fixed run of in-place
  ufuncs; `flat=False` runs the same ufuncs per parameter (views of the same buffers).
"""

from __future__ import annotations

import numpy as np

from .workloads import Workload

F32 = np.float32


def _c(value: float) -> np.ndarray:
    """A 0-d float32 constant."""
    return np.array(value, dtype=F32)


class NumpyFloor:
    """A ReLU MLP trained by hand-written numpy: no temporaries, flat-buffer optimizer."""

    def __init__(self, w: Workload, seed: int = 0, flat: bool = True) -> None:
        self.w = w
        x, y = w.data(seed)
        self.x, self.y = x, y
        layers = w.init(seed)
        total = sum(wt.size + b.size for wt, b in layers)
        self.flat_p, self.flat_g = np.empty(total, F32), np.zeros(total, F32)
        self.flat_m, self.flat_v, self.flat_buf = (np.zeros(total, F32) for _ in range(3))
        self.weights, self.biases, self.gw, self.gb = [], [], [], []
        offset = 0
        for wt, b in layers:
            for arr, ps, gs in ((wt, self.weights, self.gw), (b, self.biases, self.gb)):
                view = self.flat_p[offset:offset + arr.size].reshape(arr.shape)
                view[...] = arr
                ps.append(view)
                gs.append(self.flat_g[offset:offset + arr.size].reshape(arr.shape))
                offset += arr.size
        n = w.batch
        self.z = [np.empty((n, fan_out), F32) for fan_out in w.sizes[1:]]  # pre-activations (last: the output)
        self.a = [x] + [np.empty((n, fan_out), F32) for fan_out in w.sizes[1:-1]]  # layer inputs
        self.dz = [np.empty((n, fan_out), F32) for fan_out in w.sizes[1:]]
        self.mask = [np.empty((n, fan_out), np.bool_) for fan_out in w.sizes[1:-1]]
        self.groups = ([(self.flat_p, self.flat_g, self.flat_m, self.flat_v, self.flat_buf)] if flat else
                       [(self._split(a)) for a in range(2 * len(layers))])
        self.zero, self.one = _c(0), _c(1)
        self.b1, self.b2, self.one_b1, self.one_b2, self.eps = _c(0.9), _c(0.999), _c(0.1), _c(1 - 0.999), _c(1e-8)
        self.momentum, self.neg_lr = _c(0.9), _c(-w.lr)
        self.inv_sqrt_c2, self.neg_step = _c(1), _c(1)
        self.t = 0
        if w.loss == "cross_entropy":
            self.rows = np.arange(n)
            self.col = np.empty((n, 1), F32)
            self.scale = _c(1 / n)
        else:
            self.scale = _c(2 if w.loss == "mse_sum" else 2 / y.size)

    def _split(self, i: int) -> tuple[np.ndarray, ...]:
        """The i-th parameter's views of the five flat buffers."""
        sizes = [a.size for pair in zip(self.weights, self.biases) for a in pair]
        lo = sum(sizes[:i])
        return tuple(buf[lo:lo + sizes[i]] for buf in
                     (self.flat_p, self.flat_g, self.flat_m, self.flat_v, self.flat_buf))

    def params(self) -> list[np.ndarray]:
        """Weights and biases in nn.Sequential's order (views of the flat buffer)."""
        return [a for pair in zip(self.weights, self.biases) for a in pair]

    def grads(self) -> list[np.ndarray]:
        """The gradients, in the order of `params()` (views of the flat gradient buffer)."""
        return [a for pair in zip(self.gw, self.gb) for a in pair]

    def _loss_grad(self, out: np.ndarray, g: np.ndarray) -> float:
        """The loss, with its gradient written into g."""
        if self.w.loss == "cross_entropy":
            np.max(out, axis=1, keepdims=True, out=self.col)
            np.subtract(out, self.col, out=g)  # shifted logits
            picked = g[self.rows, self.y]  # the one small temporary: n values
            np.exp(g, out=g)
            np.sum(g, axis=1, keepdims=True, out=self.col)
            loss = float(np.log(self.col).mean() - picked.mean())
            np.divide(g, self.col, out=g)
            g[self.rows, self.y] -= self.one
            np.multiply(g, self.scale, out=g)
            return loss
        np.subtract(out, self.y, out=g)
        flat = g.reshape(-1)
        loss = float(np.dot(flat, flat))
        np.multiply(g, self.scale, out=g)
        return loss / g.size if self.w.loss == "mse_mean" else loss

    def step(self) -> float:
        loss = self.forward_backward()
        self._update()
        return loss

    def forward_backward(self) -> float:
        """The loss, with every parameter's gradient written into the flat gradient buffer."""
        layers = len(self.weights)
        for i in range(layers):
            z = self.z[i]
            np.matmul(self.a[i], self.weights[i].T, out=z)
            np.add(z, self.biases[i], out=z)
            if i < layers - 1:
                np.maximum(z, self.zero, out=self.a[i + 1])
        loss = self._loss_grad(self.z[-1], self.dz[-1])
        for i in reversed(range(layers)):
            g = self.dz[i]
            np.matmul(g.T, self.a[i], out=self.gw[i])
            np.sum(g, axis=0, out=self.gb[i])
            if i:
                prev = self.dz[i - 1]
                np.matmul(g, self.weights[i], out=prev)
                np.greater(self.z[i - 1], self.zero, out=self.mask[i - 1])
                np.multiply(prev, self.mask[i - 1], out=prev)
        return loss

    def _update(self) -> None:
        if self.w.optimizer == "sgd_momentum":
            for p, g, m, _, buf in self.groups:
                np.multiply(m, self.momentum, out=m)
                np.add(m, g, out=m)
                np.multiply(m, self.neg_lr, out=buf)
                np.add(p, buf, out=p)
            return
        self.t += 1
        self.inv_sqrt_c2[...] = 1 / np.sqrt(1 - 0.999**self.t)
        self.neg_step[...] = -self.w.lr / (1 - 0.9**self.t)
        for p, g, m, v, buf in self.groups:
            np.multiply(m, self.b1, out=m)  # m = b1 m + (1 - b1) g
            np.multiply(g, self.one_b1, out=buf)
            np.add(m, buf, out=m)
            np.multiply(v, self.b2, out=v)  # v = b2 v + (1 - b2) g g
            np.multiply(g, g, out=buf)
            np.multiply(buf, self.one_b2, out=buf)
            np.add(v, buf, out=v)
            np.sqrt(v, out=buf)  # denom = sqrt(v) / sqrt(c2) + eps
            np.multiply(buf, self.inv_sqrt_c2, out=buf)
            np.add(buf, self.eps, out=buf)
            np.divide(m, buf, out=buf)  # p -= lr / c1 * m / denom
            np.multiply(buf, self.neg_step, out=buf)
            np.add(p, buf, out=p)
