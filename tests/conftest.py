"""Every test sees the same terminal whatever shell starts pytest: no COLUMNS or LINES from outside
(the CLI's tables fold to COLUMNS when it is set, and subprocesses inherit this environment)."""

import os

for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
