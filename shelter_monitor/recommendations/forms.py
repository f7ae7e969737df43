from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from shelter_monitor.inputs import BaseForm
from shelter_monitor.recommendations.models import FollowUp, FollowUpStatus


def follow_up_labels() -> dict[str, str]:
    """Status -> its label in the current language. The context keeps a recommendation's "In progress" and
    "Done" apart from the questionnaire sections' words."""
    return {
        FollowUpStatus.ACCEPTED: pgettext("follow-up status", "Accepted"),
        FollowUpStatus.IN_PROGRESS: pgettext("follow-up status", "In progress"),
        FollowUpStatus.DONE: pgettext("follow-up status", "Done"),
        FollowUpStatus.REJECTED: pgettext("follow-up status", "Rejected"),
    }


class FollowUpForm(BaseForm):
    status = SelectField(_l("Status"), validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", pgettext("follow-up status", "Not set")), *follow_up_labels().items()]

    @classmethod
    def showing(cls, current: FollowUp | None) -> "FollowUpForm":
        """The form of one recommendation, starting from its current status and comment (unset when none)."""
        return cls(formdata=None, status=current.status if current else "",
                   comment=current.comment if current else "")
