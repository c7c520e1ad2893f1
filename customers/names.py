"""Product name identity: one product per normalised name, whatever the spelling in the source."""

import re

_WHITESPACE = re.compile(r"\s+")


def clean_display_name(raw: str) -> str:
    """Trim and collapse inner whitespace, keeping the case: the name as shown to people."""
    return _WHITESPACE.sub(" ", raw).strip()


def normalize_product_name(raw: str) -> str:
    """Trimmed, inner whitespace collapsed, case-folded: "  Green  APPLE " and "green apple" are one product."""
    return clean_display_name(raw).casefold()
