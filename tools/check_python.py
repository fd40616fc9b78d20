"""Stop early with one clear line when the Python that builds .venv is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 builds .venv
    sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}. "
             "Run `make PYTHON=python3.11 ...` with a newer one.")
