"""Export files (deck, PDF, XLSX, CSV) and the import of the same layout: plain Python, no Flask."""


def N_(text: str) -> str:  # noqa: N802 - the conventional name of a translation marker
    """Marks English wording for extraction into the catalogs; the caller translates it (downloads/texts.py)."""
    return text
