#!/bin/sh
# Collect the console's source strings into the .ts files, then compile them to .qm.
#   tools/update_translations.sh
# New strings arrive as type="unfinished": translate them (pyside6-linguist, or by hand in
# the XML), run this again, and commit both the .ts and the .qm.
# tests/console/test_translations.py fails while any string lacks its translation.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
SOURCES=$(find console views widgets -name '*.py' -not -path '*/__pycache__/*' | sort)
for lang in zh_CN; do
    ts="resources/i18n/console_${lang}.ts"
    # shellcheck disable=SC2086  # one argument per source file
    "$BIN/pyside6-lupdate" $SOURCES -ts "$ts" -locations none -no-obsolete -target-language "$lang"
    "$BIN/pyside6-lrelease" "$ts" -qm "resources/i18n/console_${lang}.qm"
done
