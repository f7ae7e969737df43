"""What the application takes as text: no control characters (NUL and the like), which no person types and which
PostgreSQL refuses in text and JSONB. Plain Python, for the request layer and the answer checks alike."""
import re

# Cc characters; \t, \r and \n are ordinary in typed text and are allowed except in single-line fields.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def has_control_characters(text: str, multiline: bool = True) -> bool:
    """Whether `text` holds a control character (with `multiline`, tabs and line breaks are allowed)."""
    return (CONTROL if multiline else CONTROL_OR_NEWLINE).search(text) is not None
