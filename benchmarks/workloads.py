"""The benchmark workloads, each as a network shape, a batch, its data, a loss and an optimizer.

Each is described independently of the library, so the engine, the numpy floor and PyTorch build
exactly the same computation from it: the same float32 data, the same initial weights, the same loss
and optimizer. The data keep every workload training for the whole run (no NaN, no collapse to a
constant output), so timings never measure overflow or denormal arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    """One training step's worth of work."""

    name: str
    sizes: tuple[int, ...]  # layer widths, input first; ReLU between layers
    batch: int
    loss: str  # "mse_sum" | "mse_mean" | "cross_entropy"
    optimizer: str  # "adam" | "sgd_momentum"
    lr: float
    unit: str  # "us/epoch" | "us/step" | "ms/step"
    calls: int  # steps per timed repeat
    init_bound: float = 1.0  # weights uniform in +-init_bound/sqrt(fan_in): 1 is PyTorch's default, sqrt(6) Kaiming
    targets: str = "linear"  # "linear": the seed's y = x @ w + noise | "teacher": tanh of a random map | "classes"

    def data(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Inputs (float32) and targets: float32 for regression, int64 classes for cross_entropy."""
        rng = np.random.default_rng(seed)
        d_in, d_out = self.sizes[0], self.sizes[-1]
        x = rng.standard_normal((self.batch, d_in)).astype(np.float32)
        if self.loss == "cross_entropy":
            return x, rng.integers(0, d_out, self.batch).astype(np.int64)
        if self.targets == "teacher":
            teacher = rng.standard_normal((d_in, d_out)) / np.sqrt(d_in)
            return x, np.tanh(x @ teacher).astype(np.float32)
        weights = rng.standard_normal((d_in, d_out))
        return x, (x @ weights + rng.standard_normal((self.batch, d_out))).astype(np.float32)

    def init(self, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weight (out, in), bias (out,)) per layer, shared by all three ways.

        Both uniform in +-init_bound/sqrt(fan_in): PyTorch's default Linear init when init_bound is 1; a
        deep ReLU stack needs Kaiming's sqrt(6) to keep its activations alive.
        """
        rng = np.random.default_rng(seed + 1)
        layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            bound = self.init_bound / np.sqrt(fan_in)
            w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
            b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
            layers.append((w, b))
        return layers


SEED = Workload("(1) seed 3-32-1, Adam", (3, 32, 1), 100, "mse_sum", "adam", 0.08, "us/epoch", calls=200)
MLP = Workload("(2) MLP 784-512-512-10, Adam", (784, 512, 512, 10), 256, "cross_entropy", "adam", 1e-3,
               "ms/step", calls=10, targets="classes")
DEEP = Workload("(3) deep 16x64, SGD+momentum", (64,) * 17, 64, "mse_mean", "sgd_momentum", 1e-2,
                "us/step", calls=50, init_bound=6**0.5, targets="teacher")
WORKLOADS = [SEED, MLP, DEEP]


@dataclass(frozen=True)
class ConvWorkload:
    """A small CNN: conv (padding 1) + ReLU layers, flatten, one linear layer, cross-entropy, Adam."""

    name: str
    image: tuple[int, int, int]  # (channels, height, width) of an input
    convs: tuple[tuple[int, int, int], ...]  # (out_channels, kernel, stride) per conv layer, padding (kernel-1)//2
    classes: int
    batch: int
    lr: float
    unit: str
    calls: int
    loss: str = "cross_entropy"
    optimizer: str = "adam"

    def shapes(self) -> list[tuple[int, int, int]]:
        """(channels, height, width) of the input and after each conv layer."""
        out = [self.image]
        for c_out, k, s in self.convs:
            _, h, w = out[-1]
            p = (k - 1) // 2
            out.append((c_out, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1))
        return out

    def data(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Images (float32, NCHW) and int64 class labels that depend on them (a fixed random linear map)."""
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((self.batch, *self.image)).astype(np.float32)
        teacher = rng.standard_normal((int(np.prod(self.image)), self.classes))
        return x, np.argmax(x.reshape(self.batch, -1) @ teacher, axis=1).astype(np.int64)

    def init(self, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weight, bias) per layer: conv weights (out, in, k, k), then the linear (classes, features); all uniform
        in +-1/sqrt(fan_in), PyTorch's default bound."""
        rng = np.random.default_rng(seed + 1)
        layers = []
        shapes = self.shapes()
        for (c_out, k, _), (c_in, _, _) in zip(self.convs, shapes):
            bound = 1 / np.sqrt(c_in * k * k)
            layers.append((rng.uniform(-bound, bound, (c_out, c_in, k, k)).astype(np.float32),
                           rng.uniform(-bound, bound, c_out).astype(np.float32)))
        features = int(np.prod(shapes[-1]))
        bound = 1 / np.sqrt(features)
        layers.append((rng.uniform(-bound, bound, (self.classes, features)).astype(np.float32),
                       rng.uniform(-bound, bound, self.classes).astype(np.float32)))
        return layers


CONV = ConvWorkload("(7) CNN 1-16-32 on 8x8 digits, Adam", (1, 8, 8), ((16, 3, 1), (32, 3, 2)), 10, 64, 1e-3,
                    "us/step", calls=50)
