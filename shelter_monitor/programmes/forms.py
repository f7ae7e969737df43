from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length


class ActualValueForm(FlaskForm):
    """An official figure for one indicator or funding line and year; the service checks the values."""

    kind = HiddenField()
    code = SelectField(_l("Funding line"))
    year = SelectField(_l("Year"), coerce=int)
    region = SelectField(_l("For"))
    value = StringField(_l("Value"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    source = StringField(_l("Source"), validators=[Length(max=500)],
                         description=_l("Where the figure comes from: a report, a letter, a statistics form."))
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
