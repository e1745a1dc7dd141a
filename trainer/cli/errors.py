"""The one place that turns exceptions into exit codes and short messages (never a traceback for user errors)."""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ..errors import DivergedError, ExitStatus, ExperimentStopped, Interrupted, UserError, interruption_behind

F = TypeVar("F", bound=Callable[..., Any])
_DISK_FULL = tuple(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None)


def error_console() -> Any:
    """A rich Console on stderr (created per call so test runners that swap streams are honoured)."""
    from .console import make_console

    return make_console(stderr=True, highlight=False, soft_wrap=True)


def handle_errors(fn: F) -> F:
    """Decorate a command: UserError → exit 2, DivergedError → exit 3, KeyboardInterrupt → exit 130."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            error_console().print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_status) from None
        except DivergedError as exc:
            error_console().print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_status) from None
        except ExperimentStopped as exc:
            error_console().print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_status) from None
        except Interrupted as exc:
            error_console().print(f"interrupted; {exc}", markup=False)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except KeyboardInterrupt:
            error_console().print("interrupted", markup=False)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last net: one message, not a traceback
            if interruption_behind(exc) is not None:
                error_console().print("interrupted", markup=False)
                raise typer.Exit(ExitStatus.INTERRUPTED) from None
            if os.environ.get("TRAINER_TRACEBACK"):
                raise
            if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
                where = f" writing {exc.filename}" if exc.filename else ""
                error_console().print(f"error: no space left on device{where}", markup=False)
                error_console().print("  hint: free some space (or raise the quota); what was written before the "
                                      "disk filled up is kept in the run directory", markup=False)
                raise typer.Exit(ExitStatus.FAILED) from None
            error_console().print(f"error: {type(exc).__name__}: {exc}", markup=False)
            error_console().print("  hint: this setting is not supported or trainer has a bug; what was "
                                  "computed so far is in the run directory. TRAINER_TRACEBACK=1 shows the "
                                  "traceback.", markup=False)
            raise typer.Exit(ExitStatus.FAILED) from None

    return wrapper  # type: ignore[return-value]
