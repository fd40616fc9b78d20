"""The organisation: units, grids, routing rules (三定), duty rota; see chart.py."""
