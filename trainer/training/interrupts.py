"""SIGINT and SIGTERM become one KeyboardInterrupt, so an interrupted run still saves its work."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


class InterruptGuard:
    """While active, the first SIGINT or SIGTERM raises KeyboardInterrupt; after `hold()` signals are only noted.

    Holding lets the run finish writing its checkpoint and summary even if Ctrl-C is pressed again.
    Outside the main thread signals cannot be handled, and the guard does nothing.
    """

    def __init__(self) -> None:
        self.received: str | None = None
        self._armed = True
        self._saved: dict[int, Any] = {}

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in _SIGNALS:
                self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)
        self._saved.clear()

    def hold(self) -> None:
        """From now on, note signals without raising."""
        self._armed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = self.received or signal.Signals(signum).name
        if self._armed:
            self._armed = False
            raise KeyboardInterrupt(signal.Signals(signum).name)
