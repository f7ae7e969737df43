"""The XPath the XLSForm export writes reads back into conditions that decide as the originals do."""
import json
import re
from pathlib import Path

import pytest

from shelter_monitor.questionnaire.conditions import evaluate
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.xpath import constraint, relevant
from shelter_monitor.questionnaire.xpath_reader import XPathError, read_xpath

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text(encoding="utf-8"))
DEFINITION = load_definition()
TYPES = {q.code: q.type for q in DEFINITION.questions}
SOURCES = {q.code: q.choice_values() for q in DEFINITION.questions if q.type == "shares"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compiled_conditions_read_back_decide_alike(case):
    context = case.get("context", {})
    expected = evaluate(case["condition"], case["answers"], context)
    shown = relevant(case["condition"], DEFINITION, context)
    if shown not in ("true()", "false()"):
        assert (evaluate(read_xpath(shown, TYPES, SOURCES), case["answers"], context) is True) is (expected is True)
    holds = constraint(case["condition"], DEFINITION, context)
    if holds not in ("true()", "false()"):
        back = read_xpath(holds, TYPES, SOURCES)
        assert (evaluate(back, case["answers"], context) is not False) is (expected is not False)


@pytest.mark.parametrize(("xpath", "condition"), [
    ("${A5} = 'yes'", {"q": "A5", "eq": True}),
    ("selected(${C8b}, 'male') or ${C1} > 3", {"any": [{"q": "C8b", "has": "male"}, {"q": "C1", "gt": 3}]}),
    ("not(${C1} != '')", {"not": {"q": "C1", "answered": True}}),
    ("count-selected(.) <= 2", {"count": "C8b", "le": 2}),
    (". <= today()", {"q": "C8b", "le": {"ctx": "today"}}),
    ("(${C1} + ${C2}) >= 10", {"sum": ["C1", "C2"], "ge": 10}),
])
def test_hand_written_xpath_reads_as_a_condition(xpath, condition):
    assert read_xpath(xpath, TYPES, SOURCES, own_code="C8b") == condition


@pytest.mark.parametrize(("xpath", "message"), [
    ("${C1} > ", "unexpected end"),
    ("${C1} > 'many'", "C1 is a number; compare it with a number"),
    ("regex(${B1}, 'a+')", "the function regex() is not supported"),
    ("${C1} > 3 garbage", "unexpected 'garbage'"),
    ("${C1} # 3", "cannot read '# 3'"),
])
def test_xpath_outside_the_subset_is_refused_with_a_reason(xpath, message):
    with pytest.raises(XPathError, match=re.escape(message)):
        read_xpath(xpath, TYPES, SOURCES)
