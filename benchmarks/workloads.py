"""The benchmark workloads, each as a network shape, a batch, a loss and an optimizer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    """One training step's worth of work, described independently of the library."""

    name: str
    sizes: tuple[int, ...]  # layer widths, input first
    batch: int
    loss: str  # "mse_sum" | "cross_entropy"
    optimizer: str  # "adam" | "sgd_momentum"
    lr: float
    unit: str  # "us/epoch" | "ms/step"

    def data(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Inputs (float32) and targets: floats for regression, int64 classes for cross_entropy."""
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((self.batch, self.sizes[0])).astype(np.float32)
        if self.loss == "cross_entropy":
            return x, rng.integers(0, self.sizes[-1], self.batch).astype(np.int64)
        return x, rng.standard_normal((self.batch, self.sizes[-1])).astype(np.float32)

    def init(self, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        """PyTorch-default Linear init, (weight (out, in), bias (out,)) per layer, shared by all three ways."""
        rng = np.random.default_rng(seed + 1)
        layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            bound = 1 / np.sqrt(fan_in)
            w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
            b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
            layers.append((w, b))
        return layers


SEED = Workload("seed 3-32-1, full batch, Adam", (3, 32, 1), 100, "mse_sum", "adam", 0.08, "us/epoch")
MLP = Workload("MLP 784-512-512-10, batch 256, Adam", (784, 512, 512, 10), 256, "cross_entropy", "adam", 1e-3,
               "ms/step")
DEEP = Workload("deep narrow 16x64, batch 64, SGD momentum", (64,) * 17, 64, "mse_sum", "sgd_momentum", 1e-3,
                "us/step")
WORKLOADS = [SEED, MLP, DEEP]
