"""Infinite and NaN results come silently, as in PyTorch; a user's own numpy code still warns."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import numpy as np
import trainer as torch
import trainer.nn.functional as F

x = torch.tensor([0.0, -1.0, 1000.0], requires_grad=True)
out = torch.log(x).sum() + x.sqrt().sum() + x.exp().sum() + (1 / x).sum() + (x / 0).sum() + torch.log1p(-x - 1).sum()
out.backward()
F.log_softmax(torch.tensor([[-float("inf"), 0.0]]), dim=1)
torch.tensor([1e30]).float().pow(4)
print(x.grad.tolist(), flush=True)
np.log(np.zeros(1))
"""


def test_engine_results_raise_no_numpy_warnings_but_user_numpy_does() -> None:
    done = subprocess.run([sys.executable, "-W", "always", "-c", SCRIPT], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[nan, nan, inf]\n"
    warned = [line for line in done.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warned) == 1 and warned[0].startswith("<string>:"), done.stderr  # only the script's own np.log
