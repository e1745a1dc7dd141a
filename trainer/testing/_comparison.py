"""`torch.testing.assert_close` (and the deprecated `assert_allclose`): PyTorch's pairing of inputs (None, booleans,
numbers, tensor-likes; sequences and mappings element by element), tolerances per dtype, and its messages.

Values are compared as PyTorch's `isclose` computes them: in the inputs' (promoted) dtype, booleans and integers
through float32 for the allowed error, and the greatest differences taken in that dtype too, so the numbers in a
message are PyTorch's.
"""

from __future__ import annotations

import abc
import cmath
import collections.abc
import contextlib
import warnings
from collections.abc import Callable, Collection, Sequence
from typing import Any, NoReturn

import numpy as np

from ..autograd.creation import as_tensor
from ..autograd.dtype_info import promote_types
from ..autograd.dtypes import dtype, float16, float32, float64, int64, public
from ..autograd.tensor import Tensor

__all__ = ["assert_close", "assert_allclose"]

_DTYPE_PRECISIONS: dict[Any, tuple[float, float]] = {float16: (0.001, 1e-05), float32: (1.3e-06, 1e-05),
                                                      float64: (1e-07, 1e-07)}
_COMPLEX128 = "complex128"  # the dtype PyTorch gives a Python complex (trainer has no complex tensors)
_DTYPE_PRECISIONS[_COMPLEX128] = (1e-07, 1e-07)
_ISSUES = ("If you are a user and see this message during normal operation please file an issue at "
           "https://github.com/pytorch/pytorch/issues. If you are a developer and working on the comparison "
           "functions, please ")


class ErrorMeta(Exception):
    """An error to raise for a failed comparison, with the path (`id`) of the item that failed."""

    def __init__(self, type: type[Exception], msg: str, *, id: tuple[Any, ...] = ()) -> None:  # noqa: A002
        super().__init__(_ISSUES + "`raise ErrorMeta.to_error()` for user facing errors.")
        self.type = type
        self.msg = msg
        self.id = id

    def to_error(self, msg: str | Callable[[str], str] | None = None) -> Exception:
        if not isinstance(msg, str):
            generated_msg = self.msg
            if self.id:
                generated_msg += f"\n\nThe failure occurred for item {''.join(str([item]) for item in self.id)}"
            msg = msg(generated_msg) if callable(msg) else generated_msg
        return self.type(msg)


def default_tolerances(*inputs: Any, dtype_precisions: dict[Any, tuple[float, float]] | None = None
                       ) -> tuple[float, float]:
    """The largest (rtol, atol) of the inputs' dtypes (0 for integers and booleans)."""
    dtypes = []
    for input in inputs:  # noqa: A001
        if isinstance(input, Tensor):
            dtypes.append(input.dtype)
        elif isinstance(input, np.dtype | dtype) or (isinstance(input, str) and input == _COMPLEX128):
            dtypes.append(input)
        else:
            raise TypeError(f"Expected a torch.Tensor or a torch.dtype, but got {type(input)} instead.")
    dtype_precisions = dtype_precisions or _DTYPE_PRECISIONS
    rtols, atols = zip(*[dtype_precisions.get(dtype, (0.0, 0.0)) for dtype in dtypes], strict=True)
    return max(rtols), max(atols)


def get_tolerances(*inputs: Any, rtol: float | None, atol: float | None, id: tuple[Any, ...] = ()  # noqa: A002
                   ) -> tuple[float, float]:
    """The given (rtol, atol), or the inputs' defaults when both are omitted."""
    if (rtol is None) ^ (atol is None):
        raise ErrorMeta(ValueError, f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                        f"{'rtol' if rtol is None else 'atol'}.", id=id)
    if rtol is not None and atol is not None:
        return rtol, atol
    return default_tolerances(*inputs)


def _identifier(default: str, identifier: str | Callable[[str], str] | None) -> str:
    if identifier is None:
        return default
    return identifier(default) if callable(identifier) else identifier


