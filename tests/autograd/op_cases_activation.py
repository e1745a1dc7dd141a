"""Differentiable activation op cases (same form as op_cases.py), checked against PyTorch and finite differences."""

from __future__ import annotations

from .op_cases import OpCase


def _glu_pair(m, a):
    return m.nn.functional.glu(a, 0) * 2.0


C = OpCase
CASES: dict[str, OpCase] = {
    # cut-off activations (kinkfree inputs: |x| >= 0.2, the bounds chosen away from the drawn values)
    "hardtanh": C(lambda m, a: m.nn.functional.hardtanh(a), ((3, 4),), "kinkfree"),
    "hardtanh_bounds": C(lambda m, a: m.nn.functional.hardtanh(a, -0.5, 0.7), ((3, 4),), "kinkfree"),
    "relu6": C(lambda m, a: m.nn.functional.relu6(a * 4.0 + 1.0), ((3, 4),), "kinkfree"),
    "threshold": C(lambda m, a: m.nn.functional.threshold(a, 0.1, 20.0), ((3, 4),), "kinkfree"),
    "threshold_negative": C(lambda m, a: m.nn.functional.threshold(a, -0.65, -3.0), ((3, 4),), "kinkfree"),
    "hardsigmoid": C(lambda m, a: m.nn.functional.hardsigmoid(a * 2.5), ((3, 4),), "kinkfree"),
    "hardswish": C(lambda m, a: m.nn.functional.hardswish(a * 2.5), ((3, 4),), "kinkfree"),
    "softshrink": C(lambda m, a: m.nn.functional.softshrink(a), ((3, 4),), "kinkfree"),
    "softshrink_lambd": C(lambda m, a: m.nn.functional.softshrink(a, 0.9), ((3, 4),), "kinkfree"),
    "hardshrink": C(lambda m, a: m.nn.functional.hardshrink(a), ((3, 4),), "kinkfree"),
    "hardshrink_lambd": C(lambda m, a: m.nn.functional.hardshrink(a, 1.1), ((3, 4),), "kinkfree"),
    # smooth ones
    "mish": C(lambda m, a: m.nn.functional.mish(a * 3.0), ((3, 4),)),
    "selu": C(lambda m, a: m.nn.functional.selu(a), ((3, 4),), "kinkfree"),
    "celu": C(lambda m, a: m.nn.functional.celu(a), ((3, 4),), "kinkfree"),
    "celu_alpha": C(lambda m, a: m.nn.functional.celu(a, 0.4), ((3, 4),), "kinkfree"),
    "elu_negative_wide": C(lambda m, a: m.nn.functional.elu(a * 5.0, 2.0), ((3, 4),), "kinkfree"),
    "logsigmoid": C(lambda m, a: m.nn.functional.logsigmoid(a * 4.0), ((3, 4),)),
    "softsign": C(lambda m, a: m.nn.functional.softsign(a), ((3, 4),), "kinkfree"),
    "tanhshrink": C(lambda m, a: m.nn.functional.tanhshrink(a), ((3, 4),)),
    "softmin": C(lambda m, a: m.nn.functional.softmin(a, 1), ((3, 4),)),
    "softmin_dim0": C(lambda m, a: m.nn.functional.softmin(a, 0), ((3, 4),)),
    "softmin_3d": C(lambda m, a: m.nn.functional.softmin(a, -1) * a, ((2, 3, 4),)),
    "glu": C(lambda m, a: m.nn.functional.glu(a), ((3, 4),)),
    "glu_dim0": C(_glu_pair, ((4, 3),)),
    "glu_3d_mid": C(lambda m, a: m.nn.functional.glu(a, 1), ((2, 6, 3),)),
    "prelu_shared": C(lambda m, a, w: m.nn.functional.prelu(a, w), ((3, 4), (1,)), "kinkfree"),
    "prelu_channels": C(lambda m, a, w: m.nn.functional.prelu(a, w), ((2, 3, 4), (3,)), "kinkfree"),
    "prelu_channels_4d": C(lambda m, a, w: m.nn.functional.prelu(a, w), ((2, 3, 2, 2), (3,)), "kinkfree"),
    "prelu_1d": C(lambda m, a, w: m.nn.functional.prelu(a, w), ((5,), (1,)), "kinkfree"),
    "rrelu_eval": C(lambda m, a: m.nn.functional.rrelu(a), ((3, 4),), "kinkfree"),
    "rrelu_eval_bounds": C(lambda m, a: m.nn.functional.rrelu(a, 0.05, 0.6), ((3, 4),), "kinkfree"),
    "leaky_relu_inplace": C(lambda m, a: m.nn.functional.leaky_relu(a * 1.0, 0.3, inplace=True), ((3, 4),),
                            "kinkfree"),
    "elu_inplace": C(lambda m, a: m.nn.functional.elu(a * 1.0, 0.7, inplace=True), ((3, 4),), "kinkfree"),
    "elu_": C(lambda m, a: m.nn.functional.elu_(a * 2.0), ((3, 4),), "kinkfree"),
    "selu_": C(lambda m, a: m.nn.functional.selu_(a * 2.0), ((3, 4),), "kinkfree"),
    "celu_": C(lambda m, a: m.nn.functional.celu_(a * 2.0, 0.6), ((3, 4),), "kinkfree"),
    "hardtanh_": C(lambda m, a: m.nn.functional.hardtanh_(a * 1.0, -0.45, 0.9), ((3, 4),), "kinkfree"),
    "relu6_inplace": C(lambda m, a: m.nn.functional.relu6(a * 5.0, inplace=True), ((3, 4),), "kinkfree"),
    "threshold_": C(lambda m, a: m.nn.functional.threshold_(a * 1.0, 0.1, -5.0), ((3, 4),), "kinkfree"),
    "hardswish_inplace": C(lambda m, a: m.nn.functional.hardswish(a * 3.5, inplace=True), ((3, 4),), "kinkfree"),
    "hardsigmoid_inplace": C(lambda m, a: m.nn.functional.hardsigmoid(a * 3.5, inplace=True), ((3, 4),),
                             "kinkfree"),
    "mish_inplace": C(lambda m, a: m.nn.functional.mish(a * 1.0, inplace=True), ((3, 4),)),
    "rrelu_": C(lambda m, a: m.nn.functional.rrelu_(a * 1.0), ((3, 4),), "kinkfree"),
    # distances
    "normalize": C(lambda m, a: m.nn.functional.normalize(a), ((3, 4),)),
    "normalize_dim0_p1": C(lambda m, a: m.nn.functional.normalize(a, 1.0, 0), ((3, 4),), "kinkfree"),
    "normalize_p3": C(lambda m, a: m.nn.functional.normalize(a, 3.0, -1), ((2, 3, 4),)),
    "normalize_eps": C(lambda m, a: m.nn.functional.normalize(a * 0.01, 2.0, 1, 0.02), ((4, 3),)),
    "cosine_similarity": C(lambda m, a, b: m.nn.functional.cosine_similarity(a, b), ((3, 4), (3, 4))),
    "cosine_similarity_dim": C(lambda m, a, b: m.nn.functional.cosine_similarity(a, b, -1), ((2, 3, 4), (3, 4))),
    "cosine_similarity_1d": C(lambda m, a, b: m.nn.functional.cosine_similarity(a, b, 0), ((5,), (5,))),
    "pairwise_distance": C(lambda m, a, b: m.nn.functional.pairwise_distance(a, b), ((3, 4), (3, 4))),
    "pairwise_distance_p1": C(lambda m, a, b: m.nn.functional.pairwise_distance(a, b, 1.0), ((3, 4), (3, 4)),
                              "kinkfree"),
    "pairwise_distance_p3_keepdim": C(lambda m, a, b: m.nn.functional.pairwise_distance(a, b, 3.0, keepdim=True),
                                      ((3, 4), (4,))),
    "pairwise_distance_1d": C(lambda m, a, b: m.nn.functional.pairwise_distance(a, b, 2.0, 0.1), ((4,), (4,))),
    "pdist": C(lambda m, a: m.nn.functional.pdist(a), ((4, 3),)),
    "pdist_p1": C(lambda m, a: m.nn.functional.pdist(a, 1), ((4, 3),), "kinkfree"),
    "pdist_p3": C(lambda m, a: m.nn.functional.pdist(a, 3.0), ((5, 2),)),
    "pdist_p_half": C(lambda m, a: m.nn.functional.pdist(a, 0.5), ((3, 4),), "kinkfree"),
    "pixel_shuffle": C(lambda m, a: m.nn.functional.pixel_shuffle(a, 2), ((2, 8, 2, 3),)),
    "pixel_shuffle_3d": C(lambda m, a: m.nn.functional.pixel_shuffle(a, 3), ((9, 1, 2),)),
    "pixel_unshuffle": C(lambda m, a: m.nn.functional.pixel_unshuffle(a, 2), ((1, 2, 4, 6),)),
}
