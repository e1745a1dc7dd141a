"""What the numbers were measured on: CPU, numpy's BLAS and its threads, PyTorch's threads, other load."""

from __future__ import annotations

import os
import platform
import time
from typing import Any

import numpy as np

BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas() -> dict[str, Any]:
    """numpy's BLAS: from threadpoolctl when installed (library, version, kernel, threads), else numpy's build info.

    Without threadpoolctl the thread count is what OpenBLAS picks by default: OPENBLAS_NUM_THREADS or
    OMP_NUM_THREADS when set, else one per CPU.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas" and "numpy" in p.get("filepath", "")]
        if pools:
            p = pools[0]
            return {"source": "threadpoolctl", "library": p.get("internal_api"), "version": p.get("version"),
                    "kernel": p.get("architecture"), "threads": p.get("num_threads"),
                    "threading_layer": p.get("threading_layer")}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        library, version = blas.get("name"), blas.get("version")
    except Exception:  # noqa: BLE001 - older numpy: no dict mode
        library = version = None
        blas = {}
    env = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
    return {"source": "numpy build info (np.show_config) and OpenBLAS's own get_corename/get_num_threads",
            "library": library, "version": version, "kernel": None, "build": blas.get("openblas configuration"),
            "threads": int(env) if env and env.isdigit() else os.cpu_count(), "threading_layer": None,
            **openblas_runtime()}


def openblas_runtime() -> dict[str, Any]:
    """The kernel (core type) and thread count numpy's bundled OpenBLAS chose at run time, read through ctypes
    from the library numpy loaded (no threadpoolctl needed); empty when numpy uses another BLAS."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*.so*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "")):
            core = getattr(lib, f"{prefix}get_corename{suffix}", None)
            threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
            if core is not None and threads is not None:
                core.restype = ctypes.c_char_p
                return {"kernel": core().decode(), "threads": int(threads()), "path": os.path.basename(path)}
    return {}


def cpu_flags() -> list[str]:
    """The SIMD extensions numpy detected on this CPU (AVX-512 ones and AVX2/FMA3), sorted."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:
        return []
    return sorted(k for k, on in __cpu_features__.items() if on and (k.startswith("AVX512") or k in ("AVX2", "FMA3")))


def busy_fraction(interval: float = 1.0) -> float:
    """Share of all CPUs busy over `interval` seconds while this process sleeps (0 on a quiet machine)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except OSError:
        return float("nan")
    total = total1 - total0
    return 1.0 - (idle1 - idle0) / total if total else 0.0


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu": cpu_model(), "cpus": os.cpu_count(), "machine": platform.machine(), "os": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "numpy_blas": numpy_blas(),
        "cpu_flags": cpu_flags(), "load_average": load_average(),
        "env": {k: os.environ[k] for k in BLAS_ENV if k in os.environ},
    }
    if torch_available():
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        info["torch_interop_threads"] = torch.get_num_interop_threads()
        config = torch.__config__.show()
        info["torch_blas"] = next((part.split("=", 1)[1] for part in config.replace(",", " ").split()
                                   if part.startswith("BLAS_INFO=")), None)
    return info


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (None where the OS has none)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None
