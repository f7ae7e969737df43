"""What every /api/v1 blueprint shares: how it is protected, its documented errors, loading an object or 404."""
import json
from http import HTTPStatus

from flask import abort, current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser

from shelter_monitor.api.bearer import protect_api_blueprint
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round

PREFIX = "/api/v1"
LIST_HEADERS = {
    "Link": {"description": "RFC 8288 links to the first, prev, next and last pages", "schema": {"type": "string"}},
    "X-Total-Count": {"description": "Items in all pages", "schema": {"type": "string"}},
}
READ_ERRORS = (304, 401, 403, 404, 429)
WRITE_ERRORS = (401, 403, 404, 429)


class ApiParser(FlaskParser):
    """webargs' parser, for which a body nested too deeply for Python's JSON decoder is invalid JSON (a 400 like any
    other), not a RecursionError."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:
            raise json.JSONDecodeError("nested too deeply", "[", 0) from error  # an empty doc means "no body"


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ApiParser()


def api_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint under /api/v1: token or session required, throttled, ETags on its reads."""
    blueprint = ApiBlueprint(name, __name__, url_prefix=PREFIX, description=description)
    protect_api_blueprint(blueprint)
    blueprint.after_request(conditional_get)
    return blueprint


def errors(blueprint: Blueprint, *codes: int):
    """Document these error answers (problem+json) on an operation."""
    def decorate(view):
        for code in codes:
            view = blueprint.alt_response(code, response=HTTPStatus(code).name)(view)
        return view
    return decorate


def conditional_get(response):
    """ETag on every successful read; If-None-Match answered with 304 and no body."""
    if request.method == "GET" and response.status_code == 200 and not response.direct_passthrough:
        response.add_etag()
        response.make_conditional(request)
    return response


def api_language(requested: str | None) -> str:
    """The language asked for with `lang`, else the best of the request's Accept-Language, else the default."""
    return (requested or request.accept_languages.best_match(current_app.config["LANGUAGES"])
            or current_app.config["BABEL_DEFAULT_LOCALE"])


def get_or_404(model, object_id: int):
    return db.session.get(model, object_id) or abort(404)


def load_round(round_id: int) -> Round:
    round_ = get_or_404(Round, round_id)
    require(current_user, Action.VIEW_ROUND, round_)
    return round_


def load_region(iso_code: str) -> Region:
    return region_by_iso(iso_code) or abort(404)
