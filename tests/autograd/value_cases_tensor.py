"""Value cases for Tensor methods that are not ops (see value_cases.py), compared with PyTorch's results."""

from __future__ import annotations

import warnings

from .value_cases import SPECIAL, ValueCase

V = ValueCase


def _scaler_flow(m, growth_interval: int = 2):
    """Steps with clean and inf gradients through a CPU GradScaler: scales, steps taken or skipped, the weights."""
    p = m.nn.Parameter(m.tensor([1.0, -2.0]))
    opt = m.optim.SGD([p], lr=0.1)
    scaler = m.amp.GradScaler("cpu", init_scale=4.0, growth_interval=growth_interval)
    out = []
    for factor in (2.0, 3.0, float("inf"), 0.5, float("nan"), 1.0):
        opt.zero_grad()
        scaler.scale((p * factor).sum()).backward()
        out.append((p.grad.clone(), scaler.step(opt), p.detach().clone(), scaler.get_scale()))
        scaler.update()
        out.append(scaler.state_dict())
    return out


def _scaler_unscale_first(m):
    p = m.nn.Parameter(m.tensor([1.0]))
    opt = m.optim.SGD([p], lr=1.0)
    scaler = m.amp.GradScaler("cpu", init_scale=8.0)
    scaler.scale((p * 3).sum()).backward()
    scaler.unscale_(opt)
    clipped = m.nn.utils.clip_grad_norm_([p], 1.0)
    scaler.step(opt)
    scaler.update(2.0)
    return p.grad.clone(), clipped, p.detach().clone(), scaler.get_scale(), scaler.scale(m.ones(2))


def _scaler_misuse(m, what: str):
    p = m.nn.Parameter(m.tensor([1.0]))
    opt = m.optim.SGD([p], lr=1.0)
    scaler = m.amp.GradScaler("cpu")
    if what == "update_first":
        scaler.update()
    scaler.scale(p.sum()).backward()
    if what == "unscale_twice":
        scaler.unscale_(opt)
        scaler.unscale_(opt)
    if what == "closure":
        scaler.step(opt, closure=lambda: 0)
    scaler.step(opt)
    if what == "unscale_after_step":
        scaler.unscale_(opt)
    scaler.step(opt)


