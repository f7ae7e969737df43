from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from shelter_monitor.inputs import BaseForm

MAX_PLACES = 10_000  # free places of one shelter


NOT_NEGATIVE = _l("Free places cannot be negative: write 0 when there are none.")


class AvailabilityForm(BaseForm):
    """An availability update. `capacity` (the shelter's known places, or None) bounds each free-places figure;
    a blank figure is refused, never read as 0 ("no places")."""

    as_of = DateTimeLocalField(_l("As of"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    free_women = IntegerField(_l("Free places for women"),
                              validators=[InputRequired(), NumberRange(min=0, message=NOT_NEGATIVE)])
    free_men = IntegerField(_l("Free places for men"),
                            validators=[InputRequired(), NumberRange(min=0, message=NOT_NEGATIVE)])
    free_children = IntegerField(_l("Free places for children"),
                                 validators=[InputRequired(), NumberRange(min=0, message=NOT_NEGATIVE)])
    youngest_child_months = IntegerField(_l("Youngest child accepted (age in months)"),
                                         validators=[Optional(), NumberRange(min=0, max=216)])
    admissions_open = BooleanField(_l("Admissions are open"), default=True)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def __init__(self, *args, capacity: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.capacity = capacity
        for field in self.free_places_fields():
            field.render_kw = {"max": capacity or MAX_PLACES}

    def free_places_fields(self) -> tuple[IntegerField, ...]:
        return self.free_women, self.free_men, self.free_children

    def validate_free_women(self, field: IntegerField) -> None:
        self._within_capacity(field)

    def validate_free_men(self, field: IntegerField) -> None:
        self._within_capacity(field)

    def validate_free_children(self, field: IntegerField) -> None:
        self._within_capacity(field)

    def _within_capacity(self, field: IntegerField) -> None:
        if field.data is None:
            return
        if self.capacity is not None and field.data > self.capacity:
            raise ValidationError(ngettext(
                "More than the shelter's places: it has %(num)d place in all.",
                "More than the shelter's places: it has %(num)d places in all.", self.capacity))
        if field.data > MAX_PLACES:
            raise ValidationError(_("Write at most %(max)d.", max=MAX_PLACES))


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
