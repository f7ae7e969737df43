"""The WTForms form built from the definition: the right field per answer type, and answers back out of it."""
import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import DateField, FormField, IntegerField, RadioField, SelectField, StringField, TextAreaField

from shelter_monitor.questionnaire.forms import MultiCheckboxField, answers_from_form, build_form_class, form_data
from shelter_monitor.questionnaire.loader import load_definition

DEFINITION = load_definition()


@pytest.fixture(autouse=True)
def request_context():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    Babel(app)
    with app.test_request_context(method="POST"):
        yield


@pytest.mark.parametrize("code, field_class", [
    ("A2", DateField), ("A3", RadioField), ("A5", RadioField), ("B2", SelectField), ("B4", SelectField),
    ("B1", StringField), ("C1", IntegerField), ("C8", RadioField), ("C8b", MultiCheckboxField),
    ("E1", FormField), ("I1", FormField), ("I5", IntegerField), ("L2", TextAreaField),
])
def test_each_answer_type_gets_its_field(code, field_class):
    form = build_form_class(DEFINITION.questions, {})()
    assert isinstance(form[code], field_class)


def test_the_round_question_is_set_by_the_platform_not_typed():
    assert "A1" not in build_form_class(DEFINITION.section("A").questions, {})()


def test_every_section_builds():
    for section in DEFINITION.sections:
        form = build_form_class(section.questions, {})()
        assert len(list(form)) >= 1


def test_posted_page_becomes_json_answers():
    questions = DEFINITION.section("C").questions + DEFINITION.section("E").questions + (
        DEFINITION.question("I1"), DEFINITION.question("A2"), DEFINITION.question("K3"))
    posted = MultiDict([("C1", "20"), ("C2", ""), ("C8", "yes"), ("C8b", "male"), ("C8b", "group"),
                        ("E1-psych", "inhouse"), ("E1-legal_rep", "referral"), ("E2", "false"),
                        ("I1-state", "70"), ("I1-donor", "30"), ("A2", "2020-10-12"), ("K3", "true")])
    form = build_form_class(questions, {})(formdata=posted)
    assert form.validate(), form.errors
    answers = answers_from_form(form, questions)
    assert answers["C1"] == 20 and answers["C2"] is None
    assert answers["C8b"] == ["male", "group"]
    assert answers["E1"] == {"psych": "inhouse", "legal_rep": "referral"}
    assert answers["E2"] is False and answers["K3"] is True
    assert answers["I1"] == {"state": 70, "donor": 30}
    assert answers["A2"] == "2020-10-12"


def test_stored_answers_fill_the_form_back():
    questions = DEFINITION.section("C").questions + (DEFINITION.question("A2"), DEFINITION.question("E1"))
    stored = {"C1": 20, "C8": "yes", "C8b": ["male"], "A2": "2020-10-12", "E1": {"psych": "inhouse"}}
    form = build_form_class(questions, stored)(data=form_data(questions, stored))
    assert form["C1"].data == 20 and form["C8b"].data == ["male"]
    assert str(form["A2"].data) == "2020-10-12"
    assert form["E1"]["psych"].data == "inhouse"


def test_a_non_number_is_refused_by_the_field():
    questions = (DEFINITION.question("C1"),)
    form = build_form_class(questions, {})(formdata=MultiDict([("C1", "twelve")]))
    assert not form.validate() and form.errors["C1"]