def _make_mismatch_msg(*, default_identifier: str, identifier: str | Callable[[str], str] | None = None,
                       extra: str | None = None, abs_diff: float, abs_diff_idx: Any = None, atol: float,
                       rel_diff: float, rel_diff_idx: Any = None, rtol: float) -> str:
    equality = rtol == 0 and atol == 0

    def make_diff_msg(*, type: str, diff: float, idx: Any, tol: float) -> str:  # noqa: A002
        if idx is None:
            msg = f"{type.title()} difference: {diff}"
        else:
            msg = f"Greatest {type} difference: {diff} at index {idx}"
        if not equality:
            msg += f" (up to {tol} allowed)"
        return msg + "\n"

    msg = f"{_identifier(default_identifier, identifier)} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += make_diff_msg(type="absolute", diff=abs_diff, idx=abs_diff_idx, tol=atol)
    msg += make_diff_msg(type="relative", diff=rel_diff, idx=rel_diff_idx, tol=rtol)
    return msg.strip()


def make_scalar_mismatch_msg(actual: Any, expected: Any, *, rtol: float, atol: float,
                             identifier: str | Callable[[str], str] | None = None) -> str:
    """PyTorch's message for two numbers that are not close."""
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _make_mismatch_msg(default_identifier="Scalars", identifier=identifier,
                              extra=f"Expected {expected} but got {actual}.", abs_diff=abs_diff, atol=atol,
                              rel_diff=rel_diff, rtol=rtol)


def make_tensor_mismatch_msg(actual: np.ndarray, expected: np.ndarray, matches: np.ndarray, *, rtol: float,
                             atol: float, identifier: str | Callable[[str], str] | None = None) -> str:
    """PyTorch's message for two arrays of one dtype: mismatch count, greatest differences and their indices."""
    number_of_elements = matches.size
    total_mismatches = number_of_elements - int(matches.sum())
    extra = (f"Mismatched elements: {total_mismatches} / {number_of_elements} "
             f"({total_mismatches / number_of_elements:.1%})")
    a, e = actual.reshape(-1), expected.reshape(-1)
    if a.dtype.kind not in "fc":
        a, e = a.astype(np.int64), e.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = _rounded(np.abs(a - e), a.dtype)
        abs_diff[matches.reshape(-1)] = 0
        if abs_diff.dtype.kind != "f":  # integer true division gives the default float dtype
            rel_diff = abs_diff.astype(np.float32) / np.abs(e).astype(np.float32)
        else:
            rel_diff = _rounded(abs_diff / np.abs(e), a.dtype)
    rel_diff[matches.reshape(-1)] = 0
    i_abs, i_rel = _argmax(abs_diff), _argmax(rel_diff)
    shape = matches.shape
    return _make_mismatch_msg(default_identifier="Tensor-likes", identifier=identifier, extra=extra,
                              abs_diff=abs_diff[i_abs].item(), abs_diff_idx=_unravel(i_abs, shape), atol=atol,
                              rel_diff=rel_diff[i_rel].item(), rel_diff_idx=_unravel(i_rel, shape), rtol=rtol)


def _rounded(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return x.astype(dtype) if x.dtype != dtype else x


def _argmax(x: np.ndarray) -> int:
    """torch.max's index: the first NaN, else the first greatest element."""
    nan = np.isnan(x) if x.dtype.kind == "f" else None
    if nan is not None and nan.any():
        return int(np.argmax(nan))
    return int(np.argmax(x))


def _unravel(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat_index, shape)) if shape else ()


class UnsupportedInputs(Exception):  # noqa: N818 - PyTorch's name
    """A pair type cannot handle the inputs: the next one is tried."""


