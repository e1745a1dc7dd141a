"""The numpy floor of the CNN workload: im2col with one BLAS product per conv, col2im by strided adds.

As tight as numpy allows: activations stay channels-last (N, H, W, C) so no layer transposes anything,
every buffer (padded inputs, columns, gradients) is allocated once, ReLU writes straight into the next
layer's padded input, and the parameters are kept in the layout the products want (the network is the
same: the weights are the workload's, permuted once).
"""

from __future__ import annotations

import numpy as np

from .floor_soft import SoftFloor
from .workloads import ConvWorkload


class NumpyConvFloor(SoftFloor):
    """The CNN trained by hand-written numpy (Adam and the loss are SoftFloor's)."""

    def __init__(self, w: ConvWorkload, seed: int = 0) -> None:  # noqa: D107 - the base's loop state, own buffers
        self.w = w
        x, self.y = w.data(seed)
        n = w.batch
        shapes = w.shapes()
        layers = w.init(seed)
        self.params = []
        for (weight, bias) in layers[:-1]:  # (out, in, k, k) -> (out, k*k*in): the columns' (kh, kw, c) order
            self.params += [np.ascontiguousarray(weight.transpose(0, 2, 3, 1).reshape(weight.shape[0], -1)), bias]
        c, h, wd = shapes[-1]
        w3, b3 = layers[-1]  # its columns follow PyTorch's (c, h, w) flattening; ours is (h, w, c)
        self.params += [np.ascontiguousarray(w3.reshape(-1, c, h, wd).transpose(0, 2, 3, 1).reshape(w3.shape[0], -1)),
                        b3]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.buf = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.geometry = []  # per conv: (kernel, stride, padding, (H, W) in, (Ho, Wo) out)
        self.padded, self.cols, self.pre, self.gpad = [], [], [], []
        for (c_out, k, s), (c_in, hi, wi), (_, ho, wo) in zip(w.convs, shapes, shapes[1:]):
            p = (k - 1) // 2
            self.geometry.append((k, s, p, (hi, wi), (ho, wo)))
            self.padded.append(np.zeros((n, hi + 2 * p, wi + 2 * p, c_in), np.float32))
            self.cols.append(np.empty((n, ho, wo, k, k, c_in), np.float32))
            self.pre.append(np.empty((n * ho * wo, c_out), np.float32))
            self.gpad.append(np.zeros((n, hi + 2 * p, wi + 2 * p, c_in), np.float32))
        self.last = np.empty((n, h, wd, c), np.float32)
        k, s, p, (hi, wi), _ = self.geometry[0]
        self.padded[0][:, p:p + hi, p:p + wi, :] = x.transpose(0, 2, 3, 1)  # the input never changes

    def _windows(self, i: int) -> np.ndarray:
        k, s, _, _, (ho, wo) = self.geometry[i]
        a = self.padded[i]
        sn, sh, sw, sc = a.strides
        view = np.lib.stride_tricks.as_strided(a, (a.shape[0], ho, wo, k, k, a.shape[3]),
                                               (sn, sh * s, sw * s, sh, sw, sc), writeable=False)
        np.copyto(self.cols[i], view)
        return self.cols[i].reshape(self.pre[i].shape[0], -1)

    def step(self) -> float:
        n_conv = len(self.geometry)
        cols = []
        for i in range(n_conv):
            c = self._windows(i)
            cols.append(c)
            z = self.pre[i]
            np.dot(c, self.params[2 * i].T, out=z)
            z += self.params[2 * i + 1]
            _, _, _, _, (ho, wo) = self.geometry[i]
            if i + 1 < n_conv:
                _, _, p, _, _ = self.geometry[i + 1]
                dst = self.padded[i + 1][:, p:p + ho, p:p + wo, :]
            else:
                dst = self.last
            np.maximum(z.reshape(dst.shape), 0, out=dst)
        flat = self.last.reshape(self.last.shape[0], -1)
        w3, b3 = self.params[-2], self.params[-1]
        logits = np.dot(flat, w3.T)
        logits += b3
        loss, g = self._loss_grad(logits)
        grads: list[np.ndarray] = [None] * len(self.params)  # type: ignore[list-item]
        grads[-2] = np.dot(g.T, flat)
        grads[-1] = g.sum(axis=0)
        ga = np.dot(g, w3).reshape(self.pre[-1].shape)
        for i in reversed(range(n_conv)):
            ga *= self.pre[i] > 0
            grads[2 * i] = np.dot(ga.T, cols[i])
            grads[2 * i + 1] = ga.sum(axis=0)
            if i == 0:
                break
            ga = self._col2im(i, np.dot(ga, self.params[2 * i]))
        self._update(grads)
        return loss

    def _col2im(self, i: int, gcols: np.ndarray) -> np.ndarray:
        """The column gradient added back into layer i's padded input; returns its interior as (N*H*W, C)."""
        k, s, p, (hi, wi), (ho, wo) = self.geometry[i]
        gp = self.gpad[i]
        gp.fill(0)
        g6 = gcols.reshape(self.cols[i].shape)
        for kh in range(k):
            for kw in range(k):
                gp[:, kh:kh + s * (ho - 1) + 1:s, kw:kw + s * (wo - 1) + 1:s, :] += g6[:, :, :, kh, kw, :]
        return np.ascontiguousarray(gp[:, p:p + hi, p:p + wi, :]).reshape(-1, gp.shape[3])
