"""Sorting names the way readers expect: the Unicode Collation Algorithm (pyuca, with the Unicode default table),
not code points. In code-point order Ukrainian "І" (U+0406) and "Є" (U+0404) come before "А" (U+0410), so
"Івано-Франківська" sorted before "Автономна Республіка Крим"; the UCA puts І after И and Є after Е, as the
Ukrainian alphabet does, and ignores case and apostrophes at the first level. No Flask import."""
from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import pyuca

T = TypeVar("T")


@cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


def sort_key(text: str) -> tuple:
    """A key that orders text by the Unicode Collation Algorithm (for sorted(), min(), max())."""
    return _collator().sort_key(text or "")


def collated(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """The items sorted by the collation of key(item)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
