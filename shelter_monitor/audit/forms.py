"""The audit page's filters and the wording of each recorded action."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from shelter_monitor.inputs import BaseForm

MAX_PAGE = 100_000

# What each action recorded by the services means; an action missing here is shown by its code.
ACTION_LABELS = {
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.throttled": _l("Login attempts throttled"),
    "auth.logout": _l("Logged out"),
    "auth.logout_everywhere": _l("Logged out everywhere"),
    "auth.password_change": _l("Password changed"),
    "auth.reset_issued": _l("Password link issued"),
    "auth.reset_used": _l("Password link used"),
    "availability.update": _l("Free places updated"),
    "export.download": _l("Export"),
    "import.file": _l("Import of a file"),
    "programme.enter_value": _l("Programme figure entered"),
    "programme.load": _l("Programme loaded"),
    "recommendation.follow_up": _l("Recommendation follow-up"),
    "regional_form.save": _l("Regional form saved"),
    "response.approve": _l("Response approved"),
    "response.import": _l("Response imported"),
    "response.import_submission": _l("Response imported from ODK or Kobo"),
    "response.return": _l("Response returned"),
    "response.save": _l("Response saved"),
    "response.sensitive": _l("Answers marked sensitive"),
    "response.start": _l("Response started"),
    "response.submit": _l("Response submitted"),
    "round.create": _l("Round created"),
    "round.update": _l("Round edited"),
    "shelter.assign": _l("Monitors assigned"),
    "shelter.create": _l("Shelter added"),
    "shelter.update": _l("Shelter edited"),
    "user.activate": _l("User activated or deactivated"),
    "user.create": _l("User created"),
    "user.update": _l("User edited"),
}


class AuditFilterForm(BaseForm):
    """Read from the query string: who, what and when (both dates included), and the page."""

    class Meta:
        csrf = False

    user = SelectField(_l("User"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self) -> dict[str, str]:
        """The valid filters as query arguments, for the pager's links."""
        return {name: self[name].raw_data[0] for name in ("user", "action", "start", "end")
                if self[name].raw_data and self[name].raw_data[0]}
