"""Translations for the plain-Python modules (exports, dashboards.indicators, programmes...): no Flask.

The one translation mechanism is gettext with the package's catalogs (shelter_monitor/translations). Web code
calls Flask-Babel (`_`, `ngettext`, `lazy_gettext`). A plain module marks its English wording with `N_` (the
message id is extracted by `make messages`, nothing is translated at import) and translates it when it writes
something, through a babel `Translations` object its caller passes in: `catalog(language)` (an export in the
language chosen for the file, a CLI command) or Flask-Babel's `get_translations()` (the reader's language).
"""
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

__all__ = ["ENGLISH", "N_", "NullTranslations", "catalog", "ngettext"]

TRANSLATIONS_DIRECTORY = Path(__file__).resolve().parent / "translations"
ENGLISH = NullTranslations()  # the message ids as they are: English, with English plurals


def N_(text: str) -> str:  # noqa: N802 - the conventional name of a translation marker
    """Marks English wording for extraction into the catalogs; whoever shows it translates it."""
    return text


@cache
def catalog(language: str) -> NullTranslations:
    """The package's compiled catalog of `language` ("uk", "en"); English message ids when there is none."""
    return Translations.load(str(TRANSLATIONS_DIRECTORY), [language])


def ngettext(singular: str, plural: str, num: int, translations: NullTranslations) -> str:
    """A counted phrase such as "%(num)d region" in the catalog's language, its plural form chosen by the
    catalog's rule (Ukrainian has three: 1 область, 2 області, 5 областей, 21 область). Named and ordered like
    gettext's ngettext so that pybabel extracts both message ids."""
    return translations.ngettext(singular, plural, num) % {"num": num}
