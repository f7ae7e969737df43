"""What the application accepts from a request, decided in one place: text without control characters, integers a
database column holds, bodies within a size limit.

- Path and query string: `guard_request` refuses control characters before any view runs (a 400 page).
- Form fields read through a form: every form derives from `BaseForm`, whose fields get a validator refusing
  control characters and integers out of range, so the message stands next to the field and what was typed stays.
- Form values a view reads itself (`request.form.get(...)`): the request's form is a `CheckedMultiDict` that
  refuses a value with control characters when it is read (a 400 page); `BaseForm` reads the unchecked values.
- Size: `MAX_CONTENT_LENGTH` for every request; a view marked with `upload_limit` allows what its setting says.
"""
from collections.abc import Callable, Iterable

from flask import Request, current_app, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import StopValidation

from shelter_monitor.plain_text import has_control_characters

MAX_INT = 2**31 - 1  # what an INTEGER column holds (PostgreSQL and the ids of every table)
MIN_INT = -(2**31)

CONTROL_MESSAGE = _l("Remove the control characters (such as NUL) from this text.")


class BadInput(BadRequest):
    """A request carrying text the application refuses; the 400 page shows `description`."""

    def __init__(self, description=None) -> None:
        super().__init__(description or _l("The address or the form holds characters that are not allowed "
                                           "(control characters such as NUL). Go back, correct it and try again."))


def _checked(values: Iterable[str]) -> list[str]:
    values = list(values)
    if any(isinstance(v, str) and has_control_characters(v) for v in values):
        raise BadInput()
    return values


class CheckedMultiDict(ImmutableMultiDict):
    """A request's parameters that refuse, when read, a value holding control characters."""

    def __getitem__(self, key):
        return _checked([super().__getitem__(key)])[0]

    def getlist(self, key, type=None):
        return _checked(super().getlist(key, type))

    def items(self, multi=False):
        for key, value in super().items(multi):
            yield key, (_checked(value) if isinstance(value, list) else _checked([value])[0])

    def values(self):
        return [value for _key, value in self.items()]

    def lists(self):
        for key, values in super().lists():
            yield key, _checked(values)

    def listvalues(self):
        return [values for _key, values in self.lists()]

    def unchecked(self) -> MultiDict:
        """The values as sent, for a form that validates each field itself."""
        return MultiDict(list(super().items(multi=True)))


class CheckedRequest(Request):
    parameter_storage_class = CheckedMultiDict


def _unchecked(formdata):
    if isinstance(formdata, CheckedMultiDict):
        return formdata.unchecked()
    if isinstance(formdata, CombinedMultiDict):
        return CombinedMultiDict([_unchecked(d) for d in formdata.dicts])
    return formdata


class NoControlCharacters:
    """Refuse text holding control characters; line breaks only in a multi-line field."""

    def __init__(self, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if any(isinstance(v, str) and has_control_characters(v, self.multiline) for v in field.raw_data or ()):
            raise StopValidation(CONTROL_MESSAGE)


def blank_is_no_choice(form, field) -> None:
    """A choice that is only spaces is no choice: keep its "Not a valid choice" (Optional() would drop it and let
    the spaces through to the view)."""
    if field.errors and any(isinstance(v, str) and v and not v.strip() for v in field.raw_data or ()):
        raise StopValidation()


def within_database(form, field) -> None:
    """Refuse a whole number an INTEGER column cannot hold (a blank field is left to the other validators)."""
    numbers = field.data if isinstance(field.data, list) else [field.data]
    if any(isinstance(n, int) and not MIN_INT <= n <= MAX_INT for n in numbers):
        raise StopValidation(_l("Enter a number from %(min)d to %(max)d.", min=MIN_INT, max=MAX_INT))


class BaseForm(FlaskForm):
    """Every form of the application: text fields refuse control characters, integer fields a number an INTEGER
    column cannot hold, and choices one that is only spaces, with the message next to the field."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            return _unchecked(super().wrap_formdata(form, formdata))

        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            extra = []
            if issubclass(kind, StringField):
                extra.append(NoControlCharacters(multiline=issubclass(kind, TextAreaField)))
            elif issubclass(kind, IntegerField):
                extra.append(within_database)
            if issubclass(kind, SelectFieldBase):
                extra.append(blank_is_no_choice)
                if unbound_field.kwargs.get("coerce") is int:
                    extra.append(within_database)
            if extra:
                # run first: Optional() would otherwise stop validation of a blank-looking "\r\n" or "\x00"
                validators = options.get("validators", unbound_field.kwargs.get("validators")) or []
                options["validators"] = extra + list(validators)
            return super().bind_field(form, unbound_field, options)


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` in every URL: an id larger than an INTEGER column holds is a 404, never a database error."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_INT,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def upload_limit(setting: str) -> Callable:
    """Mark a view that accepts a larger body than MAX_CONTENT_LENGTH: the app setting `setting`, in bytes."""
    def mark(view):
        view.upload_limit = setting
        return view
    return mark


def guard_request() -> None:
    """Before every view (and before the CSRF check reads the form): the body limit of the view, and no control
    characters in the path or the query string."""
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit", None)
    if setting:
        request.max_content_length = current_app.config[setting]
    if has_control_characters(request.path, multiline=False):
        raise BadInput()
    args = request.args
    raw = args.unchecked() if isinstance(args, CheckedMultiDict) else args
    if any(has_control_characters(text) for key, value in raw.items(multi=True) for text in (key, value)):
        raise BadInput()


def size_limit_text() -> str | None:
    """The body limit of this request as the 413 page names it ("2 MB")."""
    limit = request.max_content_length
    if not limit:
        return None
    if limit < 2**20:
        return _("%(number)s KB", number=format_decimal(round(limit / 2**10)))
    return _("%(number)s MB", number=format_decimal(round(limit / 2**20, 1)))
