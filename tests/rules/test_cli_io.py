"""Reading the answers file of the rules command: what is accepted, and a clear one-line error for the rest."""
import json

import pytest

from shelter_monitor.questionnaire.answers import round_context
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.rules.cli_io import InputError, read_cli_input
from shelter_monitor.rules.engine import evaluate_round, load_rules, to_cli_output

DEFINITION = load_definition("2020.1")

SPEC_EXAMPLE = {
    "responses": [{"id": "any-id", "answers": {"B2": "UA-46", "B4": "cspa", "D11": 60, "D12": "no", "D4": "no"}}],
    "regional": {"UA-46": {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}},
}


def read(data) -> tuple:
    return read_cli_input(data if isinstance(data, str) else json.dumps(data), DEFINITION)


def with_answers(**answers) -> dict:
    return {"responses": [{"id": "x", "answers": {"B2": "UA-46", **answers}}]}


def test_reads_the_spec_example():
    responses, regional = read(SPEC_EXAMPLE)
    assert responses == [("any-id", "UA-46", SPEC_EXAMPLE["responses"][0]["answers"])]
    assert regional == SPEC_EXAMPLE["regional"]


def test_the_spec_example_evaluates():
    responses, regional = read(SPEC_EXAMPLE)
    output = to_cli_output(evaluate_round(load_rules(DEFINITION), responses, regional))
    assert output == {
        "shelters": {"any-id": [
            {"code": "M1", "severity": "medium", "evidence": {"B4": "cspa", "D11": 60, "D12": "no"}},
            {"code": "R5", "severity": "medium", "evidence": {"D4": "no"}},
        ]},
        "regions": {"UA-46": [
            {"code": "R5", "severity": "high", "shelters": ["any-id"]},
            {"code": "R7", "severity": "medium", "shelters": []},
        ]},
        "national": [{"code": "M1", "severity": "medium", "regions": ["UA-46"], "shelters": ["any-id"]}],
    }


def test_regional_is_optional_and_null_answers_are_absent():
    responses, regional = read(with_answers(C1=None, D1=[], B1=""))
    assert regional == {}
    assert responses[0][0:2] == ("x", "UA-46")


def test_every_answer_type_is_accepted():
    answers = {"A1": "2020-10", "A2": "2020-10-12", "B1": "Притулок", "B4": "cspa", "B7": False, "C1": 10,
               "C8": "unknown", "D1": ["adult_women"], "D10": ["none"], "E1": {"psych": "inhouse"},
               "I1": {"local": 60, "donor": 40}, "I5": 300}
    responses, _ = read(with_answers(**answers))
    assert responses[0][2] == {"B2": "UA-46", **answers}