class Pair(abc.ABC):
    """A pair of inputs that one comparison handles."""

    def __init__(self, actual: Any, expected: Any, *, id: tuple[Any, ...] = (),  # noqa: A002
                 **unknown_parameters: Any) -> None:
        self.actual = actual
        self.expected = expected
        self.id = id
        self._unknown_parameters = unknown_parameters

    @staticmethod
    def _inputs_not_supported() -> NoReturn:
        raise UnsupportedInputs

    @staticmethod
    def _check_inputs_isinstance(*inputs: Any, cls: type | tuple[type, ...]) -> None:
        if not all(isinstance(input, cls) for input in inputs):  # noqa: A001
            Pair._inputs_not_supported()

    def _fail(self, type: type[Exception], msg: str, *, id: tuple[Any, ...] = ()) -> NoReturn:  # noqa: A002
        raise ErrorMeta(type, msg, id=self.id if not id and hasattr(self, "id") else id)

    @abc.abstractmethod
    def compare(self) -> None:
        """Raise an `ErrorMeta` if the inputs are not close."""

    def extra_repr(self) -> Sequence[str | tuple[str, Any]]:
        return []

    def __repr__(self) -> str:
        body = [f"    {name}={value!s}," for name, value in [
            ("id", self.id), ("actual", self.actual), ("expected", self.expected),
            *[(extra, getattr(self, extra)) if isinstance(extra, str) else extra for extra in self.extra_repr()]]]
        return "\n".join((f"{type(self).__name__}(", *body, ")"))


class ObjectPair(Pair):
    """Any two objects, compared with `==`."""

    def compare(self) -> None:
        try:
            equal = self.actual == self.expected
        except Exception as error:
            raise ErrorMeta(ValueError, f"{self.actual} == {self.expected} failed with:\n{error}.",
                            id=self.id) from error
        if not equal:
            self._fail(AssertionError, f"{self.actual} != {self.expected}")


class NonePair(Pair):
    """None against anything."""

    def __init__(self, actual: Any, expected: Any, **other_parameters: Any) -> None:
        if not (actual is None or expected is None):
            self._inputs_not_supported()
        super().__init__(actual, expected, **other_parameters)

    def compare(self) -> None:
        if not (self.actual is None and self.expected is None):
            self._fail(AssertionError, f"None mismatch: {self.actual} is not {self.expected}")


class BooleanPair(Pair):
    """Two booleans (Python or numpy)."""

    def __init__(self, actual: Any, expected: Any, *, id: tuple[Any, ...], **other_parameters: Any) -> None:  # noqa: A002
        self._check_inputs_isinstance(actual, expected, cls=(bool, np.bool_))
        actual, expected = (bool(b) for b in (actual, expected))
        super().__init__(actual, expected, **other_parameters)

    def compare(self) -> None:
        if self.actual is not self.expected:
            self._fail(AssertionError, f"Booleans mismatch: {self.actual} is not {self.expected}")


class NumberPair(Pair):
    """Two numbers (int, float, complex, numpy scalars) with the tolerances of int64, float64 or complex128."""

    _TYPE_TO_DTYPE: dict[type, Any] = {int: int64, float: float64, complex: _COMPLEX128}
    _NUMBER_TYPES = tuple(_TYPE_TO_DTYPE)

    def __init__(self, actual: Any, expected: Any, *, id: tuple[Any, ...] = (), rtol: float | None = None,  # noqa: A002
                 atol: float | None = None, equal_nan: bool = False, check_dtype: bool = False,
                 **other_parameters: Any) -> None:
        self._check_inputs_isinstance(actual, expected, cls=(*self._NUMBER_TYPES, np.number))
        actual, expected = (n.item() if isinstance(n, np.number) else n for n in (actual, expected))
        super().__init__(actual, expected, id=id, **other_parameters)
        self.rtol, self.atol = get_tolerances(*[self._TYPE_TO_DTYPE[type(input)] for input in (actual, expected)],
                                              rtol=rtol, atol=atol, id=id)
        self.equal_nan = equal_nan
        self.check_dtype = check_dtype

    def compare(self) -> None:
        if self.check_dtype and type(self.actual) is not type(self.expected):
            self._fail(AssertionError, f"The (d)types do not match: {type(self.actual)} != {type(self.expected)}.")
        if self.actual == self.expected:
            return
        if self.equal_nan and cmath.isnan(self.actual) and cmath.isnan(self.expected):
            return
        abs_diff = abs(self.actual - self.expected)
        tolerance = self.atol + self.rtol * abs(self.expected)
        if cmath.isfinite(abs_diff) and abs_diff <= tolerance:
            return
        self._fail(AssertionError, make_scalar_mismatch_msg(self.actual, self.expected, rtol=self.rtol, atol=self.atol))

    def extra_repr(self) -> Sequence[str]:
        return ("rtol", "atol", "equal_nan", "check_dtype")


