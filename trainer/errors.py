"""The bottom layer: exit statuses, the error types the CLI turns into them, and the one did-you-mean.

A `UserError` carries the file, the dotted key path and a hint; the CLI prints it as one message with
exit status 2, never a traceback.
"""

from __future__ import annotations

import difflib
import importlib
import unicodedata
from enum import IntEnum
from types import ModuleType


class ExitStatus(IntEnum):
    """Every exit status `trainer` uses."""

    OK = 0
    FAILED = 1  # anything unexpected; compare/sweep stopped by --fail-fast or with no completed run
    USAGE = 2  # a bad config, flag or file: the user can fix it
    DIVERGED = 3  # the loss became NaN or inf
    INTERRUPTED = 130  # Ctrl-C or SIGTERM, after the work so far was saved


class UserError(Exception):
    """A mistake the user can fix: bad config, unknown key, missing file, incompatible shapes."""

    exit_status = ExitStatus.USAGE

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key
        self.hint = hint

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.key) if part)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


INSTALL_EXTRA = ".venv/bin/pip install -e '.[{extra}]'"  # from the clone: PyPI's "trainer" is another project


class MissingExtra(UserError):
    """An optional package a feature needs is not installed; the message names the install command."""

    def __init__(self, module: str, extra: str, *, feature: str | None = None, key: str | None = None) -> None:
        need = f"{feature} needs" if feature else "this needs"
        super().__init__(f"{need} the '{module}' package, which is not installed", key=key,
                         hint=f"install the '{extra}' extra: {INSTALL_EXTRA.format(extra=extra)} (from the clone)")
        self.module = module
        self.extra = extra


def require_extra(module: str, extra: str, *, feature: str | None = None, key: str | None = None) -> ModuleType:
    """Import the optional `module` (from the `extra` extra), or raise `MissingExtra` naming the install command."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name is not None and exc.name != module and not module.startswith(f"{exc.name}."):
            raise  # the package is there but one of its own imports broke: not a missing extra
        raise MissingExtra(module, extra, feature=feature, key=key) from None


class DivergedError(Exception):
    """Training produced a non-finite loss."""

    exit_status = ExitStatus.DIVERGED

    def __init__(self, epoch: int, value: float, hint: str = "try a smaller learning rate",
                 detail: str | None = None) -> None:
        super().__init__(f"training diverged at epoch {epoch}: {detail or f'loss is {value}'}; {hint}")
        self.epoch = epoch
        self.value = value


class Interrupted(KeyboardInterrupt):
    """A KeyboardInterrupt after which the work was saved; the message says how to continue (exit status 130)."""


def interruption_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt `exc` was raised from, if any (else None).

    Python 3.11 wraps any exception raised in a descriptor's `__set_name__` (pydantic builds classes
    with them) in a RuntimeError: a Ctrl-C or SIGTERM landing while a config's models are built
    arrives as that RuntimeError, and is still an interruption.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__  # type: ignore[assignment]
    return None


class ExperimentStopped(Exception):
    """An experiment could not go on for a reason outside any run, e.g. its cluster went away (exit status 1)."""

    exit_status = ExitStatus.FAILED


def _edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(name: object, choices: list[str]) -> str | None:
    """The closest of `choices` to `name` (case-insensitive; typos and swapped letters first), or None."""
    lowered = {str(c).lower(): c for c in choices}
    key = str(name).lower()
    close = difflib.get_close_matches(key, list(lowered), n=5, cutoff=0.6)
    if not close:
        return None
    return lowered[min(close, key=lambda c: (_edits(key, c), close.index(c)))]


def did_you_mean(name: object, choices: list[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or an empty string."""
    guess = suggest(name, choices)
    return f" (did you mean '{guess}'?)" if guess else ""


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"


def visible(text: object) -> str:
    """`text` with its invisible and non-printable characters escaped: 'epochs\u200b', not 'epochs'."""
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in str(text))


def invisible_hint(text: object, what: str = "the key") -> str | None:
    """A hint naming the invisible characters in `text` (zero-width spaces, BOMs, no-break spaces), or None."""
    found = dict.fromkeys(ch for ch in str(text) if not ch.isprintable())
    if not found:
        return None
    names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}" for ch in found)
    which = "an invisible character" if len(found) == 1 else "invisible characters"
    return f"{what} contains {which} ({names}): delete it, or retype {what}"
