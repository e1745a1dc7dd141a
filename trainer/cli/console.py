"""The one way the CLI makes a rich Console: on a stream that cannot encode "±", "→", "…", "·" (PYTHONIOENCODING=ascii,
a C locale) text degrades to ASCII instead of raising UnicodeEncodeError."""

from __future__ import annotations

import sys
from typing import IO, Any

ASCII = str.maketrans({"±": "+-", "→": "->", "←": "<-", "…": "...", "·": "-", "×": "x", "—": "--", "–": "-",
                       "µ": "u", "≤": "<=", "≥": ">=", "✓": "ok", "✗": "x"})
_PROBE = "±→…·━┃"


class AsciiStream:
    """A text stream that writes what its encoding cannot hold as ASCII look-alikes (else '?')."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.encoding = getattr(stream, "encoding", None) or "ascii"

    def write(self, text: str) -> int:
        safe = text.translate(ASCII).encode(self.encoding, "replace").decode(self.encoding)
        return self._stream.write(safe)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, ... as the real stream
        return getattr(self._stream, name)


def can_encode(stream: Any, text: str = _PROBE) -> bool:
    """True when `stream`'s encoding holds `text` (a stream without one counts as UTF-8)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def safe_stream(stream: IO[str]) -> IO[str]:
    """`stream` itself, or an `AsciiStream` around it when it cannot encode the characters the CLI prints."""
    return stream if can_encode(stream) else AsciiStream(stream)  # type: ignore[return-value]


def make_console(*, stderr: bool = False, **options: Any) -> Any:
    """A rich Console on stdout (or stderr), read at call time so test runners that swap streams are honoured."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if can_encode(stream):
        return Console(stderr=stderr, **options)

    class AsciiConsole(Console):
        """Translates text before rich measures it, so "+-" and "..." keep table columns aligned."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(text.translate(ASCII), **kwargs)

    return AsciiConsole(file=safe_stream(stream), **options)
