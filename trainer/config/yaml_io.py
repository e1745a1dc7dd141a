"""Reading YAML safely: plain data only (no tags that build Python objects), no duplicate keys, clear errors."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError

MAX_BYTES = 10 * 1024 * 1024


class _SafeUniqueLoader(yaml.SafeLoader):
    """yaml.SafeLoader that also rejects a key written twice in one mapping (merge keys `<<` are fine)."""


MERGE_TAG = "tag:yaml.org,2002:merge"


def _check_unique(loader: _SafeUniqueLoader, node: yaml.MappingNode, checked: set[int]) -> None:
    """A key written twice by hand in `node` (or in a mapping it merges) is an error; a merged key may be overridden."""
    if id(node) in checked:
        return
    checked.add(id(node))
    seen: set[Any] = set()
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for sub in merged:
                if isinstance(sub, yaml.MappingNode):
                    _check_unique(loader, sub, checked)
            continue
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value",
                                                    key_node.start_mark) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)


def _mapping(loader: _SafeUniqueLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    _check_unique(loader, node, loader.__dict__.setdefault("_unique_checked", set()))
    loader.flatten_mapping(node)  # merged keys first, so a key written here overrides the merged one
    return loader.construct_mapping(node, deep=deep)


_SafeUniqueLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# YAML 1.2 floats, so `lr: 1e-3` is the number 0.001 and not the string "1e-3" (YAML 1.1 wants `1.0e-3`).
_SafeUniqueLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                   |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                   |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."),
)


def _where(file: str | None, mark: Any) -> str | None:
    if mark is None:
        return file
    return f"{file or '<string>'}:{mark.line + 1}:{mark.column + 1}"


def parse_yaml(text: str, file: str | None = None) -> Any:
    """Parse YAML text as plain data; a UserError naming file:line:column on any problem."""
    try:
        return yaml.load(text, Loader=_SafeUniqueLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        problem = exc.problem or str(exc)
        if "could not determine a constructor for the tag" in problem:
            tag = problem.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
            raise UserError(f"the YAML tag '{tag}' is not allowed", file=_where(file, mark),
                            hint="configs hold plain data only; tags that build Python objects are never run") from None
        raise UserError(f"invalid YAML: {problem}", file=_where(file, mark)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise UserError(f"invalid YAML{at}: {problem}", file=_where(file, mark),
                        hint="check the indentation and the quoting around this line") from None
    except yaml.reader.ReaderError as exc:
        raise UserError(f"invalid YAML: character {exc.character!r} at position {exc.position} is not allowed",
                        file=file) from None
    except yaml.YAMLError as exc:
        raise UserError(f"invalid YAML: {exc}", file=file) from None
    except RecursionError:
        raise UserError("invalid YAML: nested too deeply", file=file) from None


def read_yaml(path: str | Path) -> Any:
    """The plain data in a YAML file, `-` (stdin) or a pipe; a UserError for a missing, unreadable, oversized or
    invalid one."""
    if str(path) == "-":
        return parse_yaml(_read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>")
    path = Path(path)
    if not path.exists():
        raise UserError(f"config file not found: {path}", file=str(path))
    if path.is_dir():
        raise UserError(f"config path is a directory, not a file: {path}", file=str(path),
                        hint="give the YAML file inside it, e.g. configs/seed.yaml")
    try:
        if not path.is_file():  # /dev/stdin, a named pipe, a process substitution: read it as it comes
            with open(path, "rb") as stream:
                return parse_yaml(_read_stream(stream, str(path)), str(path))
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"config file is larger than {MAX_BYTES // 2**20} MB", file=str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError("config file is not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise UserError(f"cannot read config file: {exc.strerror}", file=str(path)) from None
    return parse_yaml(text, str(path))


def is_stream(path: str | Path) -> bool:
    """True for `-` and for a config path that is neither a regular file nor a directory (stdin, a pipe)."""
    if str(path) == "-":
        return True
    path = Path(path)
    return path.exists() and not path.is_file() and not path.is_dir()


def _read_stream(stream: Any, name: str) -> str:
    """At most MAX_BYTES of UTF-8 text from a binary stream."""
    try:
        data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read config file: {exc.strerror}", file=name) from None
    if len(data) > MAX_BYTES:
        raise UserError(f"config file is larger than {MAX_BYTES // 2**20} MB", file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("config file is not UTF-8 text", file=name) from None
