"""Print PyTorch's top-level functions that take `out=`, among trainer's top-level names (needs torch).

    python tools/torch_out_names.py      # in a venv with torch==2.13.0 and this checkout installed

`trainer/autograd/out_argument.py`'s `OUT_NAMES` holds this list (PyTorch 2.13). A function takes `out` when
its signature names it (a Python function), or calling it with
`out=` is refused for anything but that keyword (torch's argument parser reads keywords first); where no call gets
that far, its docstring shows `out=None`.
"""

from __future__ import annotations

import inspect
import re
import warnings

import torch

import trainer

SKIP = {"compile", "load", "save", "manual_seed", "seed"}  # callables with side effects on the process
CANDIDATES = ((0,), (0, 0), (0, 1), ((3,),), (3,), ("list",), (0, 0, 0), (0, 0, 1))  # 0: a 3x3 tensor


def takes_out(fn: object) -> bool:
    try:
        params = inspect.signature(fn).parameters  # a Python function (the builtins have no signature)
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return "out" in params
    except (TypeError, ValueError):
        pass
    a = torch.rand(3, 3)
    for args in CANDIDATES:
        call = tuple(a if x == 0 and not isinstance(x, tuple) else [a, a] if x == "list" else x for x in args)
        for out in (torch.empty(0), (torch.empty(0), torch.empty(0, dtype=torch.long))):
            try:
                fn(*call, out=out)
                return True
            except TypeError as exc:
                text = str(exc)
                if "unrecognized keyword arguments" in text:  # no signature with `out` fits these arguments
                    continue
                if "invalid combination of arguments" in text:  # the parser lists every signature it has
                    return re.search(r"\bTensors? out = None", text) is not None
                if "unexpected keyword argument 'out'" in text:
                    return False
                if "argument 'out'" in text or "expected tuple of" in text:
                    return True
            except Exception:  # noqa: BLE001 - parsed the keyword, then failed on the arguments
                return True
    doc = getattr(fn, "__doc__", None) or ""  # no call got as far as the keywords: the documented signature
    return bool(re.search(r"\bout=None", doc) or re.search(r"\bout \((Tensor|tuple)", doc))


def main() -> None:
    warnings.simplefilter("ignore")
    names = []
    for name in sorted(n for n in dir(trainer) if not n.startswith("_") and n not in SKIP and not n.startswith("set_")):
        fn = getattr(torch, name, None)
        if fn is not None and callable(fn) and not inspect.isclass(fn) and takes_out(fn):
            names.append(name)
    print(" ".join(names))


if __name__ == "__main__":
    main()
