from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from shelter_monitor.inputs import BaseForm

MAX_CAPACITY = 10_000  # places of one shelter


class ShelterForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    region = SelectField(_l("Region"), validators=[DataRequired()])
    settlement = StringField(_l("Settlement / hromada"), validators=[Length(max=200)])
    katottg = StringField(_l("KATOTTG code (optional)"), validators=[Optional(), Length(max=24)])
    institution_type = SelectField(_l("Type of institution"), validators=[DataRequired()])
    ownership = SelectField(_l("Founder / ownership"), validators=[DataRequired()])
    specialised = BooleanField(_l("Specialised for victims of trafficking"))
    capacity = IntegerField(_l("Capacity (places)"), validators=[InputRequired(), NumberRange(min=0, max=MAX_CAPACITY)],
                            default=0)
    status = SelectField(_l("Status"))
    address = StringField(_l("Address (confidential)"), validators=[Length(max=400)])
    phone = StringField(_l("Phone (confidential)"), validators=[Length(max=60)])


class AssignForm(BaseForm):
    monitors = SelectMultipleField(_l("Monitors"), coerce=int, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    region = SelectField(_l("Region"), validators=[Optional()])
    institution_type = SelectField(_l("Type"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])


def fill_choices(form, regions, types, ownerships, statuses, blank=None) -> None:
    """Give the select fields their options; `blank` adds an 'any' option first (filters), otherwise the required
    ones start with "choose" (no region or type is chosen for the user by being first in the list)."""
    first = [("", blank)] if blank is not None else []
    choose = first or [("", _l("— choose —"))]
    form.region.choices = choose + regions
    form.institution_type.choices = choose + types
    if hasattr(form, "ownership"):
        form.ownership.choices = choose + ownerships
    form.status.choices = first + statuses
