"""Translations for the plain-Python modules (exports, dashboards.indicators, programmes...): no Flask.

The one translation mechanism is gettext with the package's catalogs (shelter_monitor/translations). Web code
calls Flask-Babel (`_`, `ngettext`, `lazy_gettext`). A plain module marks its English wording with `N_` (the
message id is extracted by `make messages`, nothing is translated at import) and translates it when it writes
something, through a babel `Translations` object its caller passes in: `catalog(language)` (an export in the
language chosen for the file, a CLI command) or Flask-Babel's `get_translations()` (the reader's language).
A plain module that reports problems to someone else's reader (an import's row errors) hands back a `Message`:
its `N_`-marked message id with the parameters, which the web page or the command renders in its language.
"""
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

__all__ = ["ENGLISH", "N_", "Message", "NullTranslations", "catalog", "ngettext", "rendered"]

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


class Message(str):
    """Wording a plain module hands back for its caller to show: the English sentence (the string itself, as logs,
    tests and English readers see it), with its message id (marked by `N_`) and parameters kept, so that
    `render` gives it in another language. A parameter may be a Message too, or a {"en", "uk"} text of the
    questionnaire (a check's message), shown in the same language."""

    msgid: str
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> "Message":
        message = super().__new__(cls, _filled(msgid, params, ENGLISH, "en"))
        message.msgid, message.params = msgid, params
        return message

    def render(self, translations: NullTranslations, language: str) -> str:
        """The message in the catalog's language (`language` picks the questionnaire texts among the parameters)."""
        return _filled(translations.gettext(self.msgid), self.params, translations, language)

    @classmethod
    def of_text(cls, text: Mapping[str, str]) -> "Message":
        """A {"en", "uk"} text of the questionnaire as a Message (no message id of the catalog: the text is its
        own translation)."""
        return cls("%(text)s", text=text)


def _filled(text: str, params: Mapping[str, Any], translations: NullTranslations, language: str) -> str:
    if not params:
        return text
    return text % {name: rendered(value, translations, language) for name, value in params.items()}


def rendered(value: Any, translations: NullTranslations, language: str) -> Any:
    """A Message in the catalog's language, a {"en", "uk"} text in `language`; anything else as it is."""
    if isinstance(value, Message):
        return value.render(translations, language)
    if isinstance(value, Mapping):
        return value.get(language) or value.get("en", "")
    return value
