"""PyTorch reference values for trainer.nn.utils.prune.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py prune
Writes tests/references/nn/prune.json. Every scenario is code written with PyTorch's names (`torch`, `nn`,
`prune`, and the helpers of PRELUDE) that stores what it observes in the dict `R`: masks, pruned weights,
outputs and gradients, parameter/buffer/state_dict names in order, the forward pre-hooks' classes, exception
classes and messages. tests/nn_utils/test_prune.py runs the same code with `trainer` as `torch`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.utils.prune
from reference_io import write_json

AREA = "nn"

PRELUDE = '''
def catch(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, str(e)]
    return None


def hooks(m):
    return [[type(h).__name__, [type(x).__name__ for x in h] if isinstance(h, prune.PruningContainer) else None,
             getattr(h, "_tensor_name", None)] for h in m._forward_pre_hooks.values()]


def layout(m):
    return {"params": [n for n, _ in m.named_parameters()], "buffers": [n for n, _ in m.named_buffers()],
            "state": list(m.state_dict()), "hooks": hooks(m),
            "plain": sorted(k for k in vars(m) if k in ("weight", "bias")), "pruned": prune.is_pruned(m)}


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.nn.functional.relu(self.conv1(x)), (2, 2))
        x = torch.nn.functional.max_pool2d(torch.nn.functional.relu(self.conv2(x)), 2)
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        x = torch.nn.functional.relu(self.fc1(x))
        x = torch.nn.functional.relu(self.fc2(x))
        return self.fc3(x)
'''

SCENARIOS: dict[str, str] = {
    "random_unstructured_float": '''
torch.manual_seed(0)
m = nn.Linear(5, 4)
R["ret_is_module"] = prune.random_unstructured(m, "weight", amount=0.3) is m
R["layout"] = layout(m)
R["mask"] = m.weight_mask
R["weight"] = m.weight
R["grad_fn"] = m.weight.grad_fn.name()
R["orig_is_param"] = isinstance(m.weight_orig, nn.Parameter)
x = torch.randn(3, 5)
y = m(x)
y.pow(2).sum().backward()
R["y"] = y
R["orig_grad"] = m.weight_orig.grad
R["bias_grad"] = m.bias.grad
R["mask_grad"] = m.weight_mask.requires_grad
''',
    "random_unstructured_int_conv": '''
torch.manual_seed(1)
m = nn.Conv2d(2, 3, 3)
prune.random_unstructured(m, "weight", amount=7)
prune.random_unstructured(m, "bias", amount=1)
R["layout"] = layout(m)
R["w_mask"] = m.weight_mask
R["b_mask"] = m.bias_mask
R["zeros"] = [int((m.weight == 0).sum()), int((m.bias == 0).sum())]
x = torch.randn(2, 2, 5, 5)
m(x).sum().backward()
R["orig_grad"] = m.weight_orig.grad
R["bias_orig_grad"] = m.bias_orig.grad
R["after"] = torch.rand(3)
''',
    "random_unstructured_amounts": '''
for amount in (0, 0.0, 1.0, 12, 0.51, 0.49, 0.5):
    torch.manual_seed(2)
    m = nn.Linear(4, 3)
    prune.random_unstructured(m, "weight", amount=amount)
    R[f"mask {amount!r}"] = m.weight_mask
    R[f"next {amount!r}"] = torch.rand(2)
''',
    "l1_unstructured": '''
torch.manual_seed(3)
m = nn.Linear(6, 4)
prune.l1_unstructured(m, name="weight", amount=0.25)
R["mask"] = m.weight_mask
R["layout"] = layout(m)
prune.l1_unstructured(m, name="weight", amount=5)
R["mask2"] = m.weight_mask
R["hooks2"] = hooks(m)
prune.l1_unstructured(m, name="weight", amount=0.5)
R["mask3"] = m.weight_mask
R["weight3"] = m.weight
R["sum3"] = float(m.weight_mask.sum())
''',
    "l1_ties": '''
m = nn.Linear(6, 5)
with torch.no_grad():
    rows = torch.tensor([[1.0], [1.0], [0.5], [2.0], [1.0]])
    m.weight.copy_(torch.tensor([[1.0, -1.0, 0.5, 0.5, -0.5, 2.0]] * 5) * rows)
for amount in (1, 3, 7, 11, 0.4, 0.7):
    prune.l1_unstructured(m, "weight", amount=amount)
    R[f"mask {amount!r}"] = m.weight_mask
    prune.remove(m, "weight")
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1.0, -1.0, 0.5, 0.5, -0.5, 2.0]] * 5))
big = nn.Linear(100, 20)
with torch.no_grad():
    big.weight.copy_((torch.arange(2000.0) % 7).reshape(20, 100))
prune.l1_unstructured(big, "weight", amount=13)
R["big partial_sort"] = big.weight_mask
prune.l1_unstructured(big, "weight", amount=900)
R["big nth_element"] = big.weight_mask
ones = nn.Linear(10, 3)
with torch.no_grad():
    ones.weight.fill_(0.25)
prune.l1_unstructured(ones, "weight", amount=0.6)
R["all equal"] = ones.weight_mask
''',
    "ties_fuzz": '''
torch.manual_seed(18)
for n in (3, 9, 16, 17, 64, 65, 130, 700, 3000):
    levels = int(torch.randint(1, 6, (1,)))
    t = torch.randint(0, levels, (n,)).float() * 0.5 - 1.0
    for k in (1, n // 64, n // 3, n // 2, n - 1):
        R[f"l1 n={n} k={k}"] = prune.L1Unstructured(amount=k).compute_mask(t, torch.ones(n))
    rows = torch.randint(0, levels, (n, 1)).float().repeat(1, 2)
    for k in (1, n // 3, n - 1):
        R[f"ln n={n} k={k}"] = prune.LnStructured(amount=k, n=1, dim=0).compute_mask(rows, torch.ones(n, 2))
''',
    "l1_importance_scores": '''
torch.manual_seed(4)
m = nn.Linear(4, 3)
scores = torch.arange(12.0).reshape(3, 4).flip(0)
prune.l1_unstructured(m, "weight", amount=4, importance_scores=scores)
R["mask"] = m.weight_mask
R["orig"] = m.weight_orig
prune.l1_unstructured(m, "bias", amount=1, importance_scores=torch.tensor([3.0, -1.0, 2.0]))
R["bias_mask"] = m.bias_mask
R["err"] = catch(lambda: prune.l1_unstructured(m, "weight", amount=1, importance_scores=torch.ones(4, 3)))
R["layout_after_err"] = layout(m)
''',
    "ln_structured": '''
for n in (1, 2, float("inf"), float("-inf"), "fro", 3, "nuc", 0):
    for dim in (0, 1, -1, 3):
        torch.manual_seed(5)
        m = nn.Conv2d(3, 4, 2)
        err = catch(lambda: prune.ln_structured(m, "weight", amount=0.5, n=n, dim=dim))
        R[f"mask n={n} dim={dim}"] = err or m.weight_mask
for n in ("fro", "nuc", 1):
    torch.manual_seed(5)
    m = nn.Conv1d(3, 4, 2)
    err = catch(lambda: prune.ln_structured(m, "weight", amount=2, n=n, dim=1))
    R[f"3d n={n}"] = err or m.weight_mask
torch.manual_seed(6)
m = nn.Linear(5, 6)
prune.ln_structured(m, "weight", amount=2, n=2, dim=0)
R["rows"] = m.weight_mask
prune.ln_structured(m, "weight", amount=1, n=1, dim=1)
R["rows+cols"] = m.weight_mask
prune.ln_structured(m, "weight", amount=0.5, n=2, dim=0)
R["again rows"] = m.weight_mask
R["hooks"] = hooks(m)
R["zero_amount"] = catch(lambda: prune.ln_structured(nn.Linear(3, 3), "weight", amount=0, n=1, dim=0))
tie = nn.Linear(4, 8)
with torch.no_grad():
    tie.weight.copy_(torch.tensor([1.0, 2.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0]).unsqueeze(1).repeat(1, 4))
prune.ln_structured(tie, "weight", amount=3, n=1, dim=0)
R["tied rows"] = tie.weight_mask
imp = nn.Linear(3, 4)
scores = torch.tensor([[1.0], [0.1], [3.0], [2.0]]).repeat(1, 3)
prune.ln_structured(imp, "weight", amount=1, n=2, dim=0, importance_scores=scores)
R["importance"] = imp.weight_mask
''',
    "random_structured": '''
for dim in (0, 1, -1, 2):
    torch.manual_seed(7)
    m = nn.Conv2d(3, 5, (2, 3))
    prune.random_structured(m, "weight", amount=0.4, dim=dim)
    R[f"mask dim={dim}"] = m.weight_mask
    R[f"next dim={dim}"] = torch.rand(2)
torch.manual_seed(8)
m = nn.Linear(6, 5)
prune.random_structured(m, "weight", amount=2, dim=1)
R["cols"] = m.weight_mask
prune.random_structured(m, "weight", amount=2, dim=1)
R["cols again"] = m.weight_mask
prune.random_structured(m, "weight", amount=1, dim=0)
R["rows"] = m.weight_mask
prune.random_unstructured(m, "weight", amount=3)
R["then unstructured"] = m.weight_mask
R["hooks"] = hooks(m)
prune.random_structured(m, "weight", amount=0, dim=0)
R["zero keeps"] = m.weight_mask
''',
    "iterative_mixed": '''
torch.manual_seed(9)
model = LeNet()
module = model.conv1
prune.random_unstructured(module, name="weight", amount=0.3)
prune.l1_unstructured(module, name="bias", amount=3)
R["layout1"] = layout(module)
R["hook_order"] = hooks(module)
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
R["layout2"] = layout(module)
R["mask2"] = module.weight_mask
container = list(module._forward_pre_hooks.values())[-1]
R["container"] = [len(container), type(container[0]).__name__, type(container[-1]).__name__, container._tensor_name]
x = torch.randn(1, 1, 32, 32)
out = model(x)
out.sum().backward()
R["out"] = out
R["conv1_orig_grad"] = module.weight_orig.grad
R["model_state"] = list(model.state_dict())
R["model_pruned"] = prune.is_pruned(model)
R["fc1_pruned"] = prune.is_pruned(model.fc1)
''',
    "global_unstructured": '''
torch.manual_seed(10)
model = LeNet()
parameters_to_prune = (
    (model.conv1, "weight"), (model.conv2, "weight"), (model.fc1, "weight"), (model.fc2, "weight"),
    (model.fc3, "weight"))
R["ret"] = prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for mod, name in parameters_to_prune:
    R[f"sparsity {name} {mod.__class__.__name__} {mod.weight.nelement()}"] = float(torch.sum(mod.weight == 0))
R["conv1 mask"] = model.conv1.weight_mask
R["fc3 mask"] = model.fc3.weight_mask
R["fc3 hooks"] = hooks(model.fc3)
R["state"] = list(model.state_dict())
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=1000)
R["fc3 mask again"] = model.fc3.weight_mask
R["fc3 hooks again"] = hooks(model.fc3)
R["total zeros"] = sum(int((mod.weight == 0).sum()) for mod, _ in parameters_to_prune)
prune.global_unstructured(parameters_to_prune, pruning_method=prune.RandomUnstructured, amount=0.1)
R["conv2 random"] = model.conv2.weight_mask
R["next"] = torch.rand(2)
''',
    "global_importance": '''
torch.manual_seed(11)
a, b = nn.Linear(3, 2), nn.Linear(2, 2)
scores = {(a, "weight"): torch.tensor([[1.0, 5.0, 3.0], [0.5, 2.0, 9.0]])}
prune.global_unstructured([(a, "weight"), (b, "bias")], prune.L1Unstructured, importance_scores=scores, amount=3)
R["a"] = a.weight_mask
R["b"] = b.bias_mask
R["layout_b"] = layout(b)
R["identity"] = catch(lambda: prune.global_unstructured([(a, "bias")], prune.Identity))
R["a bias"] = a.bias_mask
''',
    "custom_and_identity": '''
torch.manual_seed(12)
m = nn.Linear(3, 2)
prune.custom_from_mask(m, name="bias", mask=torch.tensor([0, 1]))
R["bias_mask"] = m.bias_mask
R["bias"] = m.bias
prune.custom_from_mask(m, name="bias", mask=torch.tensor([1.0, 0.0]))
R["bias_mask2"] = m.bias_mask
R["hooks"] = hooks(m)
prune.identity(m, "weight")
R["identity_mask"] = m.weight_mask
R["layout"] = layout(m)
R["bad shape"] = catch(lambda: prune.custom_from_mask(m, "weight", mask=torch.ones(3)))
bool_mask = nn.Linear(2, 2)
prune.custom_from_mask(bool_mask, "weight", torch.tensor([[True, False], [False, True]]))
R["bool"] = bool_mask.weight_mask
''',
    "remove": '''
torch.manual_seed(13)
m = nn.Linear(4, 3)
prune.l1_unstructured(m, "weight", amount=0.5)
prune.random_unstructured(m, "weight", amount=2)
pruned = m.weight.detach().clone()
R["ret_is_module"] = prune.remove(m, "weight") is m
R["layout"] = layout(m)
R["weight"] = m.weight
R["equal"] = bool(torch.equal(m.weight, pruned))
R["is_param"] = isinstance(m.weight, nn.Parameter)
R["again"] = catch(lambda: prune.remove(m, "weight"))
R["never"] = catch(lambda: prune.remove(m, "bias"))
opt = torch.optim.SGD(m.parameters(), lr=0.5)
m(torch.ones(1, 4)).sum().backward()
opt.step()
R["trained"] = m.weight
''',
    "training": '''
torch.manual_seed(14)
m = nn.Linear(4, 2)
prune.l1_unstructured(m, "weight", amount=3)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x, y = torch.randn(8, 4), torch.randn(8, 2)
for step in range(3):
    opt.zero_grad()
    loss = ((m(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    R[f"loss {step}"] = loss.detach()
R["orig"] = m.weight_orig
R["weight before forward"] = m.weight
m(x)
R["weight after forward"] = m.weight
sd = m.state_dict()
R["sd_keys"] = list(sd)
fresh = nn.Linear(4, 2)
prune.identity(fresh, "weight")
fresh.load_state_dict(sd)
R["loaded mask"] = fresh.weight_mask
R["loaded out"] = fresh(x)
plain = nn.Linear(4, 2)
R["load into plain"] = catch(lambda: plain.load_state_dict(sd))
''',
    "double": '''
torch.manual_seed(15)
m = nn.Linear(3, 3).double()
prune.l1_unstructured(m, "weight", amount=4)
R["mask"] = m.weight_mask
R["dtypes"] = [str(m.weight_mask.dtype), str(m.weight.dtype)]
x = torch.randn(2, 3, dtype=torch.float64)
m(x).sum().backward()
R["grad"] = m.weight_orig.grad
''',
    "user_hook_order": '''
torch.manual_seed(16)
m = nn.Linear(3, 2)
seen = []
m.register_forward_pre_hook(lambda mod, inp: seen.append(float(mod.weight.detach().sum())))
prune.l1_unstructured(m, "weight", amount=3)
with torch.no_grad():
    m.weight_orig.mul_(2)
m(torch.ones(1, 3))
R["seen"] = seen
R["hooks"] = hooks(m)
R["weight"] = m.weight
''',
    "methods_directly": '''
torch.manual_seed(17)
t = torch.randn(3, 4)
R["l1"] = prune.L1Unstructured(amount=5).prune(t)
R["l1 scores"] = prune.L1Unstructured(amount=2).prune(t, importance_scores=-torch.arange(12.0).reshape(3, 4))
R["ln"] = prune.LnStructured(amount=1, n=1, dim=0).compute_mask(t, default_mask=torch.ones(3, 4))
R["random"] = prune.RandomUnstructured(amount=0.5).prune(t)
R["random structured"] = prune.RandomStructured(amount=2).compute_mask(t, torch.ones(3, 4))
R["identity"] = prune.Identity().prune(t, default_mask=torch.tensor([[1.0, 0, 1, 1]] * 3))
R["custom"] = prune.CustomFromMask(torch.tensor([[1.0, 0, 1, 0]] * 3)).prune(t)
R["types"] = [prune.Identity.PRUNING_TYPE, prune.RandomUnstructured.PRUNING_TYPE, prune.L1Unstructured.PRUNING_TYPE,
              prune.RandomStructured.PRUNING_TYPE, prune.LnStructured.PRUNING_TYPE, prune.CustomFromMask.PRUNING_TYPE]
R["defaults"] = [prune.RandomStructured(0.5).dim, prune.LnStructured(0.5, 2).dim]
R["prune bad shape"] = catch(lambda: prune.L1Unstructured(amount=1).prune(t, importance_scores=torch.ones(4, 3)))
R["abstract"] = catch(lambda: prune.BasePruningMethod())
R["subclass"] = issubclass(prune.PruningContainer, prune.BasePruningMethod)
''',
    "container": '''
a = prune.L1Unstructured(amount=1)
a._tensor_name = "weight"
b = prune.RandomUnstructured(amount=1)
b._tensor_name = "bias"
c = prune.PruningContainer(a)
R["len"] = len(c)
R["name"] = c._tensor_name
R["wrong name"] = catch(lambda: c.add_pruning_method(b))
R["not a method"] = catch(lambda: c.add_pruning_method(3))
c.add_pruning_method(None)
R["len after None"] = len(c)
d = prune.L1Unstructured(amount=2)
d._tensor_name = "weight"
R["two"] = catch(lambda: prune.PruningContainer(a, d))
c3 = prune.PruningContainer()
R["empty"] = [len(c3), getattr(c3, "_tensor_name", "missing")]
c3._tensor_name = "weight"
c3.add_pruning_method(a)
c3.add_pruning_method(d)
R["three"] = [len(c3), type(c3[1]).__name__, [type(x).__name__ for x in c3]]

class BadStructured(prune.BasePruningMethod):
    PRUNING_TYPE = "structured"
    def compute_mask(self, t, default_mask):
        return default_mask

class Unknown(prune.BasePruningMethod):
    PRUNING_TYPE = "other"
    def compute_mask(self, t, default_mask):
        return default_mask

m = nn.Linear(2, 2)
prune.identity(m, "weight")
R["no dim"] = catch(lambda: BadStructured.apply(m, "weight"))
R["layout"] = layout(m)
m2 = nn.Linear(2, 2)
prune.identity(m2, "weight")
R["unknown"] = catch(lambda: Unknown.apply(m2, "weight"))
''',
    "errors": '''
m = nn.Linear(3, 2)
R["neg int"] = catch(lambda: prune.random_unstructured(m, "weight", amount=-1))
R["float>1"] = catch(lambda: prune.l1_unstructured(m, "weight", amount=1.5))
R["neg float"] = catch(lambda: prune.l1_unstructured(m, "weight", amount=-0.1))
R["str"] = catch(lambda: prune.l1_unstructured(m, "weight", amount="0.5"))
R["too many"] = catch(lambda: prune.l1_unstructured(m, "weight", amount=7))
R["layout after"] = layout(m)
R["structured 1d"] = catch(lambda: prune.ln_structured(m, "bias", amount=1, n=2, dim=0))
R["random structured 1d"] = catch(lambda: prune.random_structured(m, "bias", amount=1, dim=0))
R["bad dim"] = catch(lambda: prune.ln_structured(m, "weight", amount=1, n=2, dim=2))
R["too many channels"] = catch(lambda: prune.random_structured(m, "weight", amount=3, dim=0))
R["no such"] = catch(lambda: prune.l1_unstructured(m, "nothing", amount=1))
R["not iterable"] = catch(lambda: prune.global_unstructured(5, prune.L1Unstructured, amount=1))
R["scores not dict"] = catch(
    lambda: prune.global_unstructured([(m, "weight")], prune.L1Unstructured, importance_scores=[1], amount=1))
R["structured global"] = catch(lambda: prune.global_unstructured([(m, "weight")], prune.RandomStructured, amount=1))
R["layout final"] = layout(m)
R["bool amount"] = catch(lambda: prune.l1_unstructured(nn.Linear(2, 2), "weight", amount=True))
R["pruned"] = prune.is_pruned(m)
''',
}


def run(code: str) -> dict[str, Any]:
    ns: dict[str, Any] = {"torch": torch, "nn": torch.nn, "prune": torch.nn.utils.prune, "R": {}}
    exec(PRELUDE, ns)  # noqa: S102 - our own scenario code
    exec(code, ns)  # noqa: S102
    return ns["R"]


def main(out_dir: Path) -> None:
    cases = {name: {"code": code, "result": run(code)} for name, code in SCENARIOS.items()}
    write_json(Path(out_dir) / "prune.json", {"torch": torch.__version__, "prelude": PRELUDE, "cases": cases})
