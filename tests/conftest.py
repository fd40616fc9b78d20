"""Settings for the whole suite: Qt renders offscreen unless told otherwise (CI has no display)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
