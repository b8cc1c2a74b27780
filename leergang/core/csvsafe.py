"""Cells for CSV files that people open in spreadsheet programs."""


def neutralise(value: str) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas: neutralise them (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
