"""Read the answers file of `flask rules evaluate` (recommendations specification, "Checking a file of answers"):

    {"responses": [{"id": "any-id", "answers": {"B2": "UA-46", ...}}, ...],
     "regional": {"UA-46": {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}}}

Everything wrong with the file is an InputError with one plain-English line saying where and what. Answers to
questions that skip logic hides (C8b when C8 is "no") are dropped after the checks, as the web form and the import
drop them, so that the command finds what the app finds.
"""
import json
from collections.abc import Mapping
from typing import Any

from shelter_monitor.questionnaire.answers import prune_hidden, round_context, value_problems
from shelter_monitor.questionnaire.conditions import is_absent
from shelter_monitor.questionnaire.model import Definition, Question

REGION_CODE = "B2"
SHOWN_CHOICES = 12


class InputError(ValueError):
    """The answers file cannot be evaluated; the message is one line naming the place and the problem."""


def _shown(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _listing(values: tuple[str, ...]) -> str:
    shown = ", ".join(values[:SHOWN_CHOICES])
    return shown + (f", ... ({len(values)} in all)" if len(values) > SHOWN_CHOICES else "")


def _expectation(question: Question, value: Any) -> str:
    """What an answer to the question must be, worded for the value given (value_problems found it wrong)."""
    kind = question.type
    if kind == "bool":
        return "must be true or false"
    if kind in ("int", "money"):
        if not isinstance(value, int) or isinstance(value, bool):
            return "must be a whole number"
        if question.min is not None and value < question.min:
            return f"must be at least {question.min}"
        return f"must be at most {question.max}"
    if kind == "date":
        return "must be a date written YYYY-MM-DD"
    if kind == "text":
        return "must be a string"
    choices = question.choice_values()
    if kind == "grid":
        rows = tuple(row.value for row in question.rows)
        return f"must be an object of rows ({_listing(rows)}) each answered one of: {_listing(choices)}"
    if kind == "shares":
        return f"must be an object of whole percentages 0-100 for the sources: {_listing(choices)}"
    if question.choices_from == "rounds":
        return "must be a round code (a string)"
    if question.choices_from == "regions":
        codes = sorted(choices)
        return f"must be one of the {len(codes)} region ISO codes ({codes[0]}, {codes[1]}, ..., {codes[-1]})"
    if kind in ("single", "tri"):
        return f"must be one of: {_listing(choices)}"
    if not isinstance(value, list) or any(v not in choices for v in value):
        return f"must be a list of choices from: {_listing(choices)}"
    exclusive = [c.value for c in question.choices if c.exclusive and c.value in value]
    if exclusive and len(value) > 1:
        return f"cannot combine '{exclusive[0]}' with other choices"
    return f"may hold at most {question.max_choices} choices"


def _checked_answers(raw: Any, definition: Definition, where: str, form: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: the answers must be an object {{question code: answer}}, got {_shown(raw)}")
    for code, value in raw.items():
        if not definition.has_question(code):
            raise InputError(f"{where}: unknown question code '{code}'")
        question = definition.question(code)
        if question.form != form:
            place = "in \"regional\", per region" if question.form == "regional" else "in a response's answers"
            raise InputError(f"{where}: {code} is not a question of this form (it is answered {place})")
        if is_absent(value):
            continue
        if value_problems(question, value):
            raise InputError(f"{where}: {code} {_expectation(question, value)} (got {_shown(value)})")
    return dict(raw)


def _response(raw: Any, index: int, definition: Definition) -> tuple[str, str, dict[str, Any]]:
    if not isinstance(raw, Mapping):
        raise InputError(f"response #{index + 1}: must be an object {{\"id\": ..., \"answers\": {{...}}}}")
    extra = sorted(set(raw) - {"id", "answers"})
    if extra:
        raise InputError(f"response #{index + 1}: unexpected key '{extra[0]}' (expected 'id' and 'answers')")
    response_id = raw.get("id")
    if not isinstance(response_id, str) or not response_id:
        raise InputError(f"response #{index + 1}: 'id' must be a non-empty string, got {_shown(response_id)}")
    where = f"response '{response_id}'"
    if "answers" not in raw:
        raise InputError(f"{where}: 'answers' is missing")
    answers = _checked_answers(raw["answers"], definition, where, "shelter")
    if is_absent(answers.get(REGION_CODE)):
        raise InputError(f"{where}: {REGION_CODE} (the region) is missing")
    return response_id, answers[REGION_CODE], answers


def read_cli_input(text: str, definition: Definition, context: Mapping[str, Any] | None = None,
                   ) -> tuple[list[tuple[str, str, dict]], dict[str, dict]]:
    """Parse and check an answers file: (responses as (id, region, answers), regional forms by region ISO code),
    each holding only the answers to questions asked under the round context (default: a round with the COVID-19
    section and no period), as a stored response would.

    Raises InputError for malformed JSON, a wrong shape, an unknown question code or region, a question of the
    other form, a value of the wrong type or out of range, a duplicate id, or a response without B2."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    if not isinstance(raw, Mapping):
        raise InputError("the file must hold a JSON object with \"responses\" (and optionally \"regional\")")
    extra = sorted(set(raw) - {"responses", "regional"})
    if extra:
        raise InputError(f"unexpected key '{extra[0]}' at the top (expected \"responses\" and \"regional\")")
    if not isinstance(raw.get("responses"), list):
        raise InputError("\"responses\" must be a list of {\"id\": ..., \"answers\": {...}} objects")
    responses = [_response(item, index, definition) for index, item in enumerate(raw["responses"])]
    seen: set[str] = set()
    for response_id, _, _ in responses:
        if response_id in seen:
            raise InputError(f"response '{response_id}': the id appears more than once")
        seen.add(response_id)
    regional_raw = raw.get("regional", {})
    if not isinstance(regional_raw, Mapping):
        raise InputError("\"regional\" must be an object {region ISO code: {\"I4\": ..., ...}}")
    regions = definition.question(REGION_CODE).choice_values()
    regional = {}
    for region, answers in regional_raw.items():
        if region not in regions:
            raise InputError(f"regional: unknown region '{region}' (expected a region ISO code such as UA-46)")
        regional[region] = _checked_answers(answers, definition, f"regional '{region}'", "regional")
    context = round_context(True, None, None) if context is None else context
    return ([(response_id, region, prune_hidden(definition, answers, context))
             for response_id, region, answers in responses],
            {region: prune_hidden(definition, answers, context, "regional") for region, answers in regional.items()})
