"""Variable-length batches for the recurrent layers, as `torch.nn.utils.rnn`: `PackedSequence` and the functions
that pack, pad and unpad sequences.

A packed batch stores the time steps one after another, each with only the sequences still running (sorted
longest first): `data` has sum(lengths) rows and `batch_sizes[t]` says how many belong to step t. Packing and
padding are gathers (`index_select`), so gradients flow back to the padded or listed inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from ...autograd.index_reads import index_select
from ...autograd.ops import cat, stack
from ...autograd.tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]

_NOT_SORTED = ("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
               "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if "
               "you do not need ONNX exportability.")


class _PackedFields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedFields):
    """A packed batch of sequences (a named tuple: data, batch_sizes, sorted_indices, unsorted_indices).

    Made by `pack_padded_sequence` / `pack_sequence`; `unsorted_indices` defaults to the inverse of `sorted_indices`.
    """

    def __new__(cls, data: Any, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes), ...)
            if not (isinstance(data, list | tuple) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same packing with `data.to(...)` (batch_sizes stay as they are); self if data is unchanged."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self, *args: Any, **kwargs: Any) -> PackedSequence:
        return self

    def double(self) -> PackedSequence:
        return self.to(dtype=np.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=np.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=np.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=np.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=np.int32)

    @property
    def is_cuda(self) -> bool:
        return False

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse permutation (None stays None)."""
    if permutation is None:
        return None
    p = permutation._array
    out = np.empty_like(p)
    out[p] = np.arange(p.size, dtype=p.dtype)
    return Tensor._wrap(out)


def _int64(values: Any) -> np.ndarray:
    arr = values._array if isinstance(values, Tensor) else np.asarray(values)
    return arr.astype(np.int64).reshape(-1)


def _long(arr: np.ndarray) -> Tensor:
    return Tensor._wrap(np.asarray(arr, dtype=np.int64))


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,  # noqa: A002
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded (T, B, *) batch (B, T, * with `batch_first`) whose sequence b has `lengths[b]` steps.

    With `enforce_sorted` the lengths must be decreasing; otherwise the batch is sorted first (stably, longest
    first) and the permutation is kept in `sorted_indices`.
    """
    lens = _int64(lengths)
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lens, kind="stable")
        lens = lens[order]
        sorted_indices = _long(order)
        input = index_select(input, 0 if batch_first else 1, sorted_indices)  # noqa: A001
    data, batch_sizes = _pack(input, lens, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def _pack(input: Tensor, lens: np.ndarray, batch_first: bool) -> tuple[Tensor, Tensor]:  # noqa: A002
    if input._array.size == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    x = input.transpose(0, 1) if batch_first else input
    steps, batch = x.shape[0], x.shape[1]
    if lens.size != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lens.size} "
                           f"(batch_size={batch})")
    if lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if np.any(lens[1:] > lens[:-1]):
        raise RuntimeError(_NOT_SORTED)
    if lens[0] > steps:
        raise RuntimeError(f"a sequence length ({int(lens[0])}) is longer than the padded input ({steps} steps)")
    batch_sizes = (lens[None, :] > np.arange(int(lens[0]))[:, None]).sum(axis=1)
    rows = np.concatenate([t * batch + np.arange(b) for t, b in enumerate(batch_sizes)])
    flat = x.reshape((steps * batch, *x.shape[2:]))
    return index_select(flat, 0, _long(rows)), _long(batch_sizes)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Undo `pack_padded_sequence`: the padded batch (T, B, *) (B, T, * with `batch_first`) and the lengths
    (int64), in the original batch order; `total_length` pads to that many steps."""
    sizes = sequence.batch_sizes._array.astype(np.int64)
    steps = sizes.size
    if total_length is not None:
        if total_length < steps:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {steps}")
        steps = total_length
    data = sequence.data
    batch = int(sizes[0])
    rows = data.shape[0]
    index = np.full((steps, batch), rows, dtype=np.int64)  # row `rows` is the padding row
    start = 0
    for t, b in enumerate(sizes):
        index[t, :b] = np.arange(start, start + b)
        start += int(b)
    pad = Tensor._wrap(np.full((1, *data.shape[1:]), padding_value, dtype=data._array.dtype))
    padded = index_select(cat([data, pad]), 0, _long(index.reshape(-1))).reshape((steps, batch, *data.shape[1:]))
    if batch_first:
        padded = padded.transpose(0, 1)
    lengths = (sizes[None, :] > np.arange(batch)[:, None]).sum(axis=1)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices
        return index_select(padded, 0 if batch_first else 1, unsorted), _long(lengths[unsorted._array])
    return padded, _long(lengths)


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of shapes (L_i, *) into (max L, B, *) (B, max L, * with `batch_first`), filling with
    `padding_value` after each sequence (before it with padding_side='left'); the dtype is the first's."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    seqs = tuple(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = seqs[0]
    trailing, dtype = tuple(first.shape[1:]), first._array.dtype
    longest = max(s.shape[0] for s in seqs)
    rows = [_pad_one(s, longest, trailing, dtype, padding_value, padding_side) for s in seqs]
    return stack(rows, 0 if batch_first else 1)


def _pad_one(seq: Tensor, longest: int, trailing: tuple[int, ...], dtype: np.dtype, value: float,
             side: str) -> Tensor:
    if tuple(seq.shape[1:]) != trailing:
        for d, (a, b) in enumerate(zip(trailing, seq.shape[1:]), start=1):
            if a != b:
                raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                                   f"non-singleton dimension {d}")
        raise RuntimeError(f"expected sequences with trailing shape {list(trailing)}, got {list(seq.shape[1:])}")
    if seq._array.dtype != dtype:
        seq = seq.to(dtype)
    missing = longest - seq.shape[0]
    if missing == 0:
        return seq
    pad = Tensor._wrap(np.full((missing, *trailing), value, dtype=dtype))
    return cat([seq, pad] if side == "right" else [pad, seq])


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    """The list of sequences of a padded batch, sequence b cut to `lengths[b]` steps.

    As in PyTorch, a time-major batch (`batch_first=False`) is transposed in place.
    """
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    return [seq[:n] for seq, n in zip(padded_sequences, _int64(lengths).tolist(), strict=True)]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences of shapes (L_i, *) (longest first unless `enforce_sorted=False`)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences of a packed batch, in the original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
