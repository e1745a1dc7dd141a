"""Recurrent layers with PyTorch's names, parameters, defaults and numbers: `RNN`, `LSTM`, `GRU` and their cells.

Each layer and direction projects the inputs of all time steps with one matmul, then loops over time in Python
for the hidden recurrence, composing differentiable ops (addmm, sigmoid, tanh, cat), so gradients need no
backward rule of their own. Gates are in PyTorch's order: LSTM (i, f, g, o), GRU (r, z, n) with the reset gate
applied to (W_hn h + b_hn). A `PackedSequence` input runs step t on its first batch_sizes[t] sequences only, and
h_n holds each sequence's state after its own last step.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd.index_reads import index_select
from ..autograd.ops import cat, relu, sigmoid, stack, tanh
from ..autograd.tensor import Tensor
from . import init
from ._factory import empty_parameter, layer_dtype
from .functional.layers import dropout as _dropout
from .functional.layers import linear
from .module import Module
from .parameter import Parameter
from .utils.rnn import PackedSequence

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}
_PROJ_ONLY_LSTM = "proj_size argument is only supported for LSTM, not RNN or GRU"

Step = Callable[[Tensor, Tensor, "Tensor | None"], "tuple[Tensor, Tensor | None]"]


# ----- one time step ---------------------------------------------------------------------------------------------


def _rnn_step(act: Callable[[Tensor], Tensor], w_hh_t: Tensor) -> Step:
    """h' = act(xp + h W_hh^T), xp holding x W_ih^T + b_ih + b_hh."""
    def step(xp: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, None]:
        return act(xp.addmm(h, w_hh_t)), None
    return step


def _lstm_step(w_hh_t: Tensor, w_hr_t: Tensor | None) -> Step:
    """Gates (i, f, g, o) = xp + h W_hh^T; c' = f c + i g; h' = o tanh(c'), projected by W_hr when given."""
    def step(xp: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, Tensor]:
        i, f, g, o = xp.addmm(h, w_hh_t).chunk(4, 1)
        c = sigmoid(f) * c + sigmoid(i) * tanh(g)
        h = sigmoid(o) * tanh(c)
        return (h if w_hr_t is None else h.mm(w_hr_t)), c
    return step


def _gru_step(w_hh: Tensor, b_hh: Tensor | None) -> Step:
    """r, z = sigmoid(x_rz + h_rz); n = tanh(x_n + r (W_hn h + b_hn)); h' = n + z (h - n); xp = x W_ih^T + b_ih."""
    def step(xp: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, None]:
        xr, xz, xn = xp.chunk(3, 1)
        hr, hz, hn = linear(h, w_hh, b_hh).chunk(3, 1)
        r = sigmoid(xr + hr)
        z = sigmoid(xz + hz)
        n = tanh(xn + r * hn)
        return n + z * (h - n), None
    return step


def _make_step(mode: str, w: dict[str, Tensor]) -> tuple[Step, Tensor | None]:
    """The step function of `mode` and the bias to add to the input projection (b_ih, plus b_hh unless GRU)."""
    b_ih, b_hh = w.get("bias_ih"), w.get("bias_hh")
    if mode == "GRU":
        return _gru_step(w["weight_hh"], b_hh), b_ih
    bias = None if b_ih is None else b_ih + b_hh
    if mode == "LSTM":
        w_hr = w.get("weight_hr")
        return _lstm_step(w["weight_hh"].t(), None if w_hr is None else w_hr.t()), bias
    return _rnn_step(tanh if mode == "RNN_TANH" else relu, w["weight_hh"].t()), bias


# ----- a whole sequence ------------------------------------------------------------------------------------------


def _steps(x: Tensor, sizes: list[int]) -> list[Tensor]:
    """The row blocks of `x` of the given sizes, split as a balanced tree: the backward pass then allocates
    about 2 log2(T) arrays of x's size for x's gradient, where one slice per step would allocate T."""
    if len(sizes) == 1:
        return [x]
    half = len(sizes) // 2
    first, rest = x.split([sum(sizes[:half]), sum(sizes[half:])])
    return _steps(first, sizes[:half]) + _steps(rest, sizes[half:])


