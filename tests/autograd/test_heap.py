"""autograd.heap: glibc's thresholds are raised once, unless switched off or the C library has no mallopt."""

from __future__ import annotations

import ctypes

import pytest

from trainer.autograd import heap


def test_glibc_keeps_freed_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_MALLOC", raising=False)
    assert heap.keep_freed_memory() is True  # this machine's Python runs on glibc
    assert heap.KEPT is True


def test_switched_off_or_elsewhere_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_MALLOC", "system")
    assert heap.keep_freed_memory() is False
    monkeypatch.delenv("TRAINER_MALLOC")
    monkeypatch.setattr(heap.sys, "platform", "darwin")
    assert heap.keep_freed_memory() is False


def test_a_c_library_without_mallopt_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoMallopt:
        def __init__(self, name: object) -> None:
            pass

    monkeypatch.delenv("TRAINER_MALLOC", raising=False)
    monkeypatch.setattr(ctypes, "CDLL", NoMallopt)
    assert heap.keep_freed_memory() is False
