"""How programme figures are written, the same on the page, in the deck and in the PDF (plain Python, through
shelter_monitor.formatting: the locale's grouping and decimal sign)."""
from decimal import Decimal

from shelter_monitor.formatting import MISSING, format_number, format_percent

LOWER_BOUND = "≥"


def format_amount(value: Decimal | None, language: str = "en") -> str:
    """1242 -> "1 242" (uk, a no-break space) / "1,242" (en); 473.479 -> "473,479" (uk) / "473.479" (en); every
    significant fraction digit kept, trailing zeros dropped; None -> "—"."""
    if value is None:
        return MISSING
    exponent = Decimal(value).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, language, places)


def format_share(value: Decimal | None, language: str = "en") -> str:
    """A share of the target as a whole percentage: 0.934 -> "93%"; None -> "—"."""
    return format_percent(value, language)


def format_measured(value: Decimal | None, lower_bound: bool, language: str = "en") -> str:
    """A measured figure: "≥ 412" where the measure is a lower bound of what the target counts."""
    text = format_amount(value, language)
    return f"{LOWER_BOUND} {text}" if lower_bound and value is not None else text
