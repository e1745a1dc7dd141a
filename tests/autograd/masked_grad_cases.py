"""Ops whose backward passes the gradient only where the op let its input through (ReLU, the clamps), fed
upstream gradients with inf, NaN and negative values where the input was cut off: PyTorch passes +0 there
(and ReLU passes the gradient of a NaN input, which the clamps cut off).
Shared by tools/references_masked_grads.py and test_masked_grads.py; `fn(module, x)` runs on torch or trainer.
"""

from __future__ import annotations

import math

INF, NAN = math.inf, math.nan
X = [-1.0, 2.0, -3.0, -2.0, 0.0, 0.5, 0.7, -0.5, NAN]  # cut-off and passed entries, the bounds, a NaN input
G = [INF, INF, NAN, -1.0, -2.0, NAN, -INF, 3.0, 4.0]

CASES = {
    "relu": lambda m, x: m.relu(x),
    "relu_method": lambda m, x: x.relu(),
    "nn_relu": lambda m, x: m.nn.ReLU()(x),
    "functional_relu": lambda m, x: m.nn.functional.relu(x),
    "clamp_min": lambda m, x: m.clamp(x, min=0.0),
    "clamp_max": lambda m, x: m.clamp(x, max=0.5),
    "clamp_both": lambda m, x: m.clamp(x, -0.5, 0.5),
    "clamp_min_method": lambda m, x: x.clamp_min(-0.5),
    "clamp_max_function": lambda m, x: m.clamp_max(x, 0.0),
}
