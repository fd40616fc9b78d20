"""Stop early with one clear line when the Python that builds .venv is too old or too new."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 builds .venv
    sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}. "
             "Run `make PYTHON=python3.11 ...` with a newer one.")
if sys.version_info >= (3, 14):
    sys.exit(f"Python 3.11, 3.12 or 3.13 is needed; this is {sys.version.split()[0]}: the console's garbage "
             "collector handling (console/main_thread_gc.py) is tested on those only, and 3.14 changes the "
             "collector's generations. Run `make PYTHON=python3.13 ...`.")
