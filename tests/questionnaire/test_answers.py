"""Skip logic and validation over answers, as the definition states them."""
import datetime as dt

import pytest
from flask import Flask
from flask_babel import Babel

from shelter_monitor.questionnaire.answers import prune_hidden, round_context, validate_answers, visible_codes
from shelter_monitor.questionnaire.loader import load_definition

DEFINITION = load_definition()
CONTEXT = round_context(True, dt.date(2020, 10, 1), dt.date(2020, 10, 31), today=dt.date(2020, 11, 30))


@pytest.fixture(autouse=True)
def request_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def messages(validation, code, kind="errors"):
    return [str(m) for m in getattr(validation, kind).get(code, [])]


def visible(answers, context=CONTEXT):
    return set(visible_codes(DEFINITION, answers, context))


@pytest.mark.parametrize("trigger, shown, hidden, codes", [
    ("C8", "yes", "no", ["C8a", "C8b"]),
    ("D12", "yes", "no", ["D12a", "D12b"]),
    ("D13", "yes", "unknown", ["D13a"]),
    ("D14", "yes", "no", ["D14a", "D14b"]),
    ("K1", "partly", "no", ["K1a_from", "K1a_to"]),
    ("K3", True, False, ["K3a"]),
    ("A4", "other", "director", ["A4_other"]),
    ("F6", True, False, ["F6a"]),
    ("B5", "ngo", "state", ["I3"]),
])
def test_skip_rules(trigger, shown, hidden, codes):
    assert set(codes) <= visible({trigger: shown})
    assert not set(codes) & visible({trigger: hidden})


def test_children_questions_follow_d1_and_d4_stays_asked():
    assert {"D2", "D3", "D4"} <= visible({"B4": "cspa", "D1": ["mothers_children"]})
    without_children = visible({"B4": "cspa", "D1": ["adult_women"]})
    assert not {"D2", "D3"} & without_children
    assert "D4" in without_children


def test_childrens_institutions_hide_adult_items_and_relabel_c5():
    answers = {"B4": "child_shelter", "D1": ["adult_men", "adult_women"]}
    assert not {"D4", "G5"} & visible(answers)
    from shelter_monitor.questionnaire.answers import question_label

    assert question_label(DEFINITION.question("C5a"), answers) != DEFINITION.question("C5a").label
    assert question_label(DEFINITION.question("C5a"), {"B4": "cspa"}) == DEFINITION.question("C5a").label


def test_g5_needs_both_sexes():
    assert "G5" in visible({"B4": "cspa", "D1": ["adult_men", "adult_women"]})
    assert "G5" not in visible({"B4": "cspa", "D1": ["adult_women"]})


def test_k2a_follows_isolation_or_observation():
    assert "K2a" in visible({"K2": ["pcr", "observation"]})
    assert "K2a" not in visible({"K2": ["pcr"]})


def test_covid_section_off_hides_section_k():
    off = round_context(False, dt.date(2019, 10, 1), dt.date(2019, 10, 31))
    assert not [c for c in visible({}, off) if c.startswith("K")]
    assert "K1" in visible({})


def test_regional_questions_are_not_on_the_shelter_form():
    assert not {"I4", "I4a_allocated", "I4a_disbursed"} & visible({"I4": "yes"})
    assert set(visible_codes(DEFINITION, {"I4": "yes"}, CONTEXT, form="regional")) == {
        "I4", "I4a_allocated", "I4a_disbursed"}
    assert visible_codes(DEFINITION, {"I4": "no"}, CONTEXT, form="regional") == ["I4"]


def test_hidden_answers_are_dropped_along_the_chain():
    answers = {"C8": "no", "C8a": 3, "C8b": ["male"], "D12": "yes", "D12a": ["health"], "D12b": 120}
    pruned = prune_hidden(DEFINITION, answers, CONTEXT)
    assert "C8a" not in pruned and "C8b" not in pruned
    assert pruned["D12b"] == 120


@pytest.mark.parametrize("answers, field", [
    ({"C1": 10, "C2": 11}, "C2"),
    ({"C3": 5, "C4": 6}, "C4"),
    ({"F1": 4, "F4": 5}, "F4"),
    ({"I1": {"state": 50, "donor": 30}}, "I1"),
    ({"D11": 90, "D12": "yes", "D12b": 60}, "D12b"),
    ({"K1": "fully", "K1a_from": "2020-05-01", "K1a_to": "2020-04-01"}, "K1a_to"),
    ({"C5a": 1, "C5b": 1, "C5c": 0, "C5d": 0, "C6": 3}, "C6"),
    ({"A2": "2020-12-15"}, "A2"),
    ({"A5": False}, "A5"),
])
def test_cross_field_checks_give_a_message_next_to_the_field(answers, field):
    validation = validate_answers(DEFINITION, answers, CONTEXT, complete=False)
    assert messages(validation, field), validation.errors
    assert list(validation.errors) == [field]


@pytest.mark.parametrize("answers", [
    {"C1": 10, "C2": 10},
    {"I1": {"state": 60, "donor": 40}},
    {"I1": {"state": 50, "donor": 51}},
    {"D11": 0, "D12": "yes", "D12b": 0},
    {"C1": 10},
])
def test_checks_hold_at_their_boundaries(answers):
    assert validate_answers(DEFINITION, answers, CONTEXT, complete=False).ok


def test_visit_outside_the_round_is_a_warning_not_an_error():
    validation = validate_answers(DEFINITION, {"A2": "2020-09-20"}, CONTEXT, complete=False)
    assert validation.ok
    assert messages(validation, "A2", "warnings")


def test_visit_in_the_future_is_an_error():
    context = round_context(True, dt.date(2020, 10, 1), dt.date(2030, 10, 31), today=dt.date(2026, 1, 1))
    assert messages(validate_answers(DEFINITION, {"A2": "2027-01-01"}, context, complete=False), "A2")


def test_none_excludes_other_choices_and_l1_takes_three():
    validation = validate_answers(DEFINITION, {"D10": ["none", "hiv"], "L1": ["funding", "staff", "premises", "male"]},
                                  CONTEXT, complete=False)
    assert messages(validation, "D10") and messages(validation, "L1")


@pytest.mark.parametrize("code, value", [
    ("C1", -1), ("C1", "ten"), ("C1", True), ("A3", "carrier_pigeon"), ("D1", ["aliens"]), ("A2", "2020-13-01"),
    ("A5", "yes"), ("E1", {"psych": "sometimes"}), ("E1", {"spa": "inhouse"}), ("I1", {"lottery": 100}),
])
def test_wrongly_typed_values_are_reported(code, value):
    assert messages(validate_answers(DEFINITION, {code: value}, CONTEXT, complete=False), code)


def test_a_draft_may_miss_anything_but_submission_needs_every_required_visible_answer():
    assert validate_answers(DEFINITION, {}, CONTEXT, complete=False).ok
    complete = validate_answers(DEFINITION, {"C8": "no"}, CONTEXT, complete=True)
    assert "A2" in complete.errors and "C1" in complete.errors
    assert "C8a" not in complete.errors  # hidden
    assert "L2" not in complete.errors  # text is never required
    assert "I5" not in complete.errors  # optional
