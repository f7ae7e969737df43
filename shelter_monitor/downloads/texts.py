"""The fixed wording of the export files (slide titles, sheet names...), translated for the file's language.

The builders in shelter_monitor/exports hold the English wording (TEXT_DEFAULTS) and must not import Flask;
the same English strings are marked here so that they are extracted into the catalogs and translated."""
from flask_babel import force_locale, gettext

from shelter_monitor.exports.deck import TEXT_DEFAULTS as DECK_TEXTS
from shelter_monitor.exports.tables import TEXT_DEFAULTS as TABLE_TEXTS


def export_texts(language: str) -> dict[str, str]:
    """Every builder text key -> its wording in the language."""
    with force_locale(language):
        return {key: gettext(text) for key, text in {**TABLE_TEXTS, **DECK_TEXTS}.items()}
