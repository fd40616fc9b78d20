"""The supervision desk (监督): cases at risk, units ranked, the supervision ladder and its record."""
