from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from shelter_monitor.auth.models import Role
from shelter_monitor.inputs import BaseForm

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address such as name@example.org."))


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 description=_l("At least 12 characters; not one of the common passwords."))
    repeat_password = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))])


class SetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()],
                             description=_l("At least 12 characters; not one of the common passwords."))
    repeat_password = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.MONITOR: _l("Monitor"),
    Role.REGIONAL: _l("Regional administration"),
    Role.MINISTRY: _l("Ministry"),
    Role.SHELTER_STAFF: _l("Shelter staff"),
}


class UserForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()])
    region = SelectField(_l("Region (regional users only)"), validators=[Optional()])
    shelter = SelectField(_l("Shelter (shelter staff only)"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
