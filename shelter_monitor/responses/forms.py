from urllib.parse import parse_qsl, urlencode

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shelter_monitor.inputs import BaseForm
from shelter_monitor.responses.models import ResponseState
from shelter_monitor.responses.queue import DEFAULT_SORT, QueueFilters


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


SORT_CHOICES = [
    ("submitted", _l("Submitted, oldest first")),
    ("-submitted", _l("Submitted, newest first")),
    ("region", _l("Region, A to Z")),
    ("-region", _l("Region, Z to A")),
    ("shelter", _l("Shelter, A to Z")),
    ("-shelter", _l("Shelter, Z to A")),
    ("monitor", _l("Monitor, A to Z")),
    ("-monitor", _l("Monitor, Z to A")),
]


class QueueFilterForm(BaseForm):
    """The review queue's filters and order, read from the query string. The view sets the region and monitor
    choices; a state left out of the address means "waiting for review", an empty one every state."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"), validators=[Optional()])
    state = SelectField(_l("State"), default=ResponseState.SUBMITTED, validators=[Optional()], choices=[
        ("", _l("Every state")), (ResponseState.SUBMITTED, _l("Waiting for review")),
        (ResponseState.RETURNED, _l("Returned to the monitor")), (ResponseState.DRAFT, _l("Draft")),
        (ResponseState.APPROVED, _l("Approved"))])
    monitor = SelectField(_l("Monitor"), validators=[Optional()])
    warnings = BooleanField(_l("With warnings only"))
    findings = BooleanField(_l("With findings only"))
    sort = SelectField(_l("Sort by"), default=DEFAULT_SORT, choices=SORT_CHOICES)

    def filters(self) -> QueueFilters:
        return QueueFilters(region=self.region.data or None, state=self.state.data or None,
                            monitor_id=int(self.monitor.data) if self.monitor.data else None,
                            with_warnings=self.warnings.data, with_findings=self.findings.data)

    def arguments(self) -> dict[str, str]:
        """The filters and order as query arguments (for the column headers' links)."""
        return {name: self[name].raw_data[0] for name in ("region", "state", "monitor", "warnings", "findings",
                                                          "sort") if self[name].raw_data}

    def query(self) -> str:
        """The filters and order as a query string (the way back to the queue after a bulk approval)."""
        return urlencode(self.arguments())


class BulkApproveForm(BaseForm):
    """The queue's ticked responses (or, with the header's box ticked, every response shown), and the way back to
    the queue as it was filtered. `confirm` is set on the confirmation step only."""

    response_ids = SelectMultipleField(coerce=int, choices=[], validate_choice=False)
    all_shown = BooleanField()
    shown_ids = SelectMultipleField(coerce=int, choices=[], validate_choice=False)
    confirm = BooleanField()
    back = HiddenField()

    def chosen_ids(self) -> set[int]:
        chosen = set(self.response_ids.data or ())
        return chosen | set(self.shown_ids.data or ()) if self.all_shown.data else chosen

    def back_query(self) -> str:
        """The queue's query string as posted, re-encoded (nothing in it can leave the queue's address)."""
        return urlencode(parse_qsl(self.back.data or "", keep_blank_values=True))