class TensorLikePair(Pair):
    """Two tensors, or two of a type `as_tensor` accepts (numpy arrays, ...): attributes first, then values."""

    def __init__(self, actual: Any, expected: Any, *, id: tuple[Any, ...] = (), allow_subclasses: bool = True,  # noqa: A002
                 rtol: float | None = None, atol: float | None = None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True, check_layout: bool = True,
                 check_stride: bool = False, **other_parameters: Any) -> None:
        if not (isinstance(actual, type(expected)) or isinstance(expected, type(actual))):
            self._inputs_not_supported()
        if not allow_subclasses and type(actual) is not type(expected):
            self._inputs_not_supported()
        actual, expected = (self._to_tensor(t) for t in (actual, expected))
        super().__init__(actual, expected, id=id, **other_parameters)
        self.rtol, self.atol = get_tolerances(actual, expected, rtol=rtol, atol=atol, id=self.id)
        self.equal_nan = equal_nan
        self.check_device = check_device
        self.check_dtype = check_dtype
        self.check_layout = check_layout
        self.check_stride = check_stride

    def _to_tensor(self, tensor_like: Any) -> Tensor:
        if isinstance(tensor_like, Tensor):
            return tensor_like
        try:
            t = Tensor._wrap(tensor_like) if isinstance(tensor_like, np.ndarray) else as_tensor(tensor_like)
        except Exception:  # noqa: BLE001 - PyTorch's rule: anything as_tensor refuses is not a tensor-like
            self._inputs_not_supported()
        if t._array.dtype.kind not in "biuf":  # strings, objects: no tensor in PyTorch either
            self._inputs_not_supported()
        return t

    def compare(self) -> None:
        actual, expected = self.actual, self.expected
        self._compare_attributes(actual, expected)
        a, e = self._equalize_attributes(actual, expected)
        self._compare_regular_values_close(a, e, rtol=self.rtol, atol=self.atol, equal_nan=self.equal_nan)

    def _compare_attributes(self, actual: Tensor, expected: Tensor) -> None:
        def raise_mismatch_error(attribute_name: str, actual_value: Any, expected_value: Any) -> NoReturn:
            self._fail(AssertionError, f"The values for attribute '{attribute_name}' do not match: {actual_value} != "
                                       f"{expected_value}.")

        if actual.shape != expected.shape:
            raise_mismatch_error("shape", actual.shape, expected.shape)
        if actual.layout != expected.layout:
            if self.check_layout:
                raise_mismatch_error("layout", actual.layout, expected.layout)
        elif self.check_stride and actual.stride() != expected.stride():
            raise_mismatch_error("stride()", actual.stride(), expected.stride())
        if self.check_device and actual.device != expected.device:
            raise_mismatch_error("device", actual.device, expected.device)
        if self.check_dtype and actual.dtype != expected.dtype:
            raise_mismatch_error("dtype", actual.dtype, expected.dtype)

    def _equalize_attributes(self, actual: Tensor, expected: Tensor) -> tuple[np.ndarray, np.ndarray]:
        """Both as dense numpy arrays of their promoted dtype."""
        arrays = [(t.to_dense() if getattr(t, "is_sparse", False) else t).detach()._array for t in (actual, expected)]
        if arrays[0].dtype != arrays[1].dtype:
            dtype = np.dtype(promote_types(public(arrays[0].dtype), public(arrays[1].dtype)))
            arrays = [x.astype(dtype) for x in arrays]
        return arrays[0], arrays[1]

    def _compare_regular_values_close(self, actual: np.ndarray, expected: np.ndarray, *, rtol: float, atol: float,
                                      equal_nan: bool, identifier: str | Callable[[str], str] | None = None) -> None:
        matches = isclose(actual, expected, rtol, atol, equal_nan)
        if matches.all():
            return
        if actual.shape == ():
            msg = make_scalar_mismatch_msg(actual.item(), expected.item(), rtol=rtol, atol=atol, identifier=identifier)
        else:
            msg = make_tensor_mismatch_msg(actual, expected, matches, rtol=rtol, atol=atol, identifier=identifier)
        self._fail(AssertionError, msg)

    def extra_repr(self) -> Sequence[str]:
        return ("rtol", "atol", "equal_nan", "check_device", "check_dtype", "check_layout", "check_stride")


