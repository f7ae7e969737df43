"""The fixed wording of the export files (slide titles, sheet names...), translated for the file's language.

The builders in shelter_monitor/exports hold the English wording (TEXT_DEFAULTS) and must not import Flask;
the same English strings are marked here so that they are extracted into the catalogs and translated.
The programme measures' labels and honest qualifiers (marked in programmes/measures.py) are passed too, under
the keys exports.data.measure_wording reads."""
from flask_babel import force_locale, gettext

from shelter_monitor.exports.data import MEASURE_TEXT_PREFIX, QUALIFIER_SUFFIX
from shelter_monitor.exports.deck import TEXT_DEFAULTS as DECK_TEXTS
from shelter_monitor.exports.tables import TEXT_DEFAULTS as TABLE_TEXTS
from shelter_monitor.programmes.measures import MEASURES


def _measure_texts() -> dict[str, str]:
    texts = {}
    for key, measure in MEASURES.items():
        texts[MEASURE_TEXT_PREFIX + key] = measure.label
        texts[MEASURE_TEXT_PREFIX + key + QUALIFIER_SUFFIX] = measure.qualifier
    return texts


def export_texts(language: str) -> dict[str, str]:
    """Every builder text key -> its wording in the language."""
    with force_locale(language):
        return {key: gettext(text) for key, text in {**TABLE_TEXTS, **DECK_TEXTS, **_measure_texts()}.items()}
