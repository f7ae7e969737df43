"""The language a command writes its messages in: --lang, else the DEFAULT_LANGUAGE setting."""
from collections.abc import Callable

import click
from flask import current_app

from shelter_monitor.i18n import catalog, rendered

LANGUAGES = ("uk", "en")

lang_option = click.option("--lang", type=click.Choice(LANGUAGES),
                           help="The language of the messages (default: the DEFAULT_LANGUAGE setting).")


def messages_language(lang: str | None) -> str:
    return lang or current_app.config["BABEL_DEFAULT_LOCALE"]


def renderer(language: str) -> Callable[[object], str]:
    """A function showing a plain module's Message (or any text) in `language`."""
    translations = catalog(language)
    return lambda message: str(rendered(message, translations, language))
