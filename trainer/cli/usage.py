"""One help style for every command: arguments as CONFIG (required) or [CONFIG] (optional), never typer's
`{config}` or `config <path>`; options keep their metavars (KEY=VALUE, DIR, N).

Click's objects are typed `Any`: typer carries its own copy of click, and click itself need not be installed."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand


def argument_name(param: Any) -> str:
    """An argument's name in usage and help: its metavar, else its name in capitals (`...` when repeatable)."""
    name = param.metavar or (param.name or "arg").upper()
    return name + ("..." if param.nargs != 1 and not name.endswith("...") else "")


class Command(TyperCommand):
    """A typer command whose usage line and Arguments section name arguments one way."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((argument_name(param), record[1].replace("  [required]", "")))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def use_one_style(app: typer.Typer) -> None:
    """Give every command registered on `app` (and not given a class of its own) the `Command` class."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # typer fills in TyperCommand when no class is given
            info.cls = Command