ERRORS = [
    ("not JSON", "{", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    ("not an object", "[]", 'the file must hold a JSON object with "responses" (and optionally "regional")'),
    ("responses missing", {}, '"responses" must be a list'),
    ("responses not a list", {"responses": {}}, '"responses" must be a list'),
    ("unknown top-level key", {"responses": [], "rounds": []}, "unexpected key 'rounds' at the top"),
    ("response not an object", {"responses": [1]}, "response #1: must be an object"),
    ("response with an unknown key", {"responses": [{"id": "x", "answers": {}, "notes": ""}]},
     "response #1: unexpected key 'notes'"),
    ("id missing", {"responses": [{"answers": {"B2": "UA-46"}}]}, "response #1: 'id' must be a non-empty string"),
    ("id not a string", {"responses": [{"id": 5, "answers": {"B2": "UA-46"}}]},
     "response #1: 'id' must be a non-empty string, got 5"),
    ("answers missing", {"responses": [{"id": "x"}]}, "response 'x': 'answers' is missing"),
    ("answers not an object", {"responses": [{"id": "x", "answers": []}]},
     "response 'x': the answers must be an object"),
    ("duplicate id", {"responses": [{"id": "x", "answers": {"B2": "UA-46"}}, {"id": "x", "answers": {"B2": "UA-12"}}]},
     "response 'x': the id appears more than once"),
    ("B2 missing", {"responses": [{"id": "x", "answers": {"B4": "cspa"}}]}, "response 'x': B2 (the region) is missing"),
    ("unknown region", with_answers(B2="UA-99"),
     "response 'x': B2 must be one of the 27 region ISO codes (UA-05, UA-07, ..., UA-77) (got 'UA-99')"),
    ("unknown question code", with_answers(Z9=1), "response 'x': unknown question code 'Z9'"),
    ("regional question in a response", with_answers(I4="yes"), "response 'x': I4 is not a question of this form"),
    ("text for a number", with_answers(C1="ten"), "response 'x': C1 must be a whole number (got 'ten')"),
    ("fraction for a number", with_answers(C1=2.5), "response 'x': C1 must be a whole number (got 2.5)"),
    ("true for a number", with_answers(C1=True), "response 'x': C1 must be a whole number (got true)"),
    ("negative number", with_answers(C1=-1), "response 'x': C1 must be at least 0 (got -1)"),
    ("text for a bool", with_answers(B7="yes"), "response 'x': B7 must be true or false (got 'yes')"),
    ("unknown choice", with_answers(B4="hostel"), "response 'x': B4 must be one of: cspa, ngo_tip,"),
    ("unknown tri value", with_answers(C8="maybe"), "response 'x': C8 must be one of: yes, no, unknown (got 'maybe')"),
    ("multi not a list", with_answers(D1="adult_men"), "response 'x': D1 must be a list of choices from: adult_women,"),
    ("multi with an unknown choice", with_answers(D1=["adult_men", "pets"]),
     "response 'x': D1 must be a list of choices from"),
    ("exclusive choice combined", with_answers(D10=["none", "hiv"]),
     "response 'x': D10 cannot combine 'none' with other choices"),
    ("too many choices", with_answers(L1=["male", "funding", "staff", "premises"]),
     "response 'x': L1 may hold at most 3 choices"),
    ("bad date", with_answers(A2="12.10.2020"),
     "response 'x': A2 must be a date written YYYY-MM-DD (got '12.10.2020')"),
    ("number for text", with_answers(B1=5), "response 'x': B1 must be a string (got 5)"),
    ("unknown funding source", with_answers(I1={"lottery": 100}),
     "response 'x': I1 must be an object of whole percentages 0-100 for the sources: state,"),
    ("share over 100", with_answers(I1={"local": 120}), "response 'x': I1 must be an object of whole percentages"),
    ("unknown grid row", with_answers(E1={"massage": "inhouse"}), "response 'x': E1 must be an object of rows"),
    ("regional not an object", {"responses": [], "regional": []}, '"regional" must be an object'),
    ("regional for an unknown region", {"responses": [], "regional": {"Lviv": {"I4": "no"}}},
     "regional: unknown region 'Lviv'"),
    ("regional form not an object", {"responses": [], "regional": {"UA-46": "no"}},
     "regional 'UA-46': the answers must be an object"),
    ("shelter question in a regional form", {"responses": [], "regional": {"UA-46": {"C1": 3}}},
     "regional 'UA-46': C1 is not a question of this form"),
    ("wrong type in a regional form", {"responses": [], "regional": {"UA-46": {"I4a_allocated": "lots"}}},
     "regional 'UA-46': I4a_allocated must be a whole number (got 'lots')"),
    ("unknown code in a regional form", {"responses": [], "regional": {"UA-46": {"I9": 1}}},
     "regional 'UA-46': unknown question code 'I9'"),
]


@pytest.mark.parametrize(("data", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_input_error(data, message):
    with pytest.raises(InputError) as raised:
        read(data)
    text = str(raised.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_long_values_are_cut_short():
    with pytest.raises(InputError) as raised:
        read(with_answers(C1="x" * 500))
    assert len(str(raised.value)) < 150


HIDDEN_REFUSALS = {"B2": "UA-46", "B4": "cspa", "D11": 60, "D12": "no", "D4": "no", "C8a": 5,
                   "C8b": ["stay_limit", "male", "with_children", "child_under3", "father_with_child",
                           "no_registration", "foreigner"]}


def _severities(answers) -> list[tuple[str, str]]:
    responses, regional = read(with_answers(**answers))
    output = to_cli_output(evaluate_round(load_rules(DEFINITION), responses, regional))
    return [(f["code"], f["severity"]) for f in output["shelters"]["x"]]


def test_answers_hidden_by_skip_logic_are_dropped_as_the_app_drops_them():
    asked = {**HIDDEN_REFUSALS, "C8": "yes"}
    assert _severities(asked) == [("M1", "high"), ("R4", "high"), ("R5", "high"), ("R6", "high")]
    hidden = {**HIDDEN_REFUSALS, "C8": "no"}
    (response,), _ = read(with_answers(**hidden))
    assert "C8a" not in response[2] and "C8b" not in response[2]
    assert _severities(hidden) == [("M1", "medium"), ("R5", "medium")]


def test_the_covid_section_follows_the_round_context():
    data = json.dumps(with_answers(K1="no"))
    assert read_cli_input(data, DEFINITION)[0][0][2]["K1"] == "no"
    assert "K1" not in read_cli_input(data, DEFINITION, round_context(False, None, None))[0][0][2]
