"""What a password must be: long enough, not one of the most common passwords, not one character repeated.

The list of common passwords (`common-passwords.txt.gz`, the 10,000 most frequent, lower case) is the head of the
list Django ships (django/contrib/auth/common-passwords.txt.gz, BSD licence), itself taken from a public
frequency list of leaked passwords. It is compared case-insensitively.
"""
import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str):
    """The (translatable) reason a password is refused, or None when it may be used."""
    if len(password) < MIN_LENGTH:
        return _l("The password needs at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password can have at most %(n)d characters.", n=MAX_LENGTH)
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return _l("The password needs at least %(n)d different characters.", n=MIN_DISTINCT_CHARACTERS)
    if password.strip().lower() in common_passwords():
        return _l("This password is among the most common ones; choose another.")
    return None