def _recur(step: Step, xs: list[Tensor], sizes: list[int], h0: Tensor, c0: Tensor | None,
           reverse: bool) -> tuple[Tensor, Tensor, Tensor | None]:
    """Run the recurrence over the steps (backwards when `reverse`), step t on the first sizes[t] rows.

    Returns the outputs of all steps in time order (stacked rows, as packed data) and each row's last state.
    """
    steps = len(sizes)
    outs: list[Tensor | None] = [None] * steps
    finished: list[tuple[Tensor, Tensor | None]] = []  # rows whose sequence ended, latest first once reversed
    h, c = h0, c0
    if reverse and sizes[-1] != h0.shape[0]:
        h, c = h0[:sizes[-1]], None if c0 is None else c0[:sizes[-1]]
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        rows = sizes[t]
        if rows > h.shape[0]:  # backwards, sequences start: their rows of the initial state join
            h = cat([h, h0[h.shape[0]:rows]])
            c = None if c is None else cat([c, c0[c.shape[0]:rows]])
        elif rows < h.shape[0]:  # forwards, sequences ended: keep their states
            finished.append((h[rows:], None if c is None else c[rows:]))
            h, c = h[:rows], None if c is None else c[:rows]
        h, c = step(xs[t], h, c)
        outs[t] = h
    if finished:
        h = cat([h, *(f[0] for f in reversed(finished))])
        c = None if c is None else cat([c, *(f[1] for f in reversed(finished))])
    return cat(outs), h, c


class RNNBase(Module):
    """What `RNN`, `LSTM` and `GRU` share: parameters per layer and direction, checks, repr and the layer loop."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        _check_options(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        d = layer_dtype(dtype, device, type(self).__name__)
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else real_hidden * directions
            for direction in range(directions):
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, real_hidden)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                suffix = "_reverse" if direction == 1 else ""
                names = []
                for kind, shape in shapes.items():
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, empty_parameter(shape, d))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every parameter uniform in +-1/sqrt(hidden_size), in registration order (PyTorch's draws)."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """A no-op: the weights are plain arrays already (PyTorch compacts them for cuDNN)."""

    @property
    def _flat_weights(self) -> list[Parameter | None]:
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters per layer and direction, [[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    # ----- checks, as PyTorch names them (subclasses in user code call them) -----------------------------------
    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:  # noqa: A002
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). "
                             f"Convert input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.shape[-1]:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:  # noqa: A002
        if batch_sizes is not None:
            mini_batch = int(batch_sizes._array[0])
        else:
            mini_batch = input.shape[0] if self.batch_first else input.shape[1]
        hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, hidden)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.shape)))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: Tensor | None) -> None:  # noqa: A002
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None) -> Tensor:
        return hx if permutation is None else index_select(hx, 1, permutation)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # ----- the computation -----------------------------------------------------------------------------------
    def _zeros(self, batch: int, size: int, like: Tensor) -> Tensor:
        layers = self.num_layers * (2 if self.bidirectional else 1)
        return Tensor._wrap(np.zeros((layers, batch, size), dtype=like._array.dtype))

    def _run(self, data: Tensor, sizes: list[int], hx: Tensor, cx: Tensor | None
             ) -> tuple[Tensor, Tensor, Tensor | None]:
        """All layers over packed-layout data (rows of step 0, then step 1, ...): (output rows, h_n, c_n)."""
        directions = 2 if self.bidirectional else 1
        h0s = hx.unbind(0)
        c0s = None if cx is None else cx.unbind(0)
        h_n: list[Tensor] = []
        c_n: list[Tensor | None] = []
        x = data
        for layer in range(self.num_layers):
            outs = []
            for direction in range(directions):
                k = layer * directions + direction
                names = self._all_weights[k]
                weights = {name.rsplit("_l", 1)[0]: getattr(self, name) for name in names}
                step, bias = _make_step(self.mode, weights)
                xs = _steps(linear(x, weights["weight_ih"], bias), sizes)
                out, h, c = _recur(step, xs, sizes, h0s[k], None if c0s is None else c0s[k], direction == 1)
                outs.append(out)
                h_n.append(h)
                c_n.append(c)
            x = outs[0] if directions == 1 else cat(outs, 1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                x = _dropout(x, self.dropout, True)
        return x, stack(h_n), (None if cx is None else stack(c_n))

    def _unpacked(self, input: Tensor) -> tuple[Tensor, list[int]]:  # noqa: A002
        """(T, B, I) or (B, T, I) as packed-layout rows and the (equal) batch sizes."""
        x = input.transpose(0, 1) if self.batch_first else input
        steps, batch = x.shape[0], x.shape[1]
        if steps == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        return x.reshape((steps * batch, x.shape[2])), [batch] * steps

    def _repad(self, out: Tensor, input: Tensor) -> Tensor:  # noqa: A002
        """Output rows back to the input's (T, B, H) or (B, T, H) layout."""
        steps, batch = (input.shape[1], input.shape[0]) if self.batch_first else (input.shape[0], input.shape[1])
        out = out.reshape((steps, batch, out.shape[1]))
        return out.transpose(0, 1) if self.batch_first else out

    def _forward_one_state(self, input: Any, hx: Tensor | None) -> tuple[Any, Tensor]:  # noqa: A002
        """(output, h_n) of an RNN or GRU; a PackedSequence input gives a PackedSequence output."""
        label = "RNN" if self.mode.startswith("RNN") else self.mode
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            if hx is None:
                hx = self._zeros(int(batch_sizes._array[0]), self.hidden_size, data)
            else:
                hx = self.permute_hidden(hx, sorted_indices)
            self.check_forward_args(data, hx, batch_sizes)
            out, h_n, _ = self._run(data, [int(b) for b in batch_sizes._array], hx, None)
            packed = PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices)
            return packed, self.permute_hidden(h_n, unsorted_indices)
        if input.dim() not in (2, 3):
            tail = " tensor" if label == "RNN" else ""
            raise ValueError(f"{label}: Expected input to be 2D or 3D, got {input.dim()}D{tail} instead")
        batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = input.unsqueeze(batch_dim)  # noqa: A001
            if hx is not None:
                if hx.dim() != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
                hx = hx.unsqueeze(1)
        elif hx is not None and hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
        if hx is None:
            hx = self._zeros(input.shape[batch_dim], self.hidden_size, input)
        self.check_forward_args(input, hx, None)
        data, sizes = self._unpacked(input)
        out, h_n, _ = self._run(data, sizes, hx, None)
        output = self._repad(out, input)
        if not batched:
            return output.squeeze(batch_dim), h_n.squeeze(1)
        return output, h_n


