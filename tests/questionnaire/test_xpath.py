"""The condition case table through the XPath the XLSForm carries, run by elementpath with ODK's functions."""
import datetime as dt
import json
import math
import re
from pathlib import Path
from xml.etree import ElementTree

import elementpath
import pytest
from elementpath import XPath2Parser

from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.xpath import BOOL_VALUES, CompileError, constraint, part_name, relevant, truth

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text(encoding="utf-8"))
REFERENCE = re.compile(r"\$\{([^}]+)\}")


def _text(item) -> str:
    if item is None:
        return ""
    return item.string_value if hasattr(item, "string_value") else str(item)


def _days(value) -> float:
    """ODK compares dates as days since 1970-01-01."""
    try:
        return float((dt.date.fromisoformat(_text(value)) - dt.date(1970, 1, 1)).days)
    except ValueError:
        return math.nan


def odk_parser(today: str | None) -> XPath2Parser:
    """XPath 2.0 in its XPath 1.0 compatibility mode, with the ODK functions the compiled conditions call."""
    parser = XPath2Parser(compatibility_mode=True)
    parser.external_function(lambda value, choice: choice in _text(value).split(), name="selected",
                             sequence_types=("item()?", "xs:string", "xs:boolean"))
    parser.external_function(lambda value: len(_text(value).split()), name="count-selected",
                             sequence_types=("item()?", "xs:integer"))
    parser.external_function(lambda value, default: _text(value) if _text(value) != "" else default,
                             name="coalesce", sequence_types=("item()?", "item()", "item()"))
    parser.external_function(_days, name="date", sequence_types=("item()?", "xs:double"))
    parser.external_function(lambda: _days(today or ""), name="today", sequence_types=("xs:double",))
    return parser


def instance(answers: dict, names: set[str]) -> ElementTree.Element:
    """The XForm instance of a set of answers: one element per field, blank when unanswered."""
    values = dict.fromkeys(names, "")
    for code, value in answers.items():
        if isinstance(value, dict):
            values |= {part_name(code, key): str(share) for key, share in value.items()}
        elif isinstance(value, list):
            values[code] = " ".join(value)
        elif isinstance(value, bool):
            values[code] = BOOL_VALUES[value]
        else:
            values[code] = str(value)
    root = ElementTree.Element("data")
    for name, value in values.items():
        ElementTree.SubElement(root, name).text = value
    return root


def run(expression: str, answers: dict, today: str | None) -> bool:
    names = set(REFERENCE.findall(expression))
    path = REFERENCE.sub(lambda match: f"/data/{match.group(1)}", expression)
    result = odk_parser(today).parse(path).evaluate(elementpath.XPathContext(instance(answers, names)))
    return bool(result)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_xpath_agrees_with_the_evaluator(case):
    definition = load_definition()
    context = case.get("context", {})
    shown, holds = relevant(case["condition"], definition, context), constraint(case["condition"], definition, context)
    assert run(shown, case["answers"], context.get("today")) is (case["expected"] is True), shown
    assert run(holds, case["answers"], context.get("today")) is (case["expected"] is not False), holds


def test_every_condition_of_the_definition_compiles_and_parses():
    definition = load_definition()
    conditions = [s.show_if for s in definition.sections if s.show_if]
    conditions += [q.show_if for q in definition.questions if q.show_if]
    conditions += [c.condition for c in definition.checks]
    parser = odk_parser("2020-10-15")
    for condition in conditions:
        for expression in truth(condition, definition, {"covid_section": True}):
            parser.parse(REFERENCE.sub(lambda match: f"/data/{match.group(1)}", expression))


def test_a_round_value_decides_at_compile_time():
    definition = load_definition()
    covid = {"ctx": "covid_section", "eq": True}
    assert relevant(covid, definition, {"covid_section": True}) == "true()"
    assert relevant(covid, definition, {"covid_section": False}) == "false()"
    assert relevant(covid, definition, {}) == "false()"


def test_a_grid_answer_cannot_be_compared_whole():
    with pytest.raises(CompileError, match="E1: a grid answer"):
        relevant({"q": "E1", "eq": "yes"}, load_definition())
