"""PyTorch reference values for the lazy layers (LazyLinear, LazyConv*, LazyBatchNorm*, LazyInstanceNorm*),
`nn.Buffer`, and AlphaDropout / FeatureAlphaDropout, LPPool1d/2d, MaxUnpool1d, UpsamplingNearest2d /
UpsamplingBilinear2d, EmbeddingBag, ChannelShuffle with their `F` functions and `F.gumbel_softmax`.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py more_nn
Writes tests/references/nn/more_nn.json: lazy layers before and after their first forward (repr, state_dict keys,
float32 weights bit for bit after a seed, outputs), float64 calls of functions and modules (output, gradients,
grad_fn, warnings; random ones after `torch.manual_seed`), and the exception class and message of bad calls.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import outcome, write_json

AREA = "nn"


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _tensor(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return torch.tensor(value, requires_grad=value.dtype.kind == "f")
    return value


# ----- lazy layers -------------------------------------------------------------------------------------------

LAZY = [
    ("LazyLinear", {"out_features": 3}, (2, 4)), ("LazyLinear", {"out_features": 2, "bias": False}, (3, 2, 5)),
    ("LazyConv1d", {"out_channels": 4, "kernel_size": 3, "padding": 1}, (2, 3, 6)),
    ("LazyConv1d", {"out_channels": 2, "kernel_size": 2, "bias": False}, (3, 5)),
    ("LazyConv2d", {"out_channels": 4, "kernel_size": 3, "groups": 2, "stride": 2}, (2, 6, 5, 5)),
    ("LazyConvTranspose1d", {"out_channels": 2, "kernel_size": 3, "stride": 2}, (2, 3, 4)),
    ("LazyConvTranspose2d", {"out_channels": 4, "kernel_size": 2, "groups": 2, "output_padding": 1, "stride": 2},
     (1, 4, 3, 3)),
    ("LazyBatchNorm1d", {}, (5, 3)), ("LazyBatchNorm1d", {"affine": False, "momentum": 0.3}, (4, 2, 3)),
    ("LazyBatchNorm2d", {"eps": 1e-3}, (2, 3, 2, 2)),
    ("LazyInstanceNorm1d", {}, (2, 3, 4)), ("LazyInstanceNorm2d", {"track_running_stats": False}, (2, 3, 3, 4)),
]


def _lazy_cases() -> list[dict[str, Any]]:
    cases = []
    for i, (ctor, kwargs, shape) in enumerate(LAZY):
        torch.manual_seed(i)
        module = getattr(tnn, ctor)(**kwargs)
        before = {"repr": repr(module), "keys": list(module.state_dict()),
                  "params": [type(p).__name__ for p in module.parameters()],
                  "buffers": [type(b).__name__ for b in module.buffers()]}
        x = _rng(i).standard_normal(shape).astype(np.float32)
        torch.manual_seed(100 + i)
        out = module(torch.tensor(x))
        cases.append({"ctor": ctor, "kwargs": kwargs, "seed": 100 + i, "input": x, "before": before,
                      "repr": repr(module), "class": type(module).__name__, "out": out,
                      "state": {k: v.numpy() for k, v in module.state_dict().items()}})
    return cases


def _lazy_double_cases() -> list[dict[str, Any]]:
    """`.double()` before the first forward: float64 parameters, then gradients of a float64 forward."""
    cases = []
    for i, (ctor, kwargs, shape) in enumerate(LAZY[:7]):
        torch.manual_seed(i)
        module = getattr(tnn, ctor)(**kwargs).double()
        x = torch.tensor(_rng(50 + i).standard_normal(shape), requires_grad=True)
        out = module(x)
        gout = _rng(60 + i).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        cases.append({"ctor": ctor, "kwargs": kwargs, "seed": i, "input": x.detach(), "out": out, "gout": gout,
                      "input_grad": x.grad, "state": {k: v.numpy() for k, v in module.state_dict().items()},
                      "grads": {k: p.grad for k, p in module.named_parameters()}})
    return cases


# ----- functions and modules ---------------------------------------------------------------------------------


def _run(call: Any, inputs: list[Any], seed: int | None, backward: bool = True) -> dict[str, Any]:
    """Output, grad_fn, warnings and the gradients of the float inputs for a seeded standard-normal weighting."""
    tensors = [_tensor(x) for x in inputs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if seed is not None:
            torch.manual_seed(seed)
        out = call(*tensors)
    record: dict[str, Any] = {"out": out, "warnings": [str(w.message) for w in caught],
                              "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None}
    if out.requires_grad and backward:
        gout = _rng(len(inputs) + out.numel()).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        record.update(gout=gout, grads=[t.grad if isinstance(t, torch.Tensor) and t.requires_grad else None
                                        for t in tensors])
    return record


def _functional_cases() -> list[dict[str, Any]]:
    r = _rng(3)
    n = r.standard_normal
    x3, x4 = n((2, 4, 5)), n((2, 6, 3, 4))
    pooled, where = F.max_pool1d(torch.tensor(x3), 2, return_indices=True)
    pooled_s, where_s = F.max_pool1d(torch.tensor(x3), 3, stride=2, padding=1, return_indices=True)
    flat = np.array([1, 2, 4, 5, 4, 3, 2, 9, 0, 6])
    offsets = np.array([0, 2, 2, 5])
    weight = n((10, 3))
    calls: list[tuple[str, str, list[Any], dict[str, Any], int | None]] = [
        ("alpha_dropout", "alpha_dropout", [x3], {"p": 0.3, "training": True}, 1),
        ("alpha_dropout_half", "alpha_dropout", [x4], {"training": True}, 2),
        ("alpha_dropout_eval", "alpha_dropout", [x3], {"p": 0.3}, 1),
        ("alpha_dropout_all", "alpha_dropout", [x3], {"p": 1.0, "training": True}, 1),
        ("alpha_dropout_float32", "alpha_dropout", [x3.astype(np.float32)], {"p": 0.2, "training": True}, 3),
        ("feature_alpha_dropout", "feature_alpha_dropout", [x4], {"p": 0.4, "training": True}, 4),
        ("feature_alpha_dropout_2d", "feature_alpha_dropout", [n((3, 5))], {"p": 0.5, "training": True}, 5),
        ("lp_pool1d", "lp_pool1d", [np.abs(x3) + 0.1], {"norm_type": 2, "kernel_size": 2}, None),
        ("lp_pool1d_stride_ceil", "lp_pool1d", [x3], {"norm_type": 3.0, "kernel_size": 2, "stride": 2,
                                                      "ceil_mode": True}, None),
        ("lp_pool1d_p1", "lp_pool1d", [x3[0]], {"norm_type": 1, "kernel_size": 3, "stride": 1}, None),
        ("lp_pool2d", "lp_pool2d", [np.abs(x4) + 0.1], {"norm_type": 2, "kernel_size": 2}, None),
        ("lp_pool2d_rect", "lp_pool2d", [x4], {"norm_type": 1.5, "kernel_size": (2, 3), "stride": 1}, None),
        ("max_unpool1d", "max_unpool1d", [pooled.numpy(), where.numpy()], {"kernel_size": 2}, None),
        ("max_unpool1d_size", "max_unpool1d", [pooled.numpy(), where.numpy()],
         {"kernel_size": 2, "output_size": [5]}, None),
        ("max_unpool1d_stride", "max_unpool1d", [pooled_s.numpy(), where_s.numpy()],
         {"kernel_size": 3, "stride": 2, "padding": 1, "output_size": [2, 4, 5]}, None),
        ("channel_shuffle", "channel_shuffle", [x4], {"groups": 3}, None),
        ("channel_shuffle_3d", "channel_shuffle", [x3], {"groups": 2}, None),
        ("upsample_nearest", "upsample_nearest", [x4], {"scale_factor": 2}, None),
        ("upsample_bilinear", "upsample_bilinear", [x4], {"size": (5, 7)}, None),
        ("gumbel_softmax", "gumbel_softmax", [n((4, 5))], {}, 6),
        ("gumbel_softmax_tau_dim", "gumbel_softmax", [n((3, 4, 2))], {"tau": 0.5, "dim": 1}, 7),
        ("gumbel_softmax_hard", "gumbel_softmax", [n((4, 5))], {"hard": True}, 8),
        ("gumbel_softmax_float32_eps", "gumbel_softmax", [n((2, 6)).astype(np.float32)], {"eps": 1e-5}, 9),
    ]
    for mode in ("sum", "mean", "max"):
        calls += [
            (f"embedding_bag_{mode}", "embedding_bag", [flat, weight], {"offsets": offsets, "mode": mode}, None),
            (f"embedding_bag_{mode}_2d", "embedding_bag", [flat.reshape(2, 5), weight], {"mode": mode}, None),
            (f"embedding_bag_{mode}_last_padding", "embedding_bag", [flat, weight],
             {"offsets": np.array([0, 3, 3, 7, 10]), "mode": mode, "include_last_offset": True, "padding_idx": 4},
             None),
        ]
    calls += [
        ("embedding_bag_weighted", "embedding_bag", [flat, weight], {"offsets": offsets, "mode": "sum",
                                                                     "per_sample_weights": n(10)}, None),
        ("embedding_bag_weighted_2d", "embedding_bag", [flat.reshape(5, 2), weight],
         {"mode": "sum", "per_sample_weights": n((5, 2)), "padding_idx": 2}, None),
        ("embedding_bag_freq_forward", "embedding_bag", [flat, weight],  # (the CPU's gradient: see the tests)
         {"offsets": offsets, "scale_grad_by_freq": True, "mode": "sum"}, None),
        ("embedding_bag_int32", "embedding_bag", [flat.astype(np.int32), weight],
         {"offsets": offsets.astype(np.int32)}, None),
    ]
    cases = []
    for name, fn, inputs, kwargs, seed in calls:
        options = {k: v for k, v in kwargs.items() if not isinstance(v, np.ndarray)}
        order = [f"arg{i}" for i in range(len(inputs))] + [k for k, v in kwargs.items() if isinstance(v, np.ndarray)]
        arrays = list(inputs) + [v for v in kwargs.values() if isinstance(v, np.ndarray)]

        def call(*ts: Any, fn: str = fn, options: dict = options, order: list = order, k: int = len(inputs)) -> Any:
            named = dict(zip(order[k:], ts[k:]))
            return getattr(F, fn)(*ts[:k], **{**options, **named})

        forward_only = name.endswith("_forward")
        cases.append({"name": name, "fn": fn, "inputs": arrays, "order": order, "kwargs": kwargs, "seed": seed,
                      "forward_only": forward_only, **_run(call, arrays, seed, not forward_only)})
    return cases


MODULES = [
    ("AlphaDropout", {"p": 0.25}, [(3, 4)], 11), ("FeatureAlphaDropout", {"p": 0.3}, [(2, 3, 4)], 12),
    ("LPPool1d", {"norm_type": 2, "kernel_size": 3, "stride": 2}, [(2, 3, 7)], None),
    ("LPPool2d", {"norm_type": 1.5, "kernel_size": 2}, [(1, 2, 4, 4)], None),
    ("UpsamplingNearest2d", {"scale_factor": 2}, [(1, 2, 2, 3)], None),
    ("UpsamplingBilinear2d", {"size": (4, 5)}, [(1, 2, 2, 3)], None),
    ("ChannelShuffle", {"groups": 2}, [(2, 4, 3)], None),
]


def _module_cases() -> list[dict[str, Any]]:
    cases = []
    for i, (ctor, kwargs, shapes, seed) in enumerate(MODULES):
        module = getattr(tnn, ctor)(**kwargs)
        inputs = [_rng(20 + i).standard_normal(s) for s in shapes]
        for train in (True, False):
            module.train(train)
            cases.append({"ctor": ctor, "kwargs": kwargs, "repr": repr(module), "train": train, "inputs": inputs,
                          "seed": seed, **_run(module, inputs, seed)})
    x = torch.tensor(_rng(30).standard_normal((2, 3, 6)))
    pooled, where = F.max_pool1d(x, 2, return_indices=True)
    unpool = tnn.MaxUnpool1d(2)
    cases.append({"ctor": "MaxUnpool1d", "kwargs": {"kernel_size": 2}, "repr": repr(unpool), "train": True,
                  "inputs": [pooled.numpy(), where.numpy()], "seed": None,
                  **_run(unpool, [pooled.numpy(), where.numpy()], None)})
    return cases


def _embedding_bag_modules() -> list[dict[str, Any]]:
    cases = []
    for i, kwargs in enumerate([{"num_embeddings": 6, "embedding_dim": 3},
                                {"num_embeddings": 5, "embedding_dim": 2, "mode": "sum", "padding_idx": 1},
                                {"num_embeddings": 4, "embedding_dim": 4, "mode": "max", "max_norm": 1.0}]):
        torch.manual_seed(i)
        module = tnn.EmbeddingBag(**kwargs)
        init = module.weight.detach().clone().numpy()
        idx = _rng(40 + i).integers(0, kwargs["num_embeddings"], 7)
        offsets = np.array([0, 3, 3, 5])
        out = module(torch.tensor(idx), torch.tensor(offsets))
        gout = _rng(41 + i).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        cases.append({"kwargs": kwargs, "seed": i, "init": init, "repr": repr(module), "input": idx,
                      "offsets": offsets, "out": out, "gout": gout, "grad": module.weight.grad,
                      "weight_after": module.weight.detach().numpy(), "keys": list(module.state_dict())})
    return cases


def _buffer_case() -> dict[str, Any]:
    class Holder(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = tnn.Buffer(torch.ones(2))
            self.b = tnn.Buffer(torch.zeros(3), persistent=False)
            self.c = torch.ones(1)
            self.register_buffer("d", torch.zeros(1))
            self.d = tnn.Buffer(torch.ones(2), persistent=False)

    h = Holder()
    marked = tnn.Buffer(torch.arange(3.0))
    return {"buffers": [k for k, _ in h.named_buffers()], "keys": list(h.state_dict()),
            "type": type(marked).__name__, "isinstance": isinstance(marked, tnn.Buffer),
            "plain_isinstance": isinstance(torch.ones(1), tnn.Buffer), "requires_grad": marked.requires_grad,
            "repr": repr(marked)}


# ----- errors ------------------------------------------------------------------------------------------------


def _error_cases() -> list[dict[str, Any]]:
    """F calls ("F", fn, args, kwargs) and module calls ("nn", ctor, ctor kwargs, args)."""
    r = _rng(9)
    x3 = r.standard_normal((2, 4, 5))
    idx = np.array([0, 1, 2, 1])
    w = r.standard_normal((4, 3))
    pooled, where = F.max_pool1d(torch.tensor(x3), 2, return_indices=True)
    p, i = pooled.numpy(), where.numpy()
    calls: list[tuple[str, str, Any, Any]] = [
        ("F", "alpha_dropout", [x3], {"p": 1.5}),
        ("F", "alpha_dropout", [x3], {"p": -0.1, "training": True}),
        ("F", "feature_alpha_dropout", [x3[0, 0]], {"training": True}),
        ("F", "feature_alpha_dropout", [x3[0, 0]], {}),
        ("F", "channel_shuffle", [x3], {"groups": 3}),
        ("F", "channel_shuffle", [x3], {"groups": 0}),
        ("F", "channel_shuffle", [x3[0]], {"groups": 2}),
        ("F", "max_unpool1d", [p, i, 2], {"output_size": [9]}),
        ("F", "max_unpool1d", [p, i, 2], {"output_size": [1, 4]}),
        ("F", "max_unpool1d", [p[0, 0], i[0, 0], 2], {}),
        ("F", "embedding_bag", [idx.reshape(2, 2), w], {"offsets": np.array([0, 1])}),
        ("F", "embedding_bag", [idx, w], {}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([[0, 1]])}),
        ("F", "embedding_bag", [idx.reshape(1, 2, 2), w], {}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([0, 2]), "mode": "min"}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([0, 2]), "mode": "max",
                                          "scale_grad_by_freq": True}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([0, 2]), "per_sample_weights": np.ones(4)}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([1, 2])}),
        ("F", "embedding_bag", [idx, w], {"offsets": np.array([0, 5])}),
        ("F", "gumbel_softmax", [x3], {"eps": 0.1}),
        ("nn", "AlphaDropout", {"p": 2.0}, []),
        ("nn", "LazyConv2d", {"out_channels": 3, "kernel_size": 2, "groups": 2}, [r.standard_normal((1, 3, 4, 4))]),
        ("nn", "LazyConv2d", {"out_channels": 2, "kernel_size": 2}, [r.standard_normal((3, 4))]),
        ("nn", "LazyConv1d", {"out_channels": 2, "kernel_size": 2}, [r.standard_normal((1, 2, 3, 4))]),
        ("nn", "LazyLinear", {"out_features": 2}, [r.standard_normal(3)]),
    ]
    cases = []
    for kind, name, first, second in calls:
        if kind == "F":
            result = outcome(lambda n=name, a=first, k=second: getattr(F, n)(
                *[_tensor(v) if isinstance(v, np.ndarray) else v for v in a],
                **{key: _tensor(v) for key, v in k.items()}))
            cases.append({"kind": kind, "fn": name, "args": first, "kwargs": second, **result})
        else:
            def build_and_call(n: str = name, k: dict = first, a: list = second) -> Any:
                module = getattr(tnn, n)(**k).double()
                return module(*[torch.tensor(v) for v in a]) if a else torch.zeros(0)
            cases.append({"kind": kind, "ctor": name, "kwargs": first, "args": second, **outcome(build_and_call)})
    return cases


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float32)
    payload = {
        "lazy": _lazy_cases(),
        "lazy_double": _lazy_double_cases(),
        "functional": _functional_cases(),
        "modules": _module_cases(),
        "embedding_bag": _embedding_bag_modules(),
        "buffer": _buffer_case(),
        "errors": _error_cases(),
    }
    write_json(out_dir / "more_nn.json", payload)
