"""Real service-request data in and out: 311 CSV exports and Open311 GeoReport v2 JSON.

`python -m hub import FILE --mapping MAP.toml` reads a file through a mapping (`mapping.py`), checks
every row (`rows.py`: a bad row goes to the reject file with its line and reason), sets up the
centre the file belongs to when it is not Minhang (`centre.py`: its agencies as units, its
neighbourhoods or districts as streets, its own map extent) and writes the cases through the hub's
writer as `case.created` events with `seq` (`store.py`), batch by batch, all or nothing per batch,
idempotent by the source's id. `python -m hub replay` plays the same rows into a running hub at
their original pace, scaled (`replay.py`); `python -m hub export` writes cases (CSV, Open311) and
KPIs per unit and per category (`exports.py`). Definitions: docs/data-import.md.
"""
