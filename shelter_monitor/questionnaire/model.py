"""The questionnaire definition as immutable objects (built by loader.py from the JSON file)."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Label = Mapping[str, str]

TYPES = ("bool", "tri", "single", "multi", "int", "money", "date", "text", "grid", "shares")
NUMBER_TYPES = ("int", "money")
CHOICE_TYPES = ("single", "multi", "grid", "shares")
INTEGER_MAX = 2**31 - 1  # no number answer exceeds what an INTEGER column holds
TRI_VALUES = ("yes", "no", "unknown")


def localize(label: Label, locale: str) -> str:
    """The label in the locale, falling back to English."""
    return label.get(locale) or label.get("en", "")


def question_number(code: str) -> str:
    """What readers see of a question code: its number, without the part after "_" that names one field of a
    printed question in the data ("K1a_from" and "K1a_to" are both "K1a", "B3_katottg" is "B3")."""
    return code.split("_", 1)[0]


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    label: Label
    section: str
    choices: tuple[Choice, ...] = ()
    rows: tuple[Choice, ...] = ()
    choices_from: str | None = None
    show_if: Mapping[str, Any] | None = None
    optional: bool = False
    min: int | None = None
    max: int | None = None
    max_choices: int | None = None
    multiline: bool = False
    max_length: int | None = None  # text only: characters
    form: str = "shelter"
    prefill: str | None = None
    label_if: tuple[tuple[Mapping[str, Any], Label], ...] = ()
    help: Label | None = None

    @property
    def required(self) -> bool:
        return not self.optional and self.type != "text"

    @property
    def number(self) -> str:
        """The question's number as the questionnaire prints it: question_number(code)."""
        return question_number(self.code)

    def choice_values(self) -> tuple[str, ...]:
        if self.type == "tri":
            return TRI_VALUES
        return tuple(choice.value for choice in self.choices)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Section:
    code: str
    label: Label
    questions: tuple[Question, ...]
    show_if: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Check:
    code: str
    field: str
    condition: Mapping[str, Any]
    message: Label
    level: str = "error"


@dataclass(frozen=True)
class Definition:
    version: str
    title: Label
    sections: tuple[Section, ...]
    checks: tuple[Check, ...]
    _by_code: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for question in section.questions:
                self._by_code[question.code] = question

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._by_code.values())

    def question(self, code: str) -> Question:
        return self._by_code[code]

    def has_question(self, code: str) -> bool:
        return code in self._by_code

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)

    def shelter_sections(self) -> tuple[Section, ...]:
        """Sections of the per-shelter form (those with at least one shelter question)."""
        return tuple(s for s in self.sections if any(q.form == "shelter" for q in s.questions))

    def regional_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.form == "regional")


def reads_mismatch(definition: Definition, reads: Mapping[str, tuple[str, tuple[str, ...]]],
                   reader: str) -> str | None:
    """The first question code, type or choice value in `reads` ({code: (type, choice values)}) that the
    definition lacks or defines otherwise, as a sentence naming `reader`; None when they all agree."""
    for code, (kind, values) in reads.items():
        if not definition.has_question(code):
            return f"{reader} reads {code}, which questionnaire {definition.version} does not have"
        question = definition.question(code)
        if question.type != kind:
            return f"{reader} reads {code} as {kind}, but questionnaire {definition.version} has it as {question.type}"
        missing = [value for value in values if value not in question.choice_values()]
        if missing:
            return (f"{reader} reads choice {missing[0]!r} of {code}, which questionnaire {definition.version} "
                    f"does not offer")
    return None
