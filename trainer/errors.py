"""The one error type for user mistakes: it carries the file, the dotted key path and a hint.

The CLI turns a `UserError` into one clear message and exit code 2, never a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix: bad config, unknown key, missing file, incompatible shapes."""

    exit_code = 2

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


class DivergedError(Exception):
    """Training produced a non-finite loss (exit code 3)."""

    exit_code = 3

    def __init__(self, epoch: int, value: float, hint: str = "try a smaller learning rate",
                 detail: str | None = None) -> None:
        super().__init__(f"training diverged at epoch {epoch}: {detail or f'loss is {value}'}; {hint}")
        self.epoch = epoch
        self.value = value


class Interrupted(KeyboardInterrupt):
    """A KeyboardInterrupt after which the work was saved; the message says how to continue (exit code 130)."""


class ExperimentStopped(Exception):
    """An experiment could not go on for a reason outside any run, e.g. its cluster went away (exit code 1)."""

    exit_code = 1