def _check_options(mode: str, input_size: Any, hidden_size: Any, num_layers: int, bias: Any, batch_first: Any,
                   dropout: Any, proj_size: int) -> None:
    """PyTorch's constructor checks, in its order and with its messages."""
    if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
        raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                         "being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                      f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                      stacklevel=4)
    for name, value in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")
    if mode not in _GATES:
        raise ValueError("Unrecognized RNN mode: " + mode)


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (relu with nonlinearity='relu').

    RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, device=None, dtype=None); forward(input, hx=None) -> (output, h_n).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError(_PROJ_ONLY_LSTM)
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:  # noqa: A002
        """(output, h_n); a PackedSequence input gives a PackedSequence output."""
        return self._forward_one_state(input, hx)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "nonlinearity" and "_parameters" not in self.__dict__:  # set before Module.__init__, as torch does
            object.__setattr__(self, name, value)
            return
        super().__setattr__(name, value)


class LSTM(RNNBase):
    """Long short-term memory: gates (i, f, g, o), c_t = f c_{t-1} + i g, h_t = o tanh(c_t) (times W_hr^T with
    proj_size > 0).

    LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False,
    proj_size=0, device=None, dtype=None); forward(input, hx=None) -> (output, (h_n, c_n)).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:  # noqa: A002
        layers, batch, _ = self.get_expected_hidden_size(input, batch_sizes)
        return (layers, batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden: Any, batch_sizes: Tensor | None) -> None:  # noqa: A002
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx: Any, permutation: Tensor | None) -> Any:
        if permutation is None:
            return hx
        return index_select(hx[0], 1, permutation), index_select(hx[1], 1, permutation)

    def _zero_state(self, batch: int, like: Tensor) -> tuple[Tensor, Tensor]:
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        return self._zeros(batch, real_hidden, like), self._zeros(batch, self.hidden_size, like)

    def forward(self, input: Any, hx: Any = None) -> tuple[Any, tuple[Tensor, Tensor]]:  # noqa: A002
        """(output, (h_n, c_n)); a PackedSequence input gives a PackedSequence output."""
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            if hx is None:
                hx = self._zero_state(int(batch_sizes._array[0]), data)
            else:
                hx = self.permute_hidden(hx, sorted_indices)
            self.check_forward_args(data, hx, batch_sizes)  # PyTorch leaves this check to its kernel
            out, h_n, c_n = self._run(data, [int(b) for b in batch_sizes._array], hx[0], hx[1])
            packed = PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices)
            return packed, self.permute_hidden((h_n, c_n), unsorted_indices)
        if input.dim() not in (2, 3):
            raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead")
        batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = input.unsqueeze(batch_dim)  # noqa: A001
        if hx is None:
            hx = self._zero_state(input.shape[batch_dim], input)
        elif batched:
            if hx[0].dim() != 3 or hx[1].dim() != 3:
                raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                   f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
        else:
            if hx[0].dim() != 2 or hx[1].dim() != 2:
                raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                                   f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        self.check_forward_args(input, hx, None)
        data, sizes = self._unpacked(input)
        out, h_n, c_n = self._run(data, sizes, hx[0], hx[1])
        output = self._repad(out, input)
        if not batched:
            return output.squeeze(batch_dim), (h_n.squeeze(1), c_n.squeeze(1))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit: r, z = sigmoid(...), n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.

    GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False,
    device=None, dtype=None); forward(input, hx=None) -> (output, h_n).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError(_PROJ_ONLY_LSTM)
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:  # noqa: A002
        """(output, h_n); a PackedSequence input gives a PackedSequence output."""
        return self._forward_one_state(input, hx)


# ----- cells -------------------------------------------------------------------------------------------------


class RNNCellBase(Module):
    """What the cells share: weight_ih (chunks * hidden, input), weight_hh, bias_ih, bias_hh, their init and repr."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        d = layer_dtype(dtype, device, type(self).__name__)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = empty_parameter((num_chunks * hidden_size, input_size), d)
        self.weight_hh = empty_parameter((num_chunks * hidden_size, hidden_size), d)
        if bias:
            self.bias_ih = empty_parameter((num_chunks * hidden_size,), d)
            self.bias_hh = empty_parameter((num_chunks * hidden_size,), d)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every parameter uniform in +-1/sqrt(hidden_size), in registration order (PyTorch's draws)."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _prepare(self, input: Tensor, states: tuple[Tensor | None, ...], name: str, hidden: str
                 ) -> tuple[Tensor, list[Tensor], bool]:  # noqa: A002
        """Check dimensions, add the batch dimension to unbatched tensors and default the states to zeros."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for k, s in enumerate(states):
            if s is not None and s.dim() not in (1, 2):
                label = hidden if len(states) == 1 else f"hx[{k}]"
                raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got {s.dim()}D instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)  # noqa: A001
        if states[0] is None:
            zeros = Tensor._wrap(np.zeros((input.shape[0], self.hidden_size), dtype=input._array.dtype))
            full = [zeros] * len(states)
        else:
            full = [s if batched else s.unsqueeze(0) for s in states]
        self._check_cell(input, full)
        return input, full, batched

    def _check_cell(self, input: Tensor, states: list[Tensor]) -> None:  # noqa: A002
        if input.shape[1] != self.weight_ih.shape[1]:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected "
                               f"{self.weight_ih.shape[1]}")
        for k, s in enumerate(states):
            if input.shape[0] != s.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                                   f"{s.shape[0]}")
            if s.shape[1] != self.weight_hh.shape[1]:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {s.shape[1]}, expected "
                                   f"{self.weight_hh.shape[1]}")

    def _summed_bias(self) -> Tensor | None:
        return None if self.bias_ih is None else self.bias_ih + self.bias_hh


class RNNCell(RNNCellBase):
    """One Elman step: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (relu with nonlinearity='relu')."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        x, (h,), batched = self._prepare(input, (hx,), "RNNCell", "hidden")
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        step = _rnn_step(tanh if self.nonlinearity == "tanh" else relu, self.weight_hh.t())
        out, _ = step(linear(x, self.weight_ih, self._summed_bias()), h, None)
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: (h', c') from x and (h, c), gates (i, f, g, o)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None  # noqa: A002
                ) -> tuple[Tensor, Tensor]:
        x, (h, c), batched = self._prepare(input, (None, None) if hx is None else tuple(hx), "LSTMCell", "hx")
        step = _lstm_step(self.weight_hh.t(), None)
        h, c = step(linear(x, self.weight_ih, self._summed_bias()), h, c)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: gates (r, z, n), the reset gate applied to (W_hn h + b_hn)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        x, (h,), batched = self._prepare(input, (hx,), "GRUCell", "hidden")
        step = _gru_step(self.weight_hh, self.bias_hh)
        out, _ = step(linear(x, self.weight_ih, self.bias_ih), h, None)
        return out if batched else out.squeeze(0)
