from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from shelter_monitor.inputs import BaseForm


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class PageMetaForm(BaseForm):
    """The hidden fields every questionnaire page carries next to its questions."""

    class Meta:
        csrf = False

    version = IntegerField()
    original = HiddenField()


class ReturnForm(BaseForm):
    reason = TextAreaField(_l("Reason for returning (the monitor sees it)"),
                           validators=[DataRequired(message=_l("Say why the response goes back.")),
                                       Length(max=4000)])


class BulkApproveForm(BaseForm):
    response_ids = SelectMultipleField(coerce=int, choices=[],
                                       validators=[DataRequired(message=_l("Tick at least one response."))],
                                       validate_choice=False)
