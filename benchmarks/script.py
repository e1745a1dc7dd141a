"""A whole training process for the process-time workload: `python -m benchmarks.script numpy|torch [epochs]`.

Trains the seed workload like `trainer run configs/seed.yaml` does (200 full-batch Adam epochs) with the
hand-written numpy floor or PyTorch, so that process start, imports and training are timed together.
"""

from __future__ import annotations

import sys

from .workloads import SEED


def main(argv: list[str]) -> None:
    impl = argv[0]
    epochs = int(argv[1]) if len(argv) > 1 else 200
    if impl == "numpy":
        from .floor import NumpyFloor

        step = NumpyFloor(SEED).step
    elif impl == "torch":
        from .torch_impl import TorchRun

        step = TorchRun(SEED).step
    else:
        raise SystemExit(f"unknown implementation {impl!r} (numpy or torch)")
    for _ in range(epochs):
        loss = step()
    print(f"final loss {loss:.6g}")


if __name__ == "__main__":
    main(sys.argv[1:])
