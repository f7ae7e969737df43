"""Answers as a person reads them: labels in the reader's language instead of codes."""
from typing import Any

from flask_babel import gettext as _

from shelter_monitor.questionnaire.model import Question, localize


def _choice_label(question: Question, value: str, locale: str) -> str:
    if question.type == "tri":
        return {"yes": _("Yes"), "no": _("No"), "unknown": _("Don't know")}.get(value, value)
    choice = question.choice(value)
    return localize(choice.label, locale) if choice else value


def format_answer(question: Question, value: Any, locale: str) -> str:
    """A stored answer as text for people; an empty string for an absent answer."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    kind = question.type
    if kind == "bool":
        return _("Yes") if value else _("No")
    if kind in ("single", "tri"):
        return _choice_label(question, value, locale)
    if kind == "multi":
        return "; ".join(_choice_label(question, v, locale) for v in value)
    if kind == "grid":
        rows = {r.value: localize(r.label, locale) for r in question.rows}
        return "; ".join(f"{rows.get(row, row)}: {_choice_label(question, col, locale)}" for row, col in value.items())
    if kind == "shares":
        return "; ".join(f"{_choice_label(question, source, locale)} {share}%" for source, share in value.items())
    if kind == "money":
        return f"{value:,}".replace(",", " ") + " " + _("UAH")
    return str(value)
