"""Writing data out for spreadsheets safely."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell that Excel/LibreOffice will show as text, never run as a formula (CSV injection): values starting
    with = + - @ or a tab/CR get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
