"""WTForms forms built from the definition: one page per section, one field per question, named by its code.

Fields only check that each value has the right type; requiredness and cross-field checks come from
`answers.validate_answers`, so the same rules hold for the web form, imports and the API.
"""
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField  # takes uploaded files only: a plain field of that name is no file
from wtforms import (
    DateField,
    Field,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from shelter_monitor.collation import collated
from shelter_monitor.inputs import BaseForm
from shelter_monitor.questionnaire.answers import LocalText, question_label
from shelter_monitor.questionnaire.conditions import is_absent
from shelter_monitor.questionnaire.model import Question

SELECT_THRESHOLD = 6
BOOL_CHOICES = [("true", _l("Yes")), ("false", _l("No"))]
TRI_CHOICES = [("yes", _l("Yes")), ("no", _l("No")), ("unknown", _l("Don't know"))]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubForm(BaseForm):
    class Meta:
        csrf = False


def _choices(question: Question) -> list[tuple[str, Any]]:
    """The question's choices in questionnaire order; regions in the alphabetical order of the reader's language
    (the form class is built per request, so str() of a label is in that language)."""
    choices = [(c.value, LocalText(c.label)) for c in question.choices]
    return collated(choices, key=lambda choice: str(choice[1])) if question.choices_from == "regions" else choices


def _grid_form(question: Question) -> type[SubForm]:
    columns = _choices(question)
    fields = {row.value: RadioField(LocalText(row.label), choices=columns, validators=[Optional()])
              for row in question.rows}
    return type(f"Grid{question.code}", (SubForm,), fields)


def _shares_form(question: Question) -> type[SubForm]:
    fields = {c.value: IntegerField(LocalText(c.label), validators=[Optional(), NumberRange(0, 100)])
              for c in question.choices}
    return type(f"Shares{question.code}", (SubForm,), fields)


def build_field(question: Question, label: Any) -> Field:
    """The WTForms field for one question (type checks only)."""
    kind = question.type
    optional = [Optional()]
    if kind == "bool":
        return RadioField(label, choices=BOOL_CHOICES, validators=optional)
    if kind == "tri":
        return RadioField(label, choices=TRI_CHOICES, validators=optional)
    if kind == "single":
        if len(question.choices) > SELECT_THRESHOLD:
            return SelectField(label, choices=[("", _l("— choose —"))] + _choices(question), validators=optional)
        return RadioField(label, choices=_choices(question), validators=optional)
    if kind == "multi":
        return MultiCheckboxField(label, choices=_choices(question), validators=optional)
    if kind in ("int", "money"):
        bounds = {name: value for name, value in (("min", question.min), ("max", question.max)) if value is not None}
        return IntegerField(label, validators=optional + [NumberRange(**bounds)])  # an unset bound is no max="None"
    if kind == "date":
        return DateField(label, validators=optional)
    if kind == "grid":
        return FormField(_grid_form(question), label=label)
    if kind == "shares":
        return FormField(_shares_form(question), label=label)
    length = [Length(max=question.max_length, message=_l("Write at most %(max)d characters."))]
    if question.multiline:
        return TextAreaField(label, validators=optional + length)
    return StringField(label, validators=optional + length)


def form_questions(questions: Iterable[Question]) -> list[Question]:
    """The questions a person answers (A1, the round, is set by the platform)."""
    return [q for q in questions if q.choices_from != "rounds"]


def build_form_class(questions: Iterable[Question], answers: Mapping[str, Any]) -> type[FlaskForm]:
    """A form class for these questions, labelled for the current answers (label_if)."""
    fields = {q.code: build_field(q, LocalText(question_label(q, answers))) for q in form_questions(questions)}
    return type("QuestionnaireForm", (BaseForm,), fields)


def _to_form_value(question: Question, value: Any) -> Any:
    if question.type == "bool":
        return "true" if value else "false"
    if question.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def form_data(questions: Iterable[Question], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers as the data to populate a form with."""
    return {q.code: _to_form_value(q, answers[q.code]) for q in form_questions(questions) if q.code in answers}


def _from_subform(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if not is_absent(value) and key != "csrf_token"}


def _from_field(question: Question, data: Any) -> Any:
    if question.type == "bool":
        return {"true": True, "false": False}.get(data)
    if question.type == "date":
        return data.isoformat() if data else None
    if question.type in ("grid", "shares"):
        return _from_subform(data or {})
    if question.type == "text":
        return (data or "").strip()
    return data


def answers_from_form(form: FlaskForm, questions: Iterable[Question]) -> dict[str, Any]:
    """The answers a submitted page holds, as JSON values; an empty field gives None (absent)."""
    result = {}
    for question in form_questions(questions):
        value = _from_field(question, form[question.code].data)
        result[question.code] = None if is_absent(value) else value
    return result


def _flatten(errors) -> list:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    return list(errors)


def field_messages(form: FlaskForm, problems: Mapping[str, list] | None = None) -> dict[str, list]:
    """Every message to show next to each question: the field's own type errors (sub-fields of a grid or shares
    question included) and the problems the definition's checks found."""
    messages = {name: _flatten(form[name].errors) for name in form.data if name in form and form[name].errors}
    for code, found in (problems or {}).items():
        messages.setdefault(code, []).extend(found)
    return messages


class XLSFormUploadForm(BaseForm):
    """An XLSForm to read as a new questionnaire version; `content` carries the file (base64) from the preview to
    the confirmation, where it is read again."""

    file = FileField(_l("XLSForm (XLSX)"))
    version = StringField(_l("New version code"), validators=[
        DataRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, - _ . only."))])
    derived_from = SelectField(_l("Edited from version"))
    content = HiddenField()
    confirm = HiddenField()
