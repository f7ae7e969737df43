from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from shelter_monitor.inputs import BaseForm


class RoundForm(BaseForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, - _ . only."))])
    name = StringField(_l("Name in Ukrainian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    period_start = DateField(_l("Period from"), validators=[DataRequired()])
    period_end = DateField(_l("Period to"), validators=[DataRequired()])
    questionnaire_version = SelectField(_l("Questionnaire version"))
    covid_section = BooleanField(_l("COVID-19 section (K) is asked"), default=True)
    is_open = BooleanField(_l("Open for answers"), default=True)
