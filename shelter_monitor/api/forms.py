from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from shelter_monitor.api.tokens import DEFAULT_DAYS, MAX_DAYS
from shelter_monitor.inputs import BaseForm


class TokenForm(BaseForm):
    name = StringField(_l("Name"), validators=[Length(max=100)],
                       description=_l("What the token is for, e.g. the hotline's case system."))
    can_write = BooleanField(_l("May also write (save drafts, post free places, start exports)"))
    days = IntegerField(_l("Valid for (days)"), default=DEFAULT_DAYS,
                        validators=[InputRequired(), NumberRange(min=1, max=MAX_DAYS)],
                        description=_l("At most %(max)d days.", max=MAX_DAYS))
