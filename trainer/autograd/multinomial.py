"""`torch.multinomial` with PyTorch CPU's two algorithms, so that the same seed draws the same indices.

Without replacement (or for one sample) PyTorch takes the top k of p / q with q ~ Exp(1) drawn for every
element (the exponential-race form of Gumbel-top-k); with replacement it searches, for each sample, a
53-bit uniform double in the row's cumulative distribution (summed in the input's dtype, then divided by
its total, the last bucket set to 1).
"""

from __future__ import annotations

import numpy as np

from .random import Generator, generator_or_default
from .tensor import Tensor


def _checked_rows(input: Tensor, num_samples: int, replacement: bool) -> np.ndarray:  # noqa: A002
    p = input._array
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > p.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    rows = p.reshape(-1, p.shape[-1])
    if p.size and not (np.isfinite(rows).all() and (rows >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return rows


def _exponential_race(rows: np.ndarray, num_samples: int, gen: Generator) -> np.ndarray:
    q = gen.exponential(rows.size, rows.dtype).reshape(rows.shape)
    keys = rows / q
    if num_samples == 1:
        return np.argmax(keys, axis=-1)[:, None]
    # topk (largest first); equal keys keep index order
    return np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]


def _inverse_cdf(rows: np.ndarray, num_samples: int, gen: Generator) -> np.ndarray:
    out = np.empty((rows.shape[0], num_samples), np.int64)
    for i, row in enumerate(rows):
        cum = np.cumsum(row)  # sequential, in the row's dtype, as PyTorch's loop
        cum /= cum[-1]
        cum[-1] = 1
        u = gen.uniform(num_samples, np.float64)
        out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
    return out


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: Generator | None = None) -> Tensor:
    """`num_samples` category indices per row of `input` (non-negative weights, not necessarily normalised)."""
    num_samples = int(num_samples)
    rows = _checked_rows(input, num_samples, replacement)
    gen = generator_or_default(generator)
    if not replacement or num_samples == 1:
        picked = _exponential_race(rows, num_samples, gen)
    else:
        picked = _inverse_cdf(rows, num_samples, gen)
    shape = (num_samples,) if input._array.ndim == 1 else (rows.shape[0], num_samples)
    return Tensor._wrap(picked.astype(np.int64).reshape(shape))


Tensor.multinomial = multinomial
