"""The seeded generator the library draws from: PyTorch's CPU generator, number for number.

`Generator` is an mt19937 seeded like PyTorch's `at::mt19937` (the low 32 bits of the seed through
`init_genrand`), and its draws apply PyTorch's CPU transforms to the raw 32-bit outputs, vectorised
with numpy: 24-bit (float32) / 53-bit (float64) uniforms, Box-Muller normals (the blocks-of-16 kernel
for 16 or more contiguous elements, the cached scalar one below), `random() % range` integers
(`random64()` for ranges of 2^28 and more), the swap shuffle of `randperm`, and Bernoulli masks
(uniforms compared with p).
"""

from __future__ import annotations

import math
import secrets
from typing import Any

import numpy as np

from .tensor import Tensor

# PyTorch's default seed, so an unseeded process is still deterministic.
DEFAULT_SEED = 67280421310721

_N = 624
# torch.get_rng_state()'s bytes: the legacy THGenerator POD, then the float normal cache.
_STATE_DTYPE = np.dtype({
    "names": ["seed", "left", "seeded", "next", "state", "normal_x", "normal_y", "normal_rho", "normal_is_valid",
              "next_float", "next_float_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", _N), "<f8", "<f8", "<f8", "<i4", "<f4", "u1"],
    "offsets": [0, 8, 12, 16, 24, 24 + 8 * _N, 32 + 8 * _N, 40 + 8 * _N, 48 + 8 * _N, 56 + 8 * _N, 60 + 8 * _N],
    "itemsize": 64 + 8 * _N,
})
STATE_SIZE = _STATE_DTYPE.itemsize  # 5056, as in PyTorch


