"""SOAP's shape arithmetic, on its own so the memory estimate of a run needs no optimizer module."""

from __future__ import annotations


def merge_small_dims(shape: tuple[int, ...], max_dim: int) -> list[int]:
    """Neighbouring dimensions multiplied together while the product stays <= max_dim ([1] if all merge)."""
    merged: list[int] = []
    product = 1
    for dim in shape:
        product *= dim
        if product > max_dim:
            merged.append(product // dim)
            product = dim
    merged.append(product)
    return merged if len(merged) > 1 else [1]
