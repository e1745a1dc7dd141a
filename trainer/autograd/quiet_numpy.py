"""Floating-point results as PyTorch gives them: silently.

`torch.log(torch.tensor(0.))` is `-inf` and `1 / torch.tensor(0.)` is `inf` without a word; numpy's ufuncs
warn (`RuntimeWarning: divide by zero encountered in log`). Importing the engine adds one warnings filter
that drops numpy's floating-point warnings (divide by zero, invalid value, overflow, underflow) raised from
trainer's own modules, so a PyTorch script prints what it prints under PyTorch. A user's own numpy code
still warns, and nothing on the paths that raise no warning costs anything. A filter the user adds later
(`warnings.simplefilter("error")`) comes first and wins, as warnings filters do.
"""

import warnings

NUMPY_FP_WARNING = r"(divide by zero|invalid value|overflow|underflow) encountered"
TRAINER_MODULES = r"trainer(\.|$)"

warnings.filterwarnings("ignore", message=NUMPY_FP_WARNING, category=RuntimeWarning, module=TRAINER_MODULES)
