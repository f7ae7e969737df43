"""Where to send a user back to after logging in or switching language: only a path on this site."""
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """The target when it is a same-site relative path, else the start page.

    Refused: anything with a scheme or host, scheme-relative `//host`, backslashes (browsers read `/\\host` as
    `//host`), and any control character or white space (browsers drop tabs and newlines, so `/\\t/host` becomes
    `//host`; a newline in a header is an error)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("shelters.home")
    if any(ord(character) < 0x21 or ord(character) == 0x7F for character in target):
        return url_for("shelters.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("shelters.home")
    return target
