"""Refine the published stationary points of Himmelblau and Styblinski-Tang to machine precision (Newton's method).

The values printed here are the ones `trainer/objectives/functions.py` lists; run with any Python that has numpy:
`python tools/objective_minima.py`.
"""

from __future__ import annotations

import numpy as np

# published to 6 digits (Himmelblau 1972; Jamil & Yang 2013): four minima and the local maximum
HIMMELBLAU = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126), (-0.270845, -0.923039)]
STYBLINSKI_TANG = [-2.903534, 2.746803]  # the minima of x^4 - 16x^2 + 5x in one coordinate


def himmelblau(p: np.ndarray) -> float:
    x, y = p
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_newton(p: np.ndarray) -> np.ndarray:
    x, y = p
    grad = np.array([4 * x * (x * x + y - 11) + 2 * (x + y * y - 7), 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)])
    hess = np.array([[12 * x * x + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y * y - 26]])
    return p - np.linalg.solve(hess, grad)


def main() -> None:
    for start in HIMMELBLAU:
        p = np.asarray(start, dtype=np.float64)
        for _ in range(30):
            p = himmelblau_newton(p)
        print(f"himmelblau {p.tolist()!r} f={float(himmelblau(p))!r}")
    for start in STYBLINSKI_TANG:
        x = start
        for _ in range(30):
            x -= (4 * x ** 3 - 32 * x + 5) / (12 * x * x - 32)
        print(f"styblinski_tang {x!r} f per coordinate={0.5 * (x ** 4 - 16 * x * x + 5 * x)!r}")


if __name__ == "__main__":
    main()
