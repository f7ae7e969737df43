from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from shelter_monitor.inputs import BaseForm
from shelter_monitor.recommendations.models import FollowUpStatus

FOLLOW_UP_LABELS = {
    FollowUpStatus.ACCEPTED: _l("Accepted"),
    FollowUpStatus.IN_PROGRESS: _l("In progress"),
    FollowUpStatus.DONE: _l("Done"),
    FollowUpStatus.REJECTED: _l("Rejected"),
}


class FollowUpForm(BaseForm):
    status = SelectField(_l("Status"), choices=list(FOLLOW_UP_LABELS.items()), validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])
