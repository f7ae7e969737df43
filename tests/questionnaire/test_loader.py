import copy
import json

import pytest

from shelter_monitor.questionnaire.loader import (
    DEFINITIONS_DIR,
    DefinitionError,
    load_definition,
    parse_definition,
)
from shelter_monitor.regions.data import region_records

SPEC_CODES = [
    "A1", "A2", "A3", "A4", "A4_other", "A5", "B1", "B2", "B3", "B3_katottg", "B4", "B5", "B6", "B7", "B8",
    "C1", "C2", "C3", "C4", "C5a", "C5b", "C5c", "C5d", "C6", "C7", "C8", "C8a", "C8b", "C9", "C10", "D1", "D2",
    "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10", "D11", "D12", "D12a", "D12b", "D13", "D13a", "D14", "D14a",
    "D14b", "E1", "E2", "E3", "F1", "F2a", "F2b", "F2c", "F2d", "F2e", "F2f", "F3", "F4", "F5", "F6", "F6a",
    "F7", "G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "H1", "H2", "H3a", "H3b", "H4", "H5", "H6",
    "H7", "H8", "I1", "I2", "I3", "I4", "I4a_allocated", "I4a_disbursed", "I5", "J1", "J2", "J3a", "J3b", "J4",
    "J5", "J6", "K1", "K1a_from", "K1a_to", "K2", "K2a", "K3", "K3a", "K4", "K5", "K6", "K7", "K8", "K9", "K10",
    "L1", "L2", "L3",
]


@pytest.fixture
def raw():
    return json.loads((DEFINITIONS_DIR / "2020.1.json").read_text(encoding="utf-8"))


def _question(raw, code):
    return next(q for s in raw["sections"] for q in s["questions"] if q["code"] == code)


def test_default_definition_holds_every_code_of_the_spec_once():
    definition = load_definition()
    assert [q.code for q in definition.questions] == SPEC_CODES
    assert [s.code for s in definition.sections] == list("ABCDEFGHIJKL")


def test_every_question_and_choice_has_both_languages():
    for question in load_definition().questions:
        assert question.label["en"] and question.label["uk"], question.code
        for choice in question.choices + question.rows:
            assert choice.label["en"] and choice.label["uk"], (question.code, choice.value)


def test_choice_lists_come_from_the_spec():
    definition = load_definition()
    assert len(definition.question("B4").choices) == 13
    assert definition.question("B2").choice_values() == tuple(r.iso_code for r in region_records())
    assert "stay_limit" in definition.question("C8b").choice_values()
    l1 = definition.question("L1")
    assert set(definition.question("C8b").choice_values()) < set(l1.choice_values())
    assert {"funding", "staff", "premises", "coordination"} <= set(l1.choice_values())
    assert l1.max_choices == 3
    assert definition.question("D10").choice("none").exclusive
    assert [q.code for q in definition.regional_questions()] == ["I4", "I4a_allocated", "I4a_disbursed"]


def test_unknown_type_is_refused_with_its_code(raw):
    _question(raw, "C1")["type"] = "number"
    with pytest.raises(DefinitionError, match="question C1: unknown type 'number'"):
        parse_definition(raw)


def test_duplicate_codes_are_refused(raw):
    raw["sections"][2]["questions"].append(copy.deepcopy(_question(raw, "C1")))
    with pytest.raises(DefinitionError, match="duplicate question codes: C1"):
        parse_definition(raw)


def test_skip_rule_naming_a_missing_question_is_refused(raw):
    _question(raw, "C8a")["show_if"] = {"q": "C99", "eq": "yes"}
    with pytest.raises(DefinitionError, match="question C8a: refers to unknown question 'C99'"):
        parse_definition(raw)


def test_skip_rule_naming_a_later_question_is_refused(raw):
    _question(raw, "C8a")["show_if"] = {"q": "D1", "has": "adult_men"}
    with pytest.raises(DefinitionError, match="refers to 'D1', which does not come before it"):
        parse_definition(raw)


def test_skip_rule_naming_an_unknown_choice_is_refused(raw):
    _question(raw, "C8a")["show_if"] = {"q": "C8", "eq": "maybe"}
    with pytest.raises(DefinitionError, match="C8 has no choice \\['maybe'\\]"):
        parse_definition(raw)


def test_malformed_condition_is_refused(raw):
    _question(raw, "C8a")["show_if"] = {"q": "C8", "equals": "yes"}
    with pytest.raises(DefinitionError, match="malformed condition"):
        parse_definition(raw)


def test_missing_ukrainian_label_is_refused(raw):
    del _question(raw, "C3")["label"]["uk"]
    with pytest.raises(DefinitionError, match="question C3: a label needs both"):
        parse_definition(raw)


def test_check_on_unknown_field_is_refused(raw):
    raw["checks"][0]["field"] = "Z9"
    with pytest.raises(DefinitionError, match="field 'Z9' is not a question"):
        parse_definition(raw)


def test_unknown_version_is_a_clear_error():
    with pytest.raises(DefinitionError, match="no questionnaire definition for version '1999.1'"):
        load_definition("1999.1")


def test_text_answers_have_a_maximum_length():
    definition = load_definition()
    assert definition.question("L2").max_length == 4000  # multi-line
    assert definition.question("B3_katottg").max_length == 24
    assert all(q.max_length for q in definition.questions if q.type == "text")
    assert all(q.max is not None for q in definition.questions if q.type in ("int", "money"))


def test_max_length_on_a_number_question_is_refused(raw):
    _question(raw, "C1")["max_length"] = 10
    with pytest.raises(DefinitionError, match="question C1: max_length is for text questions only"):
        parse_definition(raw)


@pytest.mark.parametrize("length", [0, -5, "long", 10**6, True])
def test_max_length_that_is_not_a_sensible_number_is_refused(raw, length):
    _question(raw, "L2")["max_length"] = length
    with pytest.raises(DefinitionError, match="question L2: max_length must be a whole number from 1 to 100000"):
        parse_definition(raw)


def test_number_maximum_beyond_an_integer_column_is_refused(raw):
    _question(raw, "C1")["max"] = 2**31
    with pytest.raises(DefinitionError, match="question C1: min and max must be whole numbers, min <= max <= "):
        parse_definition(raw)