class _Cube:
    """A custom Function whose backward is right (`wrong=False`) or off by a factor."""

    @staticmethod
    def make(m, wrong: bool):
        class Cube(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x**3

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * (4 if wrong else 3) * x**2

        return Cube.apply


def _gradcheck(m, a, b, what: str):
    a, b = a.requires_grad_(), b.requires_grad_()
    with warnings.catch_warnings(record=True):
        if what == "ops":
            return m.autograd.gradcheck(lambda x, y: ((x * y).sin(), x.exp().sum()), (a, b))
        if what == "custom_right":
            return m.autograd.gradcheck(_Cube.make(m, False), (a,))
        if what == "custom_wrong_quiet":
            return m.autograd.gradcheck(_Cube.make(m, True), (a,), raise_exception=False)
        if what == "float32":
            return m.autograd.gradcheck(lambda x: (x * x).sum(), (a.detach().float().requires_grad_(),))
        if what == "nothing_requires_grad":
            return m.autograd.gradcheck(lambda x: x * 2, (a.detach(),))
        return m.autograd.gradcheck(_Cube.make(m, True), (a,))


def _backward_of_several(m, a):
    a.requires_grad_()
    m.autograd.backward([a * 2, (a * a).sum()], [m.ones(3, dtype=a.dtype), None])
    first = a.grad.clone()
    m.autograd.backward((a**3).sum(), inputs=[a])
    return first, a.grad


def _variable(m, a):
    from_tensor = m.autograd.Variable(a, requires_grad=True)
    return (from_tensor.requires_grad, a.requires_grad, from_tensor.is_leaf, isinstance(a, m.autograd.Variable),
            m.autograd.Variable(a).requires_grad, from_tensor.grad_fn is None)


def _alpha_and_rounding(m, a, b):
    a, b = a.requires_grad_(), b.requires_grad_()
    r = [m.add(a, b, alpha=2), a.add(b, alpha=-1), m.sub(a, b, alpha=3), a.sub(b, alpha=0.5),
         m.div(a, b, rounding_mode="floor"), a.div(b, rounding_mode="trunc"), m.div(a, b)]
    sum(x.sum() for x in r).backward()
    return r, a.grad, b.grad, [type(x.grad_fn).__name__ for x in r]


def _seeded(m, draw):
    m.manual_seed(0)
    return draw()


def _disabled_scaler(m):
    p = m.nn.Parameter(m.tensor([1.0, 2.0]))
    opt = m.optim.SGD([p], lr=0.5)
    with warnings.catch_warnings(record=True):  # no CUDA: PyTorch disables both with a warning (test_amp.py)
        scaler = m.amp.GradScaler("cuda")
        loss = scaler.scale((p * p).sum())
        loss.backward()
        scaler.step(opt)
        scaler.update()
        with m.autocast("cuda"):
            y = p * 2
    return scaler.is_enabled(), scaler.get_scale(), scaler.state_dict(), p.detach().clone(), y.dtype == p.dtype
M23 = ([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]],)
INTS = ([[1, 2, 3], [4, 5, 6]],)
CASES: dict[str, ValueCase] = {
    "eq_special": V(lambda m, a: a == a, (SPECIAL,)),
    "argmax_int": V(lambda m, a: (a.argmax(), a.max().item(), a.shape), ([[3, 1], [4, 9]],), ("int64",)),
    "index_out_of_range": V(lambda m, a: a[5], ([1.0, 2.0],)),
    # the new_* factories: this tensor's dtype unless dtype= says otherwise
    "new_zeros": V(lambda m, a: (a.new_zeros(2, 3), a.new_zeros((2,)), a.new_zeros([1, 2], dtype=m.int64)), M23),
    "new_ones": V(lambda m, a: (a.new_ones(3), a.new_ones(m.Size([2, 1]))), INTS, ("int64",)),
    "new_full": V(lambda m, a: (a.new_full((2,), 7), a.new_full([1, 2], 2.5), a.new_full((1,), 1, dtype=m.float64)),
                  M23, ("float32",)),
    "new_full_int_truncates": V(lambda m, a: a.new_full((2,), 2.5), INTS, ("int64",)),
    "new_tensor": V(lambda m, a: (a.new_tensor([1, 2]), a.new_tensor([[1.5]]), a.new_tensor(3, dtype=m.float64)),
                    M23, ("float32",)),
    "new_tensor_int": V(lambda m, a: a.new_tensor([1.5, -2.7]), INTS, ("int64",)),
    "new_empty_shape": V(lambda m, a: (a.new_empty(0).shape, a.new_empty(2, 3).dtype == a.dtype), M23),
    "new_requires_grad": V(lambda m, a: a.new_zeros(2, requires_grad=True).requires_grad, M23),
    "type_as": V(lambda m, a, b: (a.type_as(b), b.type_as(a), a.type_as(a)), (*INTS, [0.5]), ("int64", "float32")),
    # storage facts
    "strides": V(lambda m, a: (a.stride(), a.t().stride(), a.stride(0), a.stride(-1), a[:, 1].stride(),
                               a.unsqueeze(1).stride(), a.expand(3, 2, 3).stride()), M23),
    "stride_out_of_range": V(lambda m, a: a.stride(2), M23),
    "stride_of_0d": V(lambda m, a: a.stride(), (2.0,)),
    "stride_of_0d_dim": V(lambda m, a: a.stride(0), (2.0,)),
    "is_contiguous": V(lambda m, a: (a.is_contiguous(), a.t().is_contiguous(), a.t().contiguous().is_contiguous(),
                                     a[:, 1].is_contiguous(), a[1].is_contiguous()), M23),
    "storage_offset": V(lambda m, a: (a.storage_offset(), a[1].storage_offset(), a[:, 2].storage_offset(),
                                      a[1, 1:].storage_offset()), M23),
    "sizes_in_bytes": V(lambda m, a: (a.element_size(), a.itemsize, a.nbytes, a.ndimension(), a.double().nbytes,
                                      a.long().element_size()), M23, ("float32",)),
    "kind_predicates": V(lambda m, a, b, c: (a.is_floating_point(), b.is_floating_point(), c.is_floating_point(),
                                             a.is_signed(), b.is_signed(), c.is_signed(), a.is_same_size(a.t()),
                                             a.is_same_size(a + 1)),
                         (*M23, [1, 2], [True]), ("float64", "int64", "bool")),
    "cpu_flags": V(lambda m, a: (a.is_cpu, a.is_sparse, a.is_quantized, a.is_meta, a.is_pinned(), a.is_shared(),
                                 a.share_memory_() is a, a.is_inference()), M23),
    "pin_memory_needs_an_accelerator": V(lambda m, a: a.pin_memory(), M23),
    "narrow_casts": V(lambda m, a: (a.half(), a.short(), a.byte(), a.char()), ([[0.5, 1.75, 2.0, 3.25]],)),
    # transposes of matrices
    "mT_mH_adjoint_H": V(lambda m, a: (a.mT, a.mH, a.adjoint(), a.H), M23),
    "mT_batched": V(lambda m, a: a.reshape(1, 2, 3).mT, M23),
    "H_batched": V(lambda m, a: a.reshape(1, 2, 3).H, M23),
    "mT_vector": V(lambda m, a: a[0].mT, M23),
    "H_vector": V(lambda m, a: a[0].H, M23),
    # sum_to_size
    "sum_to_size": V(lambda m, a: (a.sum_to_size(1, 3), a.sum_to_size(3), a.sum_to_size(2, 1), a.sum_to_size(2, 3),
                                   a.sum_to_size(m.Size([1, 1]))), M23),
    "sum_to_size_not_expandable": V(lambda m, a: a.sum_to_size(4), M23),
    "sum_to_size_grad_fn": V(lambda m, a: type(a.requires_grad_().sum_to_size(3).grad_fn).__name__, M23),
    # Python callables on CPU tensors
    "apply_": V(lambda m, a: a.apply_(lambda v: v * 2 + 1), INTS, ("int64",)),
    "map_": V(lambda m, a, b: a.map_(b, lambda x, y: x * 10 + y), (*M23, [1.0, 2.0, 3.0])),
    "apply_requires_grad": V(lambda m, a: a.requires_grad_().apply_(lambda v: v), M23),
    # dtype facts
    "finfo": V(lambda m: [(repr(m.finfo(t)), m.finfo(t).eps, m.finfo(t).tiny, m.finfo(t).max, m.finfo(t).bits,
                           m.finfo(t).resolution, m.finfo(t).dtype) for t in (m.float16, m.float32, m.float64)]),
    "finfo_default": V(lambda m: repr(m.finfo())),
    "finfo_of_int": V(lambda m: m.finfo(m.int64)),
    "iinfo": V(lambda m: [(repr(m.iinfo(t)), m.iinfo(t).min, m.iinfo(t).max, m.iinfo(t).bits, m.iinfo(t).dtype)
                          for t in (m.uint8, m.int8, m.int16, m.int32, m.int64)]),
    "iinfo_of_float": V(lambda m: m.iinfo(m.float32)),
    "promote_types": V(lambda m: [str(m.promote_types(a, b)) for a in (m.bool, m.uint8, m.int8, m.int32, m.int64,
                                                                       m.float16, m.float32, m.float64)
                                  for b in (m.bool, m.uint8, m.int8, m.int64, m.float16, m.float32, m.float64)]),
    "result_type": V(lambda m, i, f, h, s: [str(m.result_type(a, b)) for a, b in (
        (i, 1.0), (i, 2), (i, True), (f, 2), (f, 2.5), (h, f), (f, h), (h, s), (i, s), (s, 3), (s, 3.0), (2, 3.0),
        (True, 2), (i.to(m.int8), s.long()), (s.to(m.int8), i.to(m.int16)), (i.bool(), s.to(m.uint8)))],
        ([1, 2], [1.0], [1.0], 2.0), ("int64", "float32", "float16", "float64")),
    "can_cast": V(lambda m: [m.can_cast(a, b) for a in (m.bool, m.uint8, m.int64, m.float16, m.float64)
                             for b in (m.bool, m.int8, m.int64, m.float32, m.float64)]),
    # global switches
    "num_threads": V(lambda m: (m.set_num_threads(1), m.get_num_threads(), m.set_num_threads(2),
                                m.get_num_threads())),
    "num_threads_zero": V(lambda m: m.set_num_threads(0)),
    "matmul_precision": V(lambda m: (m.set_float32_matmul_precision("high"), m.get_float32_matmul_precision(),
                                     m.set_float32_matmul_precision("highest"), m.get_float32_matmul_precision())),
    "deterministic": V(lambda m: (m.use_deterministic_algorithms(True), m.are_deterministic_algorithms_enabled(),
                                  m.use_deterministic_algorithms(False), m.are_deterministic_algorithms_enabled(),
                                  m.is_deterministic_algorithms_warn_only_enabled())),
    "compile_returns_the_same_results": V(lambda m, a: (m.compile(lambda x: x * 2 + 1)(a),
                                                        m.compile(fullgraph=True)(lambda x: x.sum())(a)), M23),
    # automatic mixed precision on a CPU-only machine
    "grad_scaler_flow": V(lambda m: _scaler_flow(m)),
    "grad_scaler_grows": V(lambda m: _scaler_flow(m, growth_interval=1)),
    "grad_scaler_unscale_then_clip": V(lambda m: _scaler_unscale_first(m)),
    "grad_scaler_update_first": V(lambda m: _scaler_misuse(m, "update_first")),
    "grad_scaler_unscale_twice": V(lambda m: _scaler_misuse(m, "unscale_twice")),
    "grad_scaler_closure": V(lambda m: _scaler_misuse(m, "closure")),
    "grad_scaler_unscale_after_step": V(lambda m: _scaler_misuse(m, "unscale_after_step")),
    "grad_scaler_step_twice": V(lambda m: _scaler_misuse(m, "step_twice")),
    "grad_scaler_without_cuda": V(lambda m: _disabled_scaler(m)),
    # torch.autograd's functions
    "gradcheck_ops": V(lambda m, a, b: _gradcheck(m, a, b, "ops"), ([0.5, -1.0, 2.0], [1.5, 0.25, -0.5])),
    "gradcheck_custom_function": V(lambda m, a, b: _gradcheck(m, a, b, "custom_right"), ([0.5, -1.0], [1.0])),
    "gradcheck_wrong_backward_quiet": V(lambda m, a, b: _gradcheck(m, a, b, "custom_wrong_quiet"),
                                        ([0.5, -1.0], [1.0])),
    "gradcheck_wrong_backward_raises": V(lambda m, a, b: _gradcheck(m, a, b, "custom_wrong"), ([0.5, -1.0], [1.0])),
    "gradcheck_float32_fails": V(lambda m, a, b: _gradcheck(m, a, b, "float32"), ([1.0, 2.0], [1.0])),
    "gradcheck_nothing_requires_grad": V(lambda m, a, b: _gradcheck(m, a, b, "nothing_requires_grad"),
                                         ([1.0], [1.0])),
    "autograd_backward_several": V(lambda m, a: _backward_of_several(m, a), ([1.0, -2.0, 0.5],)),
    "autograd_backward_count_mismatch": V(lambda m, a: m.autograd.backward([a.requires_grad_() * 2, a * 3],
                                                                           [m.ones(3)]), ([1.0, 2.0, 3.0],)),
    "grad_seed_shape_mismatch": V(lambda m, a: m.autograd.grad(a.requires_grad_() * 2, a, m.ones(2)),
                                  ([1.0, 2.0, 3.0],)),
    "variable": V(lambda m, a: _variable(m, a), ([1.0, 2.0],)),
    # torch.add/sub/div keywords
    "add_sub_div_keywords": V(lambda m, a, b: _alpha_and_rounding(m, a, b), ([5.0, -7.0, 0.5], [2.0, 2.0, -0.25])),
    "div_rounding_int": V(lambda m, a: (m.div(a, 2, rounding_mode="floor"), a.div(-2, rounding_mode="trunc"),
                                        m.sub(a, a, alpha=2)), ([7, -7, 0],), ("int64",)),
    "div_bad_rounding_mode": V(lambda m, a: m.div(a, 2, rounding_mode="round"), ([1.0],)),
    "sub_float_alpha_on_ints": V(lambda m, a: m.sub(a, a, alpha=0.5), ([1, 2],), ("int64",)),
    # random draws into arrays numpy lays out column-major
    "bernoulli_of_broadcast_and_transposed": V(lambda m, p: _seeded(m, lambda: (m.bernoulli(p.expand(3, 4)),
                                                                                m.bernoulli(p.expand(3, 4).t()))),
                                               ([[0.2], [0.7], [0.5]],)),
}
