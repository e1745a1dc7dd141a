"""PyTorch's API surface that trainer mirrors: param_groups keys, printed containers and state dicts, samplers.

Writes tests/references/torch_api/*.json; run with PyTorch 2.13 (`python tools/make_references.py torch_api`).
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset, random_split

OPTIMIZERS = ["SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "ASGD", "NAdam", "RAdam", "RMSprop", "Rprop",
              "LBFGS", "Adafactor", "Muon"]
FLAGS = ("foreach", "capturable", "differentiable", "fused")
SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "torch_scripts"


def _write(out: Path, name: str, value: Any) -> None:
    (out / f"{name}.json").write_text(json.dumps(value, indent=1) + "\n")


def _optimizers() -> dict[str, Any]:
    p = [nn.Parameter(torch.zeros(2, 2))]
    result = {}
    for name in OPTIMIZERS:
        cls = getattr(torch.optim, name)
        group = cls(p).param_groups[0]
        result[name] = {
            "keys": list(group),
            "flags": {k: group[k] for k in FLAGS if k in group},
            "signature_flags": [k for k in inspect.signature(cls.__init__).parameters if k in FLAGS],
        }
    return result


def _fixed(module: nn.Module) -> nn.Module:
    """Parameters set to 0.1, 0.2, ... so the printed values do not depend on the RNG."""
    with torch.no_grad():
        for i, p in enumerate(module.parameters()):
            p.copy_(torch.arange(1, p.numel() + 1, dtype=p.dtype).reshape(p.shape) * 0.1 * (i + 1))
    return module


def _printing() -> dict[str, str]:
    torch.manual_seed(0)
    seq = _fixed(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)))
    plist = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(2, 3), requires_grad=False)])
    pdict = nn.ParameterDict({"a": nn.Parameter(torch.ones(2)), "b": nn.Parameter(torch.zeros(3, 1))})
    mdict = nn.ModuleDict({"enc": nn.Linear(3, 4), "act": nn.Tanh(), "head": nn.Sequential(nn.Linear(4, 1))})
    mlist = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])
    adam = torch.optim.Adam(seq.parameters(), lr=0.1)
    return {
        "state_dict": repr(seq.state_dict()),
        "state_dict_type": type(seq.state_dict()).__name__,
        "sequential": repr(seq),
        "parameter_list": repr(plist),
        "parameter_dict": repr(pdict),
        "module_dict": repr(mdict),
        "module_list": repr(mlist),
        "module_list_slice": repr(mlist[1:3]),
        "module_list_add": repr(mlist[:1] + mlist[2:3]),
        "nested": repr(nn.Sequential(OrderedDict(body=mlist[:2], head=mdict["head"]))),
        "optimizer_state_dict": repr(adam.state_dict()),
        "incompatible_keys": repr(seq.load_state_dict(seq.state_dict())),
    }


def _sampling() -> dict[str, Any]:
    torch.manual_seed(0)
    default = list(RandomSampler(range(10)))
    g = torch.Generator().manual_seed(1)
    with_generator = list(RandomSampler(range(10), generator=g))
    g2 = torch.Generator().manual_seed(2)
    replacement = list(RandomSampler(range(10), replacement=True, num_samples=6, generator=g2))
    torch.manual_seed(3)
    x = torch.arange(10.0).reshape(10, 1)
    loader = DataLoader(TensorDataset(x, torch.arange(10)), batch_size=4, shuffle=True)
    batches = [b[1].tolist() for b in loader]
    torch.manual_seed(4)
    randperm = torch.randperm(10).tolist()
    g3 = torch.Generator().manual_seed(5)
    split = [list(s.indices) for s in random_split(range(10), [0.7, 0.3], generator=g3)]
    g4 = torch.Generator().manual_seed(6)
    split_lengths = [list(s.indices) for s in random_split(range(7), [2, 5], generator=g4)]
    torch.manual_seed(0)
    seed_draw = int(torch.empty((), dtype=torch.int64).random_().item())
    return {"default": default, "with_generator": with_generator, "replacement": replacement,
            "loader_batches": batches, "randperm_seed4": randperm, "split_fractions": split,
            "split_lengths": split_lengths, "seed_draw_seed0": seed_draw}


def as_pytorch(source: str) -> str:
    """A tests/torch_scripts/ script with PyTorch in place of trainer (`import trainer as torch` -> `import torch`)."""
    source = source.replace("import trainer as torch", "import torch")
    return re.sub(r"\bfrom trainer(\.| import)", r"from torch\1", source)


def _scripts() -> dict[str, str]:
    """What each script prints under PyTorch; tests/torch_scripts/ checks trainer prints the same."""
    outputs = {}
    for script in sorted(SCRIPTS.glob("[!_]*.py")):
        if script.name in {"runner.py"} or script.name.startswith("test_"):
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(as_pytorch(script.read_text()))
        done = subprocess.run([sys.executable, f.name], capture_output=True, text=True, check=True)
        outputs[script.stem] = done.stdout
    return outputs


def main(out: Path) -> None:
    _write(out, "optimizers", _optimizers())
    _write(out, "printing", _printing())
    _write(out, "sampling", _sampling())
    _write(out, "scripts", _scripts())
