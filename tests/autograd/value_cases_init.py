"""Value cases for trainer.nn.init (see value_cases.py): the same seed gives PyTorch's weights."""

from __future__ import annotations

import warnings

from .value_cases import ValueCase

V = ValueCase


def _init(m, name: str, shape: tuple[int, ...], dtype: str = "float32", seed: int = 0, **kwargs):
    m.manual_seed(seed)
    t = m.empty(*shape, dtype=getattr(m, dtype))
    with warnings.catch_warnings(record=True):
        out = getattr(m.nn.init, name)(t, **kwargs)
    return out is t, t.detach()


CASES: dict[str, ValueCase] = {
    "orthogonal_tall": V(lambda m: _init(m, "orthogonal_", (5, 3), "float64")),
    "orthogonal_wide_gain": V(lambda m: _init(m, "orthogonal_", (3, 7), "float64", gain=2.0)),
    "orthogonal_conv": V(lambda m: _init(m, "orthogonal_", (4, 2, 3), "float64", seed=3)),
    "orthogonal_vector": V(lambda m: _init(m, "orthogonal_", (4,))),
    "trunc_normal_default": V(lambda m: _init(m, "trunc_normal_", (50,))),
    "trunc_normal_narrow_window": V(lambda m: _init(m, "trunc_normal_", (40,), a=2.0, b=3.0)),
    "trunc_normal_vit_style": V(lambda m: _init(m, "trunc_normal_", (8, 30), std=0.02)),
    "trunc_normal_float64": V(lambda m: _init(m, "trunc_normal_", (64,), "float64", seed=5, mean=1.0, std=2.0,
                                              a=0.0, b=1.5)),
    "eye_": V(lambda m: _init(m, "eye_", (3, 4))),
    "eye_needs_2d": V(lambda m: _init(m, "eye_", (3,))),
    "dirac_1d_conv": V(lambda m: _init(m, "dirac_", (4, 2, 3))),
    "dirac_groups": V(lambda m: _init(m, "dirac_", (4, 4, 3, 3), groups=2)),
    "dirac_3d_conv": V(lambda m: _init(m, "dirac_", (2, 3, 3, 3, 3))),
    "dirac_bad_groups": V(lambda m: _init(m, "dirac_", (3, 3, 3), groups=2)),
    "sparse_": V(lambda m: _init(m, "sparse_", (6, 4), sparsity=0.5)),
    "sparse_std": V(lambda m: _init(m, "sparse_", (10, 3), seed=2, sparsity=0.25, std=1.0)),
    "deprecated_names": V(lambda m: [_init(m, n, (3, 2))[1] for n in ("uniform", "normal", "xavier_uniform",
                                                                       "xavier_normal", "kaiming_uniform",
                                                                       "kaiming_normal", "orthogonal")]),
    "deprecated_warning": V(lambda m: _deprecation_message(m)),
}


def _deprecation_message(m):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.nn.init.uniform(m.empty(2))
    return [(w.category.__name__, str(w.message)) for w in caught]
