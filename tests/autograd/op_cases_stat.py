"""Differentiable statistics and search op cases (as in op_cases.py), against PyTorch and finite differences."""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase


def _nan(m, a):  # a NaN constant (no gradient) of the input's dtype
    return m.tensor(float("nan"), dtype=a.dtype)


CASES: dict[str, OpCase] = {
    # amin / aminmax: the selected element gets the gradient (inputs without ties)
    "amin_all": C(lambda m, a: m.amin(a), ((3, 4),), "kinkfree"),
    "amin_dims_keepdim": C(lambda m, a: a.amin(dim=(0, 2), keepdim=True), ((2, 3, 4),), "kinkfree"),
    "amin_negative_dim": C(lambda m, a: m.amin(a, -1), ((3, 4),), "kinkfree"),
    "aminmax_all": C(lambda m, a: m.aminmax(a).min * 2 + m.aminmax(a).max, ((3, 4),), "kinkfree"),
    "aminmax_dim": C(lambda m, a: m.stack(list(a.aminmax(dim=1, keepdim=True))), ((3, 4),), "kinkfree"),
    # nan-aware sums and means (no NaNs drawn: equal to sum/mean, through their own nodes)
    "nansum_all": C(lambda m, a: m.nansum(a), ((3, 4),)),
    "nansum_dims": C(lambda m, a: a.nansum(dim=(0, -1), keepdim=True), ((2, 3, 4),)),
    "nanmean_dim": C(lambda m, a: m.nanmean(a, dim=1), ((3, 4),)),
    "nanmean_masked": C(lambda m, a: m.nanmean(m.where(a > 1.0, _nan(m, a), a), dim=1), ((3, 5),), "kinkfree"),
    "nansum_masked": C(lambda m, a: m.nansum(m.where(a > 0.5, _nan(m, a), a * 2)), ((4, 3),), "kinkfree"),
    # medians, kthvalue, mode: the gradient goes to the selected index
    "median_all": C(lambda m, a: a.median(), ((3, 5),), "kinkfree"),
    "median_all_even": C(lambda m, a: m.median(a), ((4,),), "kinkfree"),
    "median_dim": C(lambda m, a: m.median(a, 1).values, ((3, 4),), "kinkfree"),
    "median_dim_keepdim": C(lambda m, a: a.median(dim=0, keepdim=True)[0], ((5, 3),), "kinkfree"),
    "nanmedian_all": C(lambda m, a: a.nanmedian(), ((3, 5),), "kinkfree"),
    "nanmedian_dim": C(lambda m, a: m.nanmedian(a, -1).values, ((3, 4),), "kinkfree"),
    "kthvalue": C(lambda m, a: m.kthvalue(a, 2).values, ((3, 4),), "kinkfree"),
    "kthvalue_dim_keepdim": C(lambda m, a: a.kthvalue(3, dim=0, keepdim=True).values, ((4, 3),), "kinkfree"),
    "mode_repeated": C(lambda m, a: (a * 0 + m.tensor([[1.0, 2.0, 2.0, 3.0]], dtype=a.dtype)).mode(1).values * a[:, 0],
                       ((3, 4),)),
    "mode_distinct": C(lambda m, a: m.mode(a, 0).values, ((3, 4),), "kinkfree"),
    # quantiles
    "quantile_scalar": C(lambda m, a: m.quantile(a, 0.3), ((3, 4),), "kinkfree"),
    "quantile_dim": C(lambda m, a: a.quantile(0.75, dim=1, keepdim=True), ((3, 5),), "kinkfree"),
    "quantile_tensor_q": C(lambda m, a: m.quantile(a, m.tensor([0.1, 0.5, 0.9], dtype=a.dtype), dim=0), ((5, 2),),
                           "kinkfree"),
    "quantile_q_grad": C(lambda m, a, q: m.quantile(a, q.sigmoid(), dim=1), ((3, 6), (2,)), "kinkfree"),
    "quantile_lower": C(lambda m, a: m.quantile(a, 0.4, interpolation="lower"), ((7,),), "kinkfree"),
    "quantile_higher": C(lambda m, a: m.quantile(a, 0.4, dim=-1, interpolation="higher"), ((2, 7),), "kinkfree"),
    "quantile_nearest": C(lambda m, a: m.quantile(a, m.tensor([0.3, 0.7], dtype=a.dtype), interpolation="nearest"),
                          ((6,),), "kinkfree"),
    "quantile_midpoint": C(lambda m, a: a.quantile(0.3, dim=0, interpolation="midpoint"), ((6, 2),), "kinkfree"),
    "nanquantile_dim": C(lambda m, a: m.nanquantile(a, 0.6, dim=1), ((3, 5),), "kinkfree"),
    "nanquantile_masked": C(lambda m, a: m.nanquantile(m.where(a > 0.6, _nan(m, a), a), 0.5, dim=1), ((4, 5),),
                            "kinkfree"),
    # var / std with the mean: both outputs carry gradient
    "var_mean_all": C(lambda m, a: m.var_mean(a)[0] * 3 + m.var_mean(a)[1], ((3, 4),)),
    "var_mean_dim": C(lambda m, a: m.stack(list(m.var_mean(a, 1, correction=0))), ((3, 4),)),
    "std_mean_dims_keepdim": C(lambda m, a: m.cat(list(m.std_mean(a, dim=(0, 2), keepdim=True))), ((2, 3, 4),)),
    "std_mean_unbiased": C(lambda m, a: m.stack(list(m.std_mean(a, 0, False))), ((4, 3),)),
    # scans
    "cummax": C(lambda m, a: m.cummax(a, 1).values, ((3, 5),), "kinkfree"),
    "cummin_dim0": C(lambda m, a: a.cummin(0).values, ((4, 3),), "kinkfree"),
    "cummax_ties": C(lambda m, a: m.cummax(a.clamp(max=0.5), -1).values, ((3, 6),), "kinkfree"),
    "logcumsumexp": C(lambda m, a: m.logcumsumexp(a, 1), ((3, 5),)),
    "logcumsumexp_dim0": C(lambda m, a: (a * 20).logcumsumexp(0), ((4, 3),)),
    # distances
    "dist_p2": C(lambda m, a, b: m.dist(a, b), ((3, 4), (4,))),
    "dist_p1": C(lambda m, a, b: a.dist(b, 1), ((3, 4), (3, 4)), "kinkfree"),
    "dist_p3": C(lambda m, a, b: m.dist(a, b, 3), ((2, 3), (2, 3))),
    "dist_p_half": C(lambda m, a, b: m.dist(a, b * 2, 0.5), ((5,), (5,)), "kinkfree"),
    "dist_p1_5": C(lambda m, a, b: m.dist(a, b, 1.5), ((5,), (5,)), "kinkfree"),
    "dist_inf": C(lambda m, a, b: m.dist(a, b * 3, float("inf")), ((5,), (5,)), "kinkfree"),
    "dist_neg_inf": C(lambda m, a, b: m.dist(a, b * 3, float("-inf")), ((5,), (5,)), "kinkfree"),
    "cdist_p2": C(lambda m, a, b: m.cdist(a, b), ((3, 4), (5, 4))),
    "cdist_p1": C(lambda m, a, b: m.cdist(a, b * 3, p=1), ((3, 2), (4, 2)), "kinkfree"),
    "cdist_p3_batched": C(lambda m, a, b: m.cdist(a, b, p=3), ((2, 3, 4), (2, 2, 4))),
    "cdist_p_half": C(lambda m, a, b: m.cdist(a, b * 3, p=0.5), ((3, 2), (2, 2)), "kinkfree"),
    "cdist_inf": C(lambda m, a, b: m.cdist(a, b * 3, p=float("inf")), ((3, 2), (4, 2)), "kinkfree"),
    "cdist_batch_broadcast": C(lambda m, a, b: m.cdist(a, b), ((2, 1, 3, 2), (3, 4, 2))),
    "renorm_p2": C(lambda m, a: m.renorm(a, 2, 0, 1.0), ((3, 4),)),
    "renorm_p1_dim1": C(lambda m, a: a.renorm(1, 1, 2.0), ((3, 4),), "kinkfree"),
    "renorm_inf": C(lambda m, a: a.renorm(float("inf"), 0, 0.8), ((3, 4),), "kinkfree"),
    "renorm_p3_3d": C(lambda m, a: a.renorm(3, -1, 1.5), ((2, 3, 4),)),
    # covariance and correlation (composites)
    "cov": C(lambda m, a: m.cov(a), ((3, 5),)),
    "cov_single_variable": C(lambda m, a: a.cov(correction=0), ((6,),)),
    "cov_fweights": C(lambda m, a: m.cov(a, fweights=m.tensor([1, 2, 0, 3])), ((2, 4),)),
    "cov_aweights": C(lambda m, a, w: m.cov(a, aweights=w), ((2, 4), (4,)), "positive"),
    "cov_both_weights": C(lambda m, a, w: m.cov(a, correction=2, fweights=m.tensor([1, 2, 1, 3, 1]), aweights=w),
                          ((3, 5), (5,)), "positive"),
    "corrcoef": C(lambda m, a: m.corrcoef(a) * m.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 4.0], [5.0, 6.0, 0.0]],
                                                        dtype=a.dtype), ((3, 5),)),
    "corrcoef_method": C(lambda m, a: a.corrcoef()[0, 1], ((2, 6),)),
}
