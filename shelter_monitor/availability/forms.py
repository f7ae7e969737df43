from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from shelter_monitor.inputs import BaseForm

MAX_PLACES = 10_000  # free places of one shelter


class AvailabilityForm(BaseForm):
    as_of = DateTimeLocalField(_l("As of"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    free_women = IntegerField(_l("Free places for women"),
                              validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)], default=0)
    free_men = IntegerField(_l("Free places for men"), validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)],
                            default=0)
    free_children = IntegerField(_l("Free places for children"),
                                 validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)], default=0)
    youngest_child_months = IntegerField(_l("Youngest child accepted (age in months)"),
                                         validators=[Optional(), NumberRange(min=0, max=216)])
    admissions_open = BooleanField(_l("Admissions are open"), default=True)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class FindPlaceForm(BaseForm):
    class Meta:
        csrf = False

    sex = SelectField(_l("Sex"), choices=[("female", _l("Woman")), ("male", _l("Man"))])
    children_ages = StringField(_l("Children coming along: ages in years, separated by commas (0 for a baby)"),
                                validators=[Optional(), Length(max=100)])
    foreigner = BooleanField(_l("Foreigner or stateless person"))
    no_registration = BooleanField(_l("No registered residence in the region"))
    no_id = BooleanField(_l("No identity documents"))
    dangerous_disease = BooleanField(_l("Has a socially dangerous disease (e.g. active TB)"))
    out_of_hours = BooleanField(_l("Arrives at night or at the weekend"))
    group_size = IntegerField(_l("Persons arriving together"), validators=[Optional(), NumberRange(min=1, max=200)],
                              default=1)
    region = SelectField(_l("Region"), validators=[Optional()])
    include_neighbours = BooleanField(_l("Include neighbouring regions"))
