"""The analysis view (分析研判): hot spots, recurring problems and trends, as the hub computes them."""