def isclose(a: np.ndarray, e: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    """PyTorch's `isclose` on two arrays of one dtype: equal, or both NaN (`equal_nan`), or a finite
    |a - e| <= atol + |rtol * e|, computed in the dtype (booleans and integers: the allowed error in float32)."""
    close = np.asarray(a == e)
    floating = a.dtype.kind in "fc"
    if equal_nan and floating:
        close |= np.isnan(a) & np.isnan(e)
    if rtol == 0 and atol == 0:
        return close
    with np.errstate(all="ignore"):
        if floating:
            compute = np.float32 if a.dtype == np.float16 else a.dtype.type
            allowed = _rounded(compute(atol) + np.abs(compute(rtol) * e.astype(compute)), a.dtype)
            actual_error = _rounded(np.abs(a.astype(compute) - e.astype(compute)), a.dtype)
        else:
            ai, ei = a.astype(np.float32 if a.dtype == np.bool_ else np.int64), e.astype(
                np.float32 if e.dtype == np.bool_ else np.int64)
            allowed = np.float32(atol) + np.abs(np.float32(rtol) * ei.astype(np.float32))
            actual_error = np.abs(ai - ei).astype(np.float32)
        close |= np.isfinite(actual_error) & (actual_error <= allowed)
    return close


def originate_pairs(actual: Any, expected: Any, *, pair_types: Sequence[type[Pair]],
                    sequence_types: tuple[type, ...] = (collections.abc.Sequence,),
                    mapping_types: tuple[type, ...] = (collections.abc.Mapping,), id: tuple[Any, ...] = (),  # noqa: A002
                    **options: Any) -> list[Pair]:
    """The pairs to compare: sequences and mappings element by element, anything else by the first pair type
    that accepts it."""
    if (isinstance(actual, sequence_types) and not isinstance(actual, str) and isinstance(expected, sequence_types)
            and not isinstance(expected, str)):
        actual_len, expected_len = len(actual), len(expected)
        if actual_len != expected_len:
            raise ErrorMeta(AssertionError, f"The length of the sequences mismatch: {actual_len} != {expected_len}",
                            id=id)
        pairs = []
        for idx in range(actual_len):
            pairs.extend(originate_pairs(actual[idx], expected[idx], pair_types=pair_types,
                                         sequence_types=sequence_types, mapping_types=mapping_types, id=(*id, idx),
                                         **options))
        return pairs
    if isinstance(actual, mapping_types) and isinstance(expected, mapping_types):
        actual_keys, expected_keys = set(actual.keys()), set(expected.keys())
        if actual_keys != expected_keys:
            missing_keys = expected_keys - actual_keys
            additional_keys = actual_keys - expected_keys
            raise ErrorMeta(AssertionError, "The keys of the mappings do not match:\n"
                            f"Missing keys in the actual mapping: {sorted(missing_keys)}\n"
                            f"Additional keys in the actual mapping: {sorted(additional_keys)}", id=id)
        keys: Collection = actual_keys
        with contextlib.suppress(Exception):
            keys = sorted(keys)
        pairs = []
        for key in keys:
            pairs.extend(originate_pairs(actual[key], expected[key], pair_types=pair_types,
                                         sequence_types=sequence_types, mapping_types=mapping_types, id=(*id, key),
                                         **options))
        return pairs
    for pair_type in pair_types:
        try:
            return [pair_type(actual, expected, id=id, **options)]
        except UnsupportedInputs:
            continue
        except ErrorMeta:
            raise
        except Exception as error:
            raise RuntimeError(
                f"Originating a {pair_type.__name__}() at item {''.join(str([item]) for item in id)} with\n\n"
                f"{type(actual).__name__}(): {actual}\n\nand\n\n{type(expected).__name__}(): {expected}\n\n"
                "resulted in the unexpected exception above. " + _ISSUES
                + "except the previous error and raise an expressive `ErrorMeta` instead.") from error
    raise ErrorMeta(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                    f"{type(expected)}.", id=id)


def not_close_error_metas(actual: Any, expected: Any, *, pair_types: Sequence[type[Pair]] = (ObjectPair,),
                          sequence_types: tuple[type, ...] = (collections.abc.Sequence,),
                          mapping_types: tuple[type, ...] = (collections.abc.Mapping,), **options: Any
                          ) -> list[ErrorMeta]:
    """The `ErrorMeta` of every pair that is not close."""
    __tracebackhide__ = True
    try:
        pairs = originate_pairs(actual, expected, pair_types=pair_types, sequence_types=sequence_types,
                                mapping_types=mapping_types, **options)
    except ErrorMeta as error_meta:
        raise error_meta.to_error() from None
    error_metas: list[ErrorMeta] = []
    for pair in pairs:
        try:
            pair.compare()
        except ErrorMeta as error_meta:
            error_metas.append(error_meta)
        except Exception as error:
            raise RuntimeError(f"Comparing\n\n{pair}\n\nresulted in the unexpected exception above. " + _ISSUES
                               + "except the previous error and raise an expressive `ErrorMeta` instead.") from error
    return error_metas


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """Raise (AssertionError, or TypeError/ValueError for inputs that cannot be compared) unless `actual` and
    `expected` are close: |actual - expected| <= atol + rtol * |expected| elementwise, defaults per dtype."""
    __tracebackhide__ = True
    error_metas = not_close_error_metas(
        actual, expected, pair_types=(NonePair, BooleanPair, NumberPair, TensorLikePair),
        allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=check_device,
        check_dtype=check_dtype, check_layout=check_layout, check_stride=check_stride, msg=msg)
    if error_metas:
        raise error_metas[0].to_error(msg)


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None, atol: float | None = None,
                    equal_nan: bool = True, msg: str = "") -> None:
    """Deprecated since PyTorch 1.12: `assert_close` with NaNs equal, dtypes unchecked and looser defaults."""
    warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future release. "
                  "Please use `torch.testing.assert_close()` instead. You can find detailed upgrade instructions in "
                  "https://github.com/pytorch/pytorch/issues/61844.", FutureWarning, stacklevel=2)
    if not isinstance(actual, Tensor):
        actual = Tensor._from_data(actual)
    if not isinstance(expected, Tensor):
        expected = Tensor._from_data(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtol, atol = default_tolerances(actual, expected, dtype_precisions={
            float16: (0.001, 0.001), float32: (0.0001, 1e-05), float64: (1e-05, 1e-08)})
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True, check_dtype=False,
                 check_stride=False, msg=msg or None)