class Generator:
    """PyTorch's CPU `torch.Generator`: `manual_seed`, `seed`, `initial_seed`, `get_state`/`set_state`."""

    def __init__(self, device: Any = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"only the cpu Generator is supported, got device {device!r}")
        self.device = "cpu"
        self._bits = np.random.MT19937(0)
        self.manual_seed(DEFAULT_SEED)

    # ----- seeding and state ---------------------------------------------------------------------
    def manual_seed(self, seed: int) -> Generator:
        """Seed like `at::mt19937(seed)`: the low 32 bits go to init_genrand; the full seed is kept."""
        seed = int(seed)
        if seed < -(2**63) or seed >= 2**64:
            raise RuntimeError(f"Overflow when unpacking long: seed {seed}")
        seed %= 2**64
        if hasattr(self._bits, "_legacy_seeding"):  # numpy's init_genrand, without building a RandomState
            self._bits._legacy_seeding(seed & 0xFFFFFFFF)
        else:
            key = np.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=True)[1]
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N}}
        self._seed = seed
        self._fresh = True  # PyTorch's next_ is 0 (not 624) until the first draw
        self._normal: float | None = None  # next_double_normal_sample
        self._normal_f: float | None = None  # next_float_normal_sample
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy and return the new seed."""
        s = secrets.randbits(64)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Tensor:
        """The state as PyTorch's 5056-byte uint8 tensor (same layout, so it round-trips with torch's)."""
        return Tensor._wrap(self._state_bytes())

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state from `get_state` (a uint8 Tensor, an array or bytes)."""
        data = new_state._array if isinstance(new_state, Tensor) else new_state
        raw = np.frombuffer(bytes(data), dtype=np.uint8) if isinstance(data, bytes | bytearray) else np.asarray(data)
        if raw.dtype != np.uint8 or raw.size != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input RNG state "
                               f"size to be {raw.size}")
        rec = np.ascontiguousarray(raw.reshape(-1)).view(_STATE_DTYPE)[0]
        left, nxt = int(rec["left"]), int(rec["next"])
        if not (rec["seeded"] and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = rec["state"].astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        self._seed = int(rec["seed"])
        self._fresh = left == 1 and nxt == 0
        self._normal = float(rec["normal_y"]) if rec["normal_is_valid"] else None
        self._normal_f = float(rec["next_float"]) if rec["next_float_valid"] else None
        return self

    def _state_bytes(self) -> np.ndarray:
        st = self._bits.state["state"]
        pos = int(st["pos"])
        rec = np.zeros((), dtype=_STATE_DTYPE)
        rec["seed"], rec["left"], rec["seeded"] = self._seed, _N + 1 - pos, 1
        rec["next"] = 0 if self._fresh else pos
        rec["state"] = st["key"].astype(np.uint64)
        if self._normal is not None:
            rec["normal_y"], rec["normal_is_valid"] = self._normal, 1
        if self._normal_f is not None:
            rec["next_float"], rec["next_float_valid"] = self._normal_f, 1
        return np.frombuffer(rec.tobytes(), dtype=np.uint8).copy()

    def state_dict(self) -> dict[str, Any]:
        """A JSON-friendly snapshot (for checkpoints); `load_state_dict` restores it exactly."""
        return {"torch_state": self._state_bytes().tobytes().hex()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.set_state(bytes.fromhex(state["torch_state"]))

    def __repr__(self) -> str:
        return "<trainer.Generator object>"

    # ----- raw draws -----------------------------------------------------------------------------
    def random(self, n: int) -> np.ndarray:
        """n raw 32-bit outputs (PyTorch's `random()`), as uint64."""
        self._fresh = False
        return self._bits.random_raw(int(n)) if n > 0 else np.zeros(0, np.uint64)

    def random64(self, n: int) -> np.ndarray:
        """n 64-bit draws, each (first << 32) | second, as PyTorch's `random64()`."""
        raw = self.random(2 * n).reshape(-1, 2)
        return (raw[:, 0] << np.uint64(32)) | raw[:, 1]

    # ----- transforms ----------------------------------------------------------------------------
    def uniform(self, n: int, dtype: Any, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """`uniform_real_distribution<T>(low, high)`: 24-bit floats, 53-bit doubles, x * (high - low) + low."""
        if np.dtype(dtype) == np.float64:
            raw = self.random(2 * n).reshape(-1, 2)  # (hi << 32 | lo) & (2^53 - 1), exact in float64
            x = ((raw[:, 0] & np.uint64(0x1FFFFF)) * 4294967296.0 + raw[:, 1]) * 2.0**-53
            return x * (high - low) + low if (low, high) != (0.0, 1.0) else x
        k = self.random(n) & np.uint64(2**24 - 1)
        if (low, high) == (0.0, 1.0):
            return k.astype(np.float32) * np.float32(2.0**-24)
        lo, hi = np.float32(low), np.float32(high)
        # x * (hi - lo) + lo with x = k / 2^24, fused into one rounding as PyTorch's -mfma build does
        return _fma32(k, np.float64(hi - lo) * 2.0**-24, lo)

    def normal(self, n: int, dtype: Any, mean: float = 0.0, std: float = 1.0, contiguous: bool = True) -> np.ndarray:
        """PyTorch's normal_kernel: the blocks-of-16 fill for n >= 16 contiguous, else cached Box-Muller."""
        d = np.dtype(dtype)
        if n >= 16 and contiguous:
            fill = _normal_fill16_f32 if d == np.float32 else _normal_fill16_f64
            work = d if d in (np.float32, np.float64) else np.dtype(np.float32)
            data = self.uniform(n, work)
            fill(data[: n - n % 16], mean, std)
            if n % 16:
                tail = self.uniform(16, work)
                fill(tail, mean, std)
                data[n - 16:] = tail
            return data.astype(d, copy=False)
        return (self._normal_scalar(n) * std + mean).astype(d)

    def _normal_scalar(self, n: int) -> np.ndarray:
        """n standard normals from `normal_distribution<double>`, honouring and refilling the cache."""
        out: list[float] = []
        if n and self._normal is not None:
            out.append(self._normal)
            self._normal = None
        k = n - len(out)
        if k > 64:  # large non-contiguous tensors: the same arithmetic on arrays
            pairs = (k + 1) // 2
            u = self.uniform(2 * pairs, np.float64).reshape(pairs, 2)
            r = np.sqrt(-2.0 * np.log1p(-u[:, 1]))
            theta = 2.0 * math.pi * u[:, 0]
            both = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1).reshape(-1)
            if k % 2:
                self._normal = float(both[-1])
            return np.concatenate([np.array(out, dtype=np.float64), both[:k]])
        if k > 0:
            raw = self.random(4 * ((k + 1) // 2)).tolist()
            for i in range(0, len(raw), 4):
                u1 = ((raw[i] & 0x1FFFFF) * 4294967296 + raw[i + 1]) * 2.0**-53
                u2 = ((raw[i + 2] & 0x1FFFFF) * 4294967296 + raw[i + 3]) * 2.0**-53
                r = math.sqrt(-2.0 * math.log1p(-u2))
                theta = 2.0 * math.pi * u1
                out.append(r * math.cos(theta))
                out.append(r * math.sin(theta))
            if k % 2:
                self._normal = out.pop()
        return np.array(out, dtype=np.float64)

    def integers(self, n: int, low: int, high: int) -> np.ndarray:
        """`random_from_to`: `random() % range + low`; PyTorch 2.13 takes `random64()` from a range of 2^28 on."""
        span = int(high) - int(low)
        if span <= 0:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
        raw = self.random64(n) if span >= 2**28 else self.random(n)
        return ((raw % np.uint64(span)).astype(np.int64) + np.int64(low)).astype(np.int64)

    def full_range(self, n: int, dtype: Any) -> np.ndarray:
        """`random_()` without bounds (ATen's `uniform_int`): int64 and float64 take `random64()`, others `random()`;
        integers are reduced modulo max + 1, floats modulo 2**digits + 1 (every value exactly representable)."""
        dtype = np.dtype(dtype)
        wide = dtype in (np.dtype(np.int64), np.dtype(np.float64))
        raw = self.random64(n) if wide else self.random(n).astype(np.uint64)
        if dtype == np.bool_:
            return (raw & np.uint64(1)).astype(np.bool_)
        if dtype.kind == "f":
            modulus = (1 << (np.finfo(dtype).nmant + 1)) + 1
        else:
            modulus = int(np.iinfo(dtype).max) + 1
        return (raw % np.uint64(modulus)).astype(dtype)

    def permutation(self, n: int) -> np.ndarray:
        """`randperm_cpu`: swap position i with i + random() % (n - i), for i = 0 .. n - 2."""
        n = int(n)
        perm = np.arange(n, dtype=np.int64)
        if n < 2:
            return perm
        if n >= 0xFFFFFFFF // 20:
            raise NotImplementedError("randperm for n >= 214748364 is not supported")
        z = (self.random(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).astype(np.int64)
        z += np.arange(n - 1, dtype=np.int64)
        p = perm.tolist()
        for i, j in enumerate(z.tolist()):
            p[i], p[j] = p[j], p[i]
        return np.array(p, dtype=np.int64)

    def exponential(self, n: int, dtype: Any, lambd: float = 1.0) -> np.ndarray:
        """`exponential_(lambd)`: -1/lambd * log1p(-u) from a 53-bit uniform double, cast to `dtype`."""
        return (-1.0 / lambd * np.log1p(-self.uniform(n, np.float64))).astype(dtype)

    def bernoulli_scalar(self, n: int, p: float) -> np.ndarray:
        """`bernoulli_(p)` with a float p: a 53-bit uniform double per element, 1 where it is < p."""
        if not 0.0 <= p <= 1.0:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        # u = k / 2^53 < p  <=>  k < ceil(p * 2^53), compared on the raw 53-bit integers
        threshold = np.uint64(math.ceil(p * 2.0**53))
        raw = self.random(2 * n).reshape(-1, 2)
        k = (raw[:, 0] & np.uint64(0x1FFFFF)) << np.uint64(32)
        k |= raw[:, 1]
        return k < threshold

    def bernoulli_tensor(self, p: np.ndarray) -> np.ndarray:
        """`bernoulli(p)` with a tensor of probabilities: one uniform of p's precision per element."""
        flat = np.ascontiguousarray(p).reshape(-1)
        work = np.float64 if flat.dtype == np.float64 else np.float32
        u = self.uniform(flat.size, work)
        return (u < flat.astype(work)).reshape(np.shape(p))


def _fma32(a: np.ndarray, b: Any, c: Any) -> np.ndarray:
    """a * b + c in float32 with one rounding (the product of two floats is exact in float64)."""
    out = np.multiply(a, b, dtype=np.float64)
    return np.add(out, c, out=out).astype(np.float32)


# ----- the AVX2 normal kernel (float32): cephes log / sincos as in avx_mathfun, step by step ---------
_F = np.float32
_LOG_P = [_F(v) for v in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
                          -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)]
_LOG_Q1, _LOG_Q2, _SQRTHF = _F(-2.12194440e-4), _F(0.693359375), _F(0.707106781186547524)
_DP = [_F(-0.78515625), _F(-2.4187564849853515625e-4), _F(-3.77489497744594108e-8)]
_SIN_P = [_F(-1.9515295891e-4), _F(8.3321608736e-3), _F(-1.6666654611e-1)]
_COS_P = [_F(2.443315711809948e-005), _F(-1.388731625493765e-003), _F(4.166664568298827e-002)]
_FOPI, _HALF, _ONE = _F(1.27323954473516), _F(0.5), _F(1.0)
_TWO_PI32 = _F(2.0 * math.pi)


# PyTorch builds this kernel with -mfma and the compiler fuses each multiply into the add that uses it.
def _log_ps(x: np.ndarray) -> np.ndarray:
    """log256_ps for positive float32 input."""
    x = np.maximum(x, _F(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 127).astype(np.float32) + _ONE
    x = ((bits & np.int32(~0x7F800000)) | np.int32(0x3F000000)).view(np.float32)
    mask = x < _SQRTHF
    tmp = np.where(mask, x, _F(0))
    x = x - _ONE
    e = e - mask.astype(np.float32)
    x = x + tmp
    z = x * x
    y = _fma32(x, _LOG_P[0], _LOG_P[1])
    for c in _LOG_P[2:]:
        y = _fma32(y, x, c)
    y = _fma32(y * x, z, e * _LOG_Q1)
    y = _fma32(z, -_HALF, y)
    return _fma32(e, _LOG_Q2, x + y)


def _sincos_ps(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sincos256_ps for non-negative float32 input."""
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    poly = (j & 2) == 0
    for dp in _DP:
        x = _fma32(y, dp, x)
    z = x * x
    c = _fma32(_fma32(z, _COS_P[0], _COS_P[1]), z, _COS_P[2])
    c = _fma32(c * z, z, -(z * _HALF)) + _ONE
    s = _fma32(_fma32(z, _SIN_P[0], _SIN_P[1]), z, _SIN_P[2])
    s = _fma32(s * z, x, x)
    sin = np.where(poly, s, c).view(np.int32)
    cos = np.where(poly, c, s).view(np.int32)
    sin ^= (j & 4) << 29  # the sign flips, as bit masks
    cos ^= (~(j - 2) & 4) << 29
    return sin.view(np.float32), cos.view(np.float32)


def _normal_fill16_f32(data: np.ndarray, mean: float, std: float) -> None:
    """normal_fill_16_AVX2 over consecutive blocks of 16 uniforms, in place."""
    blocks = data.reshape(-1, 2, 8)
    u1 = _ONE - blocks[:, 0]
    radius = np.sqrt(_F(-2.0) * _log_ps(u1))
    sin, cos = _sincos_ps(_TWO_PI32 * blocks[:, 1])
    blocks[:, 0] = _fma32(radius * cos, _F(std), _F(mean))
    blocks[:, 1] = _fma32(radius * sin, _F(std), _F(mean))


def _normal_fill16_f64(data: np.ndarray, mean: float, std: float) -> None:
    """normal_fill_16<double> over consecutive blocks of 16 uniforms, in place."""
    blocks = data.reshape(-1, 2, 8)
    radius = np.sqrt(-2.0 * np.log(1.0 - blocks[:, 0]))
    theta = 2.0 * math.pi * blocks[:, 1]
    blocks[:, 0] = radius * np.cos(theta) * std + mean
    blocks[:, 1] = radius * np.sin(theta) * std + mean


# ----- the default generator and PyTorch's module-level functions ---------------------------------
default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Reseed the default generator, as `torch.manual_seed`."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    """The seed last given to `manual_seed` (or the default one)."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state as PyTorch's uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    """Restore a state taken by `get_rng_state`."""
    default_generator.set_state(new_state)


def generator_or_default(generator: Generator | None) -> Generator:
    """`generator`, or the default one when None."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a trainer.Generator, got {type(generator).__name__}")
    return generator
