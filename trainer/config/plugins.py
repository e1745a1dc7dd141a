"""Plugins: a file (or module) named on the command line, imported so that its classes become config types.

`load_plugin("my_opts.py")` imports the file; every `trainer.optim.Optimizer` subclass it defines (not one
it merely imports) becomes an optimizer type named in snake_case, and what it registers with
`register_optimizer` / `register_loss` / `register_layer` (see `config.registration`) is added too.
A config file never loads code: only the command line (`--plugin`) and Python callers do. A plugin that
cannot be imported is a UserError naming the file, with the traceback's frames outside trainer.

A loaded plugin is remembered as a `PluginSource` (its module name and, for a file, its source text),
which experiment workers receive with every run, so a plugin given by path also works on a Dask
worker that has no copy of the file.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pickle
import re
import sys
import traceback
import types
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import UserError, interruption_behind, require_extra
from .registration import Registration, by_api, forget_registrations, loading, register_as, register_defined
from .registry import Entry, LossFacts, entries

_FILE_HINT = "--plugin takes a Python file (path/to/file.py) or an importable module name (mypkg.opts)"


@dataclass(frozen=True)
class PluginSource:
    """A loaded plugin as a worker can load it again: by its module name, from `source` when it is a file."""

    spec: str  # as the user wrote it: a path or a module name
    module: str  # the name it is imported under
    origin: str  # what `trainer list` shows: the path, or the module name
    source: str | None = None  # a file's text (None: import `module` by name)
    by_name: bool = False  # a module: imported by name, `source` (its file's text) only where that fails
    registrations: tuple[tuple[str, str, str, LossFacts | None], ...] = ()  # (kind, qualname, name, facts) by API
    pickled: bytes | None = None  # classes defined in __main__, by value (cloudpickle): [(kind, cls, name, facts)]


_LOADED: dict[str, PluginSource] = {}  # module name -> how it was loaded, in load order


def loaded_plugins() -> tuple[PluginSource, ...]:
    """Every plugin of this process as workers load it: files and modules in load order, then classes
    registered from Python (by their module's name, or by value when they have no importable name)."""
    out = list(_LOADED.values())
    for module, regs in by_api().items():
        by_name = [r for r in regs if module != "__main__" and "<locals>" not in r[1].__qualname__]
        by_value = [r for r in regs if r not in by_name]
        if by_name:
            out.append(_by_name(module, by_name))
        if by_value:
            cloudpickle = require_extra("cloudpickle", "dask", key="optimizers",
                                        feature=f"sending {by_value[0][1].__qualname__} (no importable name) to "
                                                "workers")
            out.append(PluginSource(module, module, module, pickled=cloudpickle.dumps(by_value)))
    return tuple(out)


def _by_name(module: str, regs: list[Registration]) -> PluginSource:
    return PluginSource(module, module, module, _module_text(sys.modules.get(module)),
                        tuple((kind, cls.__qualname__, name, facts) for kind, cls, name, facts in regs))


def forget_plugins() -> None:
    """Forget every plugin and registered type, as in a new process (for tests; modules stay imported)."""
    forget_registrations()
    _LOADED.clear()


def code_digests(type_names: Iterable[str]) -> dict[str, str]:
    """For each of `type_names` that a plugin registered: a digest of its code (its file's text, when known).

    Experiments put these in a run's fingerprint, so a run is not reused after its plugin changed.
    """
    by_origin = {p.origin: p.source for p in _LOADED.values() if p.source is not None}
    out = {}
    for kind in ("layer", "loss", "optimizer"):
        for entry in entries(kind):
            if entry.plugin is not None and entry.name in type_names:
                out[f"{kind}:{entry.name}"] = hashlib.sha256(_code(entry, by_origin).encode()).hexdigest()
    return out


def _code(entry: Entry, by_origin: dict[str, str]) -> str:
    if entry.plugin in by_origin:
        return by_origin[entry.plugin]
    try:
        return inspect.getsource(inspect.getmodule(entry.cls) or entry.cls)
    except (OSError, TypeError):
        try:
            return inspect.getsource(entry.cls)
        except (OSError, TypeError):
            return entry.target


def _is_path(spec: str) -> bool:
    return spec.endswith(".py") or "/" in spec or "\\" in spec or Path(spec).is_file()


def _module_name(path: Path, source: str) -> str:
    """A name per file and content: a long-lived (Dask) worker never mistakes an edited plugin for the old one."""
    stem = re.sub(r"\W", "_", path.stem) or "plugin"
    digest = hashlib.sha1(f"{path}\0{source}".encode()).hexdigest()[:12]
    return f"_trainer_plugin_{stem}_{digest}"


def load_plugin(spec: str | Path) -> PluginSource:
    """Import a plugin file or module (once) and register what it defines; a UserError if it cannot be imported."""
    text = str(spec)
    if not text.strip():
        raise UserError("--plugin needs a file or a module name", key="--plugin", hint=_FILE_HINT)
    if _is_path(text):
        path = Path(text).expanduser().resolve()
        if not path.is_file():
            raise UserError("plugin file not found", file=text, key="--plugin",
                            hint=_FILE_HINT if not Path(text).exists() else "--plugin takes a file, not a folder")
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read the plugin: {exc}", file=text, key="--plugin") from None
        plugin = PluginSource(text, _module_name(path, source), text, source)
    else:
        plugin = load_source(PluginSource(text, text, text, by_name=True))
        if plugin.source is None:  # so a worker without the module (Dask) can run its file's text instead
            plugin = _LOADED[plugin.module] = replace(plugin, source=_module_text(sys.modules.get(plugin.module)))
        return plugin
    return load_source(plugin)


def _module_text(module: types.ModuleType | None) -> str | None:
    """The text of a one-file module (a package's __init__ would need the rest of its package)."""
    file = getattr(module, "__file__", None)
    if not file or not file.endswith(".py") or Path(file).name == "__init__.py":
        return None
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def load_plugins(specs: Iterable[str | Path]) -> tuple[PluginSource, ...]:
    """`load_plugin` for each of `specs`, in order."""
    return tuple(load_plugin(spec) for spec in specs)


def load_source(plugin: PluginSource) -> PluginSource:
    """Import `plugin` unless it already is (a worker receives the same plugins with every run)."""
    if plugin.pickled is not None or plugin.registrations:
        _load_registrations(plugin)
        return plugin
    if plugin.module in _LOADED:
        return _LOADED[plugin.module]
    with loading(plugin.origin):
        register_defined(_import(plugin))
    _LOADED[plugin.module] = plugin
    return plugin


_APPLIED: list[tuple[PluginSource, ...]] = [()]  # what `use_plugins` last set up in this (worker) process


def use_plugins(plugins: Iterable[PluginSource]) -> None:
    """What a worker does before a run: make the experiment's plugins this process's plugins.

    A worker that outlives an experiment (Dask) forgets the plugins of the one before when they differ.
    """
    plugins = tuple(plugins)
    if not plugins or plugins == _APPLIED[0]:
        return
    if _APPLIED[0]:
        forget_plugins()
    for plugin in plugins:
        load_source(plugin)
    _APPLIED[0] = plugins


def _load_registrations(plugin: PluginSource) -> None:
    """Classes registered from Python in the experiment's process, registered here the same way."""
    if plugin.pickled is not None:
        for kind, cls, name, facts in pickle.loads(plugin.pickled):  # noqa: S301 - sent by our own process
            register_as(kind, cls, name, facts)
        return
    module = sys.modules.get(plugin.module)
    if module is None:
        try:
            module = importlib.import_module(plugin.module)
        except ImportError:
            if plugin.source is None:
                raise
            module = _import(PluginSource(plugin.spec, plugin.module, plugin.origin, plugin.source))
    for kind, qualname, name, facts in plugin.registrations:
        cls: Any = module
        for part in qualname.split("."):
            cls = getattr(cls, part)
        register_as(kind, cls, name, facts)


def _import(plugin: PluginSource) -> types.ModuleType:
    if plugin.by_name or plugin.source is None:
        module = _import_module(plugin, missing_ok=plugin.source is not None)
        if module is not None:
            return module
    try:
        code = compile(plugin.source, plugin.origin, "exec")
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        raise UserError(f"the plugin has a syntax error, {where}{exc.msg}", file=plugin.origin, key="--plugin",
                        hint="fix the file; `python -m py_compile FILE` shows the same error") from None
    module = types.ModuleType(plugin.module)
    module.__file__ = plugin.origin
    sys.modules[plugin.module] = module  # before running it: its classes name it as their module
    try:
        exec(code, module.__dict__)  # noqa: S102 - the file the user named on the command line
    except UserError:
        sys.modules.pop(plugin.module, None)
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the plugin raised, shown as its own frames
        sys.modules.pop(plugin.module, None)
        raise _failed(plugin, exc) from None
    return module


def _import_module(plugin: PluginSource, missing_ok: bool = False) -> types.ModuleType | None:
    """The module named `plugin.module`; None if there is none and `missing_ok` (its text is run instead)."""
    try:
        return importlib.import_module(plugin.module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (plugin.module == exc.name or plugin.module.startswith(f"{exc.name}.")):
            if missing_ok:
                return None
            raise UserError(f"no plugin file or module named '{plugin.spec}'", key="--plugin",
                            hint=_FILE_HINT) from None
        raise _failed(plugin, exc) from None
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _failed(plugin, exc) from None


def _failed(plugin: PluginSource, exc: BaseException) -> UserError:
    """The plugin's exception and its own frames (trainer's and Python's import machinery left out).

    An interruption wrapped in another exception (Python 3.11 wraps one raised while a class the plugin
    defines is built) is raised again as itself: the run was stopped, not broken by the plugin.
    """
    stop = interruption_behind(exc)
    if stop is not None:
        raise stop
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if not _library_frame(f.filename)] or frames[-1:]
    shown = "".join(traceback.format_list(own)).rstrip()
    message = f"the plugin failed to import: {type(exc).__name__}: {exc}"
    if shown:
        message += f"\n{shown}"
    return UserError(message, file=plugin.origin, key="--plugin",
                     hint="fix the plugin; the frames shown are the plugin's own")


def _library_frame(filename: str) -> bool:
    here = str(Path(__file__).resolve().parent.parent)
    return filename.startswith(here) or filename.startswith("<frozen ")
