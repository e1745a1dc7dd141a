"""PyTorch reference values for trainer.utils.checkpoint.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py checkpoint
Writes tests/references/utils/checkpoint.json. Every scenario is code written with PyTorch's names (`torch`, `nn`,
`cp` = torch.utils.checkpoint, and the helpers of PRELUDE) that stores what it observes in the dict `R`: outputs,
gradients of inputs and parameters (with and without checkpointing, reentrant or not), the RNG's next draws,
`grad_fn` names, warnings, exception classes and messages. tests/utils/test_checkpoint.py runs the same code with
`trainer` as `torch`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.utils.checkpoint
from reference_io import write_json

AREA = "utils"

PRELUDE = '''
import warnings


def catch(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e).split("\\n")[0]]
    return None


def warned(f):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = f()
    return out, [str(w.message) for w in caught]


def grads(module):
    return [None if p.grad is None else p.grad.clone() for p in module.parameters()]


def block(p=0.5):
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(p), nn.Linear(8, 3))


class Counter:
    def __init__(self, log, name):
        self.log, self.name = log, name

    def __enter__(self):
        self.log.append(self.name)

    def __exit__(self, *exc):
        return False
'''

SCENARIOS: dict[str, str] = {
    "dropout_block": '''
for mode in ("unset", True, False, "plain"):
    torch.manual_seed(0)
    net = block()
    x = torch.randn(5, 4, requires_grad=True)
    if mode == "plain":
        y, w = net(x), []
    elif mode == "unset":
        y, w = warned(lambda: cp.checkpoint(net, x))
    else:
        y, w = warned(lambda: cp.checkpoint(net, x, use_reentrant=mode))
    R[f"{mode} warnings"] = w
    R[f"{mode} grad_fn"] = y.grad_fn.name()
    R[f"{mode} y"] = y
    y.pow(2).sum().backward()
    R[f"{mode} x.grad"] = x.grad
    R[f"{mode} grads"] = grads(net)
    R[f"{mode} next"] = torch.rand(3)
''',
    "no_preserve_rng": '''
for mode in (True, False):
    torch.manual_seed(1)
    net = block()
    x = torch.randn(5, 4, requires_grad=True)
    y = cp.checkpoint(net, x, use_reentrant=mode, preserve_rng_state=False)
    R[f"{mode} y"] = y
    y.sum().backward()
    R[f"{mode} x.grad"] = x.grad
    R[f"{mode} grads"] = grads(net)
    R[f"{mode} next"] = torch.rand(3)
''',
    "no_input_requires_grad": '''
for mode in (True, False):
    torch.manual_seed(2)
    net = nn.Sequential(nn.Linear(4, 6), nn.Tanh())
    head = nn.Linear(6, 1)
    x = torch.randn(3, 4)
    h, w = warned(lambda: cp.checkpoint(net, x, use_reentrant=mode))
    R[f"{mode} warnings"] = w
    R[f"{mode} requires_grad"] = h.requires_grad
    loss = head(h).sum()
    loss.backward()
    R[f"{mode} inner grads"] = grads(net)
    R[f"{mode} head grads"] = grads(head)
    R[f"{mode} alone"] = catch(lambda: cp.checkpoint(net, x, use_reentrant=mode).sum().backward())
''',
    "autograd_grad": '''
torch.manual_seed(3)
w1 = torch.randn(3, 3, requires_grad=True)
x = torch.randn(2, 3, requires_grad=True)
y = cp.checkpoint(lambda a, scale=1.0: (a @ w1).tanh() * scale, x, use_reentrant=False, scale=2.0)
R["grad_fn"] = y.grad_fn.name()
R["grads"] = list(torch.autograd.grad(y.sum(), [w1, x]))
R["only w"] = list(torch.autograd.grad(cp.checkpoint(lambda a: (a @ w1).sin(), x, use_reentrant=False).sum(), [w1]))
y = cp.checkpoint(lambda a: (a @ w1).tanh(), x, use_reentrant=True)
R["reentrant grad"] = catch(lambda: torch.autograd.grad(y.sum(), [x]))
y = cp.checkpoint(lambda a: (a @ w1).tanh(), x, use_reentrant=True)
R["reentrant inputs"] = catch(lambda: y.sum().backward(inputs=[x]))
y = cp.checkpoint(lambda a: (a @ w1).tanh(), x, use_reentrant=False)
y.sum().backward(inputs=[w1])
R["non-reentrant inputs"] = [w1.grad, x.grad]
''',
    "arguments": '''
x = torch.ones(2, requires_grad=True)
R["kwargs reentrant"] = catch(lambda: cp.checkpoint(lambda a: a * 2, x, use_reentrant=True, foo=1, bar=2))
R["kwargs unset"] = catch(lambda: cp.checkpoint(lambda a: a * 2, x, foo=1))
double = lambda a: a * 2
none_pair = lambda: (None, None)
R["context_fn reentrant"] = catch(lambda: cp.checkpoint(double, x, use_reentrant=True, context_fn=cp.noop_context_fn))
R["custom context reentrant"] = catch(lambda: cp.checkpoint(double, x, use_reentrant=True, context_fn=none_pair))
R["debug reentrant"] = catch(lambda: cp.checkpoint(lambda a: a * 2, x, use_reentrant=True, debug=True))
R["determinism"] = catch(lambda: cp.checkpoint(lambda a: a * 2, x, use_reentrant=False, determinism_check="strict"))
R["debug and context"] = catch(lambda: cp.checkpoint(double, x, use_reentrant=False, debug=True, context_fn=none_pair))
R["debug ok"] = cp.checkpoint(lambda a: a * 2, x, use_reentrant=False, debug=True)
R["none ok"] = cp.checkpoint(lambda a: a * 3, x, use_reentrant=False, determinism_check="none")
R["early_stop ok"] = cp.checkpoint(lambda a: a * 4, x, use_reentrant=False, early_stop=False)
R["seq kwargs"] = catch(lambda: cp.checkpoint_sequential([nn.ReLU()], 1, x, use_reentrant=False, foo=1))
R["detach_variable list"] = catch(lambda: cp.detach_variable([x]))
d = cp.detach_variable((x, 3, torch.zeros(1)))
R["detach_variable"] = [d[0].requires_grad, d[0].grad_fn is None, d[1], d[2].requires_grad]
R["validity"] = warned(lambda: cp.check_backward_validity([torch.ones(1), 2]))[1]
R["validity ok"] = warned(lambda: cp.check_backward_validity([x]))[1]
R["error class"] = [issubclass(cp.CheckpointError, RuntimeError), cp.DefaultDeviceType.get_device_type()]
R["device states"] = list(cp.get_device_states(x))
''',
    "several_outputs": '''
for mode in (True, False):
    torch.manual_seed(4)
    lin = nn.Linear(3, 4)
    x = torch.randn(2, 3, requires_grad=True)
    def f(a):
        h = lin(a)
        return h.relu(), h.sigmoid() * 2, 7
    out = cp.checkpoint(f, x, use_reentrant=mode)
    R[f"{mode} types"] = [type(o).__name__ for o in out]
    R[f"{mode} names"] = [out[0].grad_fn.name(), out[1].grad_fn.name()]
    R[f"{mode} values"] = [out[0], out[1], out[2]]
    (out[0].sum() + out[1].pow(2).sum()).backward()
    R[f"{mode} grads"] = [x.grad] + grads(lin)
    x.grad = None
    lin.zero_grad()
    out = cp.checkpoint(f, x, use_reentrant=mode)
    out[1].sum().backward()
    R[f"{mode} one used"] = [x.grad] + grads(lin)
''',
    "structures_non_reentrant": '''
torch.manual_seed(5)
lin = nn.Linear(3, 3)
x = torch.randn(2, 3, requires_grad=True)
z = torch.randn(2, 3, requires_grad=True)
out = cp.checkpoint(lambda a, b: {"sum": lin(a) + b, "parts": [lin(b).exp(), a]}, x, z, use_reentrant=False)
R["same input"] = out["parts"][1] is x
R["names"] = [out["sum"].grad_fn.name(), out["parts"][0].grad_fn.name()]
(out["sum"].sum() * 3 + out["parts"][0].sum() + out["parts"][1].sum()).backward()
R["grads"] = [x.grad, z.grad] + grads(lin)
ident = cp.checkpoint(lambda a: a, x, use_reentrant=False)
R["identity is input"] = ident is x
ident_r = cp.checkpoint(lambda a: a, x, use_reentrant=True)
R["identity reentrant"] = [ident_r is x, ident_r.grad_fn.name()]
''',
    "no_grad_mode": '''
torch.manual_seed(6)
net = block(0.0)
x = torch.randn(2, 4, requires_grad=True)
for mode in (True, False):
    with torch.no_grad():
        y, w = warned(lambda: cp.checkpoint(net, x, use_reentrant=mode))
    R[f"{mode}"] = [y.requires_grad, w]
    R[f"{mode} y"] = y
''',
    "sequential": '''
for mode in ("unset", True, False):
    for segments in (1, 2, 3, 5):
        torch.manual_seed(7)
        model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Dropout(0.3), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 2))
        x = torch.randn(4, 3, requires_grad=True)
        if mode == "unset":
            out, w = warned(lambda: cp.checkpoint_sequential(model, segments, x))
        else:
            out, w = warned(lambda: cp.checkpoint_sequential(model, segments, x, use_reentrant=mode))
        R[f"{mode} {segments} warnings"] = w
        R[f"{mode} {segments} out"] = out
        R[f"{mode} {segments} grad_fn"] = out.grad_fn.name()
        out.sum().backward()
        R[f"{mode} {segments} grads"] = [x.grad] + grads(model)
        R[f"{mode} {segments} next"] = torch.rand(2)
torch.manual_seed(8)
layers = [nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1)]
x = torch.randn(3, 2, requires_grad=True)
out = cp.checkpoint_sequential(layers, 2, x, use_reentrant=False, preserve_rng_state=False)
out.sum().backward()
R["list"] = [out, x.grad]
''',
    "training": '''
for mode in ("plain", True, False):
    torch.manual_seed(9)
    body = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 16), nn.ReLU())
    head = nn.Linear(16, 1)
    params = list(body.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=0.05, momentum=0.9)
    x, t = torch.randn(16, 4), torch.randn(16, 1)
    losses = []
    for step in range(4):
        opt.zero_grad()
        h = body(x) if mode == "plain" else cp.checkpoint(body, x, use_reentrant=mode)
        loss = ((head(h) - t) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    R[f"{mode} losses"] = losses
    R[f"{mode} weight"] = body[0].weight
''',
    "contexts": '''
log = []
x = torch.ones(3, requires_grad=True)
ctx = lambda: (Counter(log, "forward"), Counter(log, "recompute"))
y = cp.checkpoint(lambda a: a.exp() * 2, x, use_reentrant=False, context_fn=ctx)
R["after forward"] = list(log)
y.sum().backward(retain_graph=True)
R["after backward"] = list(log)
y.sum().backward()
R["after second"] = list(log)
R["grad"] = x.grad
''',
    "double_backward": '''
torch.manual_seed(10)
lin = nn.Linear(3, 1)
x = torch.randn(4, 3, requires_grad=True)
y = cp.checkpoint(lambda a: lin(a).tanh(), x, use_reentrant=False)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
R["g"] = g
penalty = (g.norm(2, dim=1) - 1).pow(2).mean()
penalty.backward()
R["weight grad"] = lin.weight.grad
''',
    "nested": '''
torch.manual_seed(11)
a, b = nn.Linear(3, 3), nn.Linear(3, 3)
x = torch.randn(2, 3, requires_grad=True)
def inner(h):
    return b(h).tanh()
for outer_mode in (True, False):
    for inner_mode in (True, False):
        for p in [x, *a.parameters(), *b.parameters()]:
            p.grad = None
        y = cp.checkpoint(lambda h: cp.checkpoint(inner, a(h).relu(), use_reentrant=inner_mode) * 2, x,
                          use_reentrant=outer_mode)
        y.sum().backward()
        R[f"{outer_mode} {inner_mode}"] = [y, x.grad] + grads(a) + grads(b)
''',
    "determinism": '''
state = {"n": 2}
def f(a):
    state["n"] += 1
    return a[: state["n"]].exp()
x = torch.ones(5, requires_grad=True)
y = cp.checkpoint(f, x, use_reentrant=False)
R["mismatch"] = catch(lambda: y.sum().backward())
state["n"] = 2
y = cp.checkpoint(f, x, use_reentrant=False, determinism_check="none")
R["unchecked"] = catch(lambda: y.sum().backward())[0]  # the recomputed graph's own shape error
''',
}


def run(code: str) -> dict[str, Any]:
    ns: dict[str, Any] = {"torch": torch, "nn": torch.nn, "cp": torch.utils.checkpoint, "R": {}}
    exec(PRELUDE, ns)  # noqa: S102 - our own scenario code
    exec(code, ns)  # noqa: S102
    return ns["R"]


def main(out_dir: Path) -> None:
    cases = {name: {"code": code, "result": run(code)} for name, code in SCENARIOS.items()}
    write_json(Path(out_dir) / "checkpoint.json", {"torch": torch.__version__, "prelude": PRELUDE, "cases": cases})
