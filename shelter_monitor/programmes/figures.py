"""How programme figures are written, the same on the page, in the deck and in the PDF (plain Python)."""
from decimal import Decimal

MISSING = "—"
THIN_SPACE = "\u202f"  # between thousands, in both languages
LOWER_BOUND = "≥"


def format_amount(value: Decimal | None, language: str = "en") -> str:
    """1242 -> "1 242"; 473.479 -> "473.479" (en) / "473,479" (uk); None -> "—". Trailing zeros are dropped."""
    if value is None:
        return MISSING
    exact = value.normalize() if value == value.to_integral_value() else value
    whole, _, fraction = f"{exact:f}".partition(".")
    digits = f"{int(whole):,}".replace(",", THIN_SPACE)
    if not fraction.rstrip("0"):
        return digits
    return digits + ("," if language == "uk" else ".") + fraction.rstrip("0")


def format_share(value: Decimal | None) -> str:
    """A share of the target as a whole percentage: 0.934 -> "93%"; None -> "—"."""
    if value is None:
        return MISSING
    return f"{(value * 100).quantize(Decimal(1))}%"


def format_measured(value: Decimal | None, lower_bound: bool, language: str = "en") -> str:
    """A measured figure: "≥ 412" where the measure is a lower bound of what the target counts."""
    text = format_amount(value, language)
    return f"{LOWER_BOUND} {text}" if lower_bound and value is not None else text
