from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from shelter_monitor.inputs import BaseForm


class ActualValueForm(BaseForm):
    """An official figure for one indicator or funding line and year; the service checks the values."""

    kind = HiddenField()
    code = SelectField(_l("Funding line"))
    year = SelectField(_l("Year"), coerce=int)
    region = SelectField(_l("For"))
    value = StringField(_l("Value"), validators=[Length(max=40)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    source = StringField(_l("Source"), validators=[Length(max=500)],
                         description=_l("Where the figure comes from: a report, a letter, a statistics form."))
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])
