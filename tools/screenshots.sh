#!/bin/sh
# Every screenshot of docs/screenshots, in both languages, offscreen (Chinese with the shipped font).
set -eu
cd "$(dirname "$0")/.."
PY="${VENV_BIN:-.venv/bin}/python"
OUT=docs/screenshots
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
for lang in en zh_CN; do
    "$PY" tools/screenshot.py --lang "$lang" --size 1920x1080 --out "$OUT/queue_$lang.png"
    "$PY" tools/screenshot.py --lang "$lang" --size 1600x900 --desk S310112001 --min-rows 6 \
        --out "$OUT/unit_desk_$lang.png"
    "$PY" tools/alerts_screenshot.py --lang "$lang" --size 1600x900 --expand --out "$OUT/alerts_burst_$lang.png"
    "$PY" tools/alarm_discipline_screenshot.py --scene flood --lang "$lang" --out "$OUT/alerts_flood_$lang.png"
    "$PY" tools/alarm_discipline_screenshot.py --scene shelved --lang "$lang" --out "$OUT/alerts_shelved_$lang.png"
    "$PY" tools/case_screenshot.py --lang "$lang" --out "$OUT/case_history_$lang.png"
    "$PY" tools/outbox_screenshot.py --lang "$lang" --size 1600x900 --out "$OUT/outbox_down_$lang.png"
    "$PY" tools/room_screenshot.py --lang "$lang" --out-dir "$OUT"
    "$PY" tools/handover_screenshot.py --lang "$lang" --out "$OUT/handover_$lang.png"
    "$PY" tools/intake_screenshot.py --lang "$lang" --out "$OUT/intake_$lang.png"
    "$PY" tools/screenshot.py --analysis --lang "$lang" --out "$OUT/analysis_$lang.png"
    "$PY" tools/screenshot.py --analysis --tab 2 --lang "$lang" --out "$OUT/analysis_trends_$lang.png"
    "$PY" tools/supervision_screenshot.py --lang "$lang" --out "$OUT/supervision_$lang.png"
    "$PY" tools/wall_gallery.py --lang "$lang" --size 3840x2160 --scale 0.5 --out-dir "$OUT" $( [ "$lang" = en ] && echo --stale )
done
rm -f "$OUT/wall-gallery.ini"
