"""What a set of answers means under a definition: which questions are asked, and what is wrong with the answers.

Answers are a dict keyed by question code holding JSON values (see docs/questionnaire-format.md).

Plain Python: importing this module loads no Flask. Its messages are Wording objects (English message ids with
their parameters) and definition texts are LocalText; both are translated only when shown, by `str()`, through
the translator and locale source the web layer installs with `use_translations` (without one: English).
"""
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from shelter_monitor.plain_text import has_control_characters
from shelter_monitor.questionnaire.conditions import evaluate, is_absent
from shelter_monitor.questionnaire.model import Definition, Label, Question, localize


def _english(text: str, **params: Any) -> str:
    return text % params if params else text


_translate: Callable[..., str] = _english
_current_locale: Callable[[], str | None] = lambda: None  # noqa: E731 - a replaceable hook


def use_translations(translate: Callable[..., str], current_locale: Callable[[], str | None]) -> None:
    """Install how messages are shown: `translate(msgid, **params)` (a gettext) and the reader's locale (for
    LocalText). The web layer calls this once with Flask-Babel's gettext and get_locale."""
    global _translate, _current_locale
    _translate, _current_locale = translate, current_locale


class Wording:
    """A message of this module: an English message id and its parameters, translated when shown (str())."""

    __slots__ = ("text", "params")

    def __init__(self, text: str, **params: Any) -> None:
        self.text, self.params = text, params

    def __str__(self) -> str:
        return _translate(self.text, **self.params)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Wording({self.text!r})"


_l = Wording  # the marker `pybabel extract -k _l` collects the message ids by


class LocalText(dict):
    """A {"en", "uk"} text from the definition that renders in the reader's language."""

    def __str__(self) -> str:
        locale = _current_locale()
        return localize(self, str(locale) if locale else "en")

    def __html__(self) -> str:
        return str(escape(str(self)))


def round_context(covid_section: bool, start: dt.date | None, end: dt.date | None,
                  today: dt.date | None = None) -> dict[str, Any]:
    """The round values conditions may read through {"ctx": ...}."""
    return {
        "covid_section": covid_section,
        "round_start": start.isoformat() if start else None,
        "round_end": end.isoformat() if end else None,
        "today": (today or dt.date.today()).isoformat(),
    }


def question_label(question: Question, answers: Mapping[str, Any]) -> Label:
    """The question's label, or the first `label_if` label whose condition holds for these answers."""
    for condition, label in question.label_if:
        if evaluate(condition, answers) is True:
            return label
    return question.label


def visible_codes(definition: Definition, answers: Mapping[str, Any], context: Mapping[str, Any],
                  form: str = "shelter") -> list[str]:
    """Codes of the questions asked, in order. An answer to a hidden question counts as absent further on."""
    effective: dict[str, Any] = {}
    visible: list[str] = []
    for section in definition.sections:
        if section.show_if is not None and evaluate(section.show_if, effective, context) is not True:
            continue
        for question in section.questions:
            if question.form != form:
                continue
            if question.show_if is not None and evaluate(question.show_if, effective, context) is not True:
                continue
            visible.append(question.code)
            if question.code in answers:
                effective[question.code] = answers[question.code]
    return visible


def prune_hidden(definition: Definition, answers: Mapping[str, Any], context: Mapping[str, Any],
                 form: str = "shelter") -> dict[str, Any]:
    """Only the answers to questions that are asked and answered: hidden answers are never stored."""
    return {code: answers[code] for code in visible_codes(definition, answers, context, form)
            if code in answers and not is_absent(answers[code])}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _choice_problems(question: Question, value: Any) -> list:
    allowed = question.choice_values()
    if question.choices_from == "rounds":
        return [] if isinstance(value, str) else [_l("Choose one of the options.")]
    if question.type in ("single", "tri"):
        return [] if value in allowed else [_l("Choose one of the options.")]
    if not isinstance(value, list) or any(v not in allowed for v in value):
        return [_l("Choose from the options listed.")]
    problems = []
    exclusive = [c.label for c in question.choices if c.exclusive and c.value in value]
    if exclusive and len(value) > 1:
        problems.append(_l("“%(choice)s” cannot be combined with other choices.", choice=LocalText(exclusive[0])))
    if question.max_choices and len(value) > question.max_choices:
        problems.append(_l("Choose at most %(n)d.", n=question.max_choices))
    return problems


def _grid_problems(question: Question, value: Any) -> list:
    rows = {r.value for r in question.rows}
    if not isinstance(value, Mapping) or set(value) - rows:
        return [_l("Answer each row with one of the options.")]
    if any(v not in question.choice_values() for v in value.values()):
        return [_l("Answer each row with one of the options.")]
    return []


def _shares_problems(question: Question, value: Any) -> list:
    sources = set(question.choice_values())
    if not isinstance(value, Mapping) or set(value) - sources:
        return [_l("Give a percentage for the listed sources only.")]
    if any(not _is_int(v) or not 0 <= v <= 100 for v in value.values()):
        return [_l("Each share must be a whole number from 0 to 100.")]
    return []


def value_problems(question: Question, value: Any) -> list:
    """What is wrong with one JSON answer, taken alone (type, choices, range); empty when it is fine."""
    kind = question.type
    if kind == "bool":
        return [] if isinstance(value, bool) else [_l("Answer yes or no.")]
    if kind in ("int", "money"):
        if not _is_int(value):
            return [_l("Enter a whole number.")]
        if question.min is not None and value < question.min:
            return [_l("Enter a number of at least %(min)d.", min=question.min)]
        if question.max is not None and value > question.max:
            return [_l("Enter a number of at most %(max)d.", max=question.max)]
        return []
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return [_l("Enter a date as YYYY-MM-DD.")]
        return []
    if kind == "text":
        if not isinstance(value, str):
            return [_l("Enter text.")]
        if has_control_characters(value):
            return [_l("Remove the control characters (such as NUL) from this text.")]
        if question.max_length is not None and len(value) > question.max_length:
            return [_l("Write at most %(max)d characters.", max=question.max_length)]
        return []
    if kind == "grid":
        return _grid_problems(question, value)
    if kind == "shares":
        return _shares_problems(question, value)
    return _choice_problems(question, value)


@dataclass
class Validation:
    """Problems found in a set of answers, keyed by the question code the message stands next to."""

    errors: dict[str, list] = field(default_factory=dict)
    warnings: dict[str, list] = field(default_factory=dict)

    def add_error(self, code: str, message: Any) -> None:
        self.errors.setdefault(code, []).append(message)

    def add_warning(self, code: str, message: Any) -> None:
        self.warnings.setdefault(code, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_answers(definition: Definition, answers: Mapping[str, Any], context: Mapping[str, Any],
                     complete: bool, form: str = "shelter", only: set[str] | None = None) -> Validation:
    """Check answers: each value alone, the definition's cross-field checks, and (when `complete`) that every
    required visible question is answered. `only` limits the report to those codes (one page of the form)."""
    result = Validation()
    visible = visible_codes(definition, answers, context, form)
    shown = [code for code in visible if only is None or code in only]
    for code in shown:
        question = definition.question(code)
        value = answers.get(code)
        if is_absent(value):
            if complete and question.required:
                result.add_error(code, _l("Please answer this question."))
            continue
        for problem in value_problems(question, value):
            result.add_error(code, problem)
    visible_answers = {code: answers[code] for code in visible if code in answers}
    for check in definition.checks:
        if check.field not in shown:
            continue
        if evaluate(check.condition, visible_answers, context) is False:
            add = result.add_error if check.level == "error" else result.add_warning
            add(check.field, LocalText(check.message))
    return result

