"""/api/hsds/: the shelter directory as Open Referral HSDS 3.1, following its API reference (root, services,
organizations, service_at_locations; lists paginated with `page` and `per_page`, and `modified_after` and
`organization_id` where the reference has them; other reference parameters are ignored).

A token (or a logged-in session) is required, as on every API path, unless HSDS_PUBLIC is set; the reader sees
what auth.policy.scope_directory lets it, in its language; throttled per token and answered with ETags like
/api/v1."""
from flask import Blueprint, abort, current_app, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, fields
from marshmallow.validate import Range
from webargs.flaskparser import parser

from shelter_monitor.api.bearer import bearer_secret, rate_key, require_api_user
from shelter_monitor.api.v1.common import conditional_get
from shelter_monitor.auth.throttle import limiter
from shelter_monitor.directory import hsds
from shelter_monitor.directory.service import (
    check_directory_definitions,
    directory_page,
    directory_shelters,
    shelter_records,
)
from shelter_monitor.extensions import db
from shelter_monitor.shelters.models import Shelter

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
LARGEST_PAGE = 2**31 - 1

blueprint = Blueprint("directory", __name__, url_prefix="/api/hsds")
blueprint.record_once(lambda state: check_directory_definitions())  # a mismatch stops the app at start
limiter.limit(lambda: current_app.config["API_LIMIT_PER_TOKEN"], key_func=rate_key)(blueprint)
blueprint.after_request(conditional_get)


@blueprint.before_request
def require_reader() -> None:
    """A usable token or session (401 otherwise), unless the directory is published and no token is presented (a
    token presented must be usable even then)."""
    if not (published() and bearer_secret() is None):
        require_api_user()


class ListArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # the reference's other parameters (search, taxonomy_id, format...) are not supported

    page = fields.Integer(load_default=1, validate=Range(min=1, max=LARGEST_PAGE))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=Range(min=1, max=MAX_PER_PAGE))
    modified_after = fields.DateTime(load_default=None)
    organization_id = fields.String(load_default=None)


def published() -> bool:
    return bool(current_app.config["HSDS_PUBLIC"])


def _reader() -> hsds.Reader:
    return hsds.Reader(str(get_locale()), get_translations())


def _list_page(mapper, filters: bool = True) -> dict:
    """A page of the reader's shelters, each mapped to an HSDS object; 422 names a refused parameter."""
    args = parser.parse(ListArgs(), request, location="query")
    shelter_id = None
    if filters and args["organization_id"] is not None:
        shelter_id = hsds.shelter_id_of("organization", args["organization_id"]) or 0  # 0: no shelter has it
    statement = directory_shelters(current_user, published(), args["modified_after"] if filters else None,
                                   shelter_id)
    reader = _reader()
    records, total = directory_page(statement, args["page"], args["per_page"], reader.locale)
    return hsds.page([mapper(record, reader) for record in records], total, args["page"], args["per_page"])


def _record(kind: str, identifier: str) -> hsds.ShelterRecord:
    """The shelter behind an object's id (404 when there is none), if the reader may see it (403)."""
    shelter_id = hsds.shelter_id_of(kind, identifier) or abort(404)
    if db.session.get(Shelter, shelter_id) is None:
        abort(404)
    reader_shelters = db.session.scalars(directory_shelters(current_user, published(), shelter_id=shelter_id)).all()
    if not reader_shelters:
        abort(403)
    return shelter_records(reader_shelters, str(get_locale()))[0]


@blueprint.get("/")
def about():
    """HSDS version and profile."""
    return hsds.about()


@blueprint.get("/services")
def list_services():
    return _list_page(hsds.service)


@blueprint.get("/services/<string:service_id>")
def get_service(service_id: str):
    return hsds.service(_record("service", service_id), _reader())


@blueprint.get("/organizations")
def list_organizations():
    return _list_page(hsds.organization, filters=False)


@blueprint.get("/organizations/<string:organization_id>")
def get_organization(organization_id: str):
    record, reader = _record("organization", organization_id), _reader()
    return hsds.organization(record, reader, services=[hsds.service(record, reader)])


@blueprint.get("/service_at_locations")
def list_service_at_locations():
    return _list_page(hsds.service_at_location)


@blueprint.get("/service_at_locations/<string:service_at_location_id>")
def get_service_at_location(service_at_location_id: str):
    return hsds.service_at_location(_record("service_at_location", service_at_location_id), _reader(),
                                    with_service=True)
