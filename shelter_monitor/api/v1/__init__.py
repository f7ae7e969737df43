"""/api/v1: JSON endpoints documented by an OpenAPI 3.1 document that flask-smorest builds from the marshmallow
schemas the endpoints parse and send (/api/v1/openapi.json), shown by a vendored Swagger UI at /api/v1/docs."""
import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from shelter_monitor.api.problems import PROBLEM_JSON, is_api_request, problem_from_exception
from shelter_monitor.api.v1.common import PREFIX
from shelter_monitor.api.v1.directory import blueprint as directory_api
from shelter_monitor.api.v1.docs import blueprint as docs_page
from shelter_monitor.api.v1.exports import blueprint as exports_api
from shelter_monitor.api.v1.monitoring import blueprint as monitoring_api
from shelter_monitor.api.v1.paging import MAX_PAGE_SIZE
from shelter_monitor.api.v1.schemas import ProblemSchema

API_DESCRIPTION = f"""Send a personal access token (made on your account's "API tokens" page or with
`flask --app shelter_monitor tokens create`) as `Authorization: Bearer <token>`. The token acts as its user: it
sees and may do what the user may on the pages. A read-only token may not write (403). Lists are paginated
(`page`, `page_size` up to {MAX_PAGE_SIZE}; `Link` and `X-Total-Count` headers) and most take `updated_since`.
Reads carry an `ETag`; send it back in `If-None-Match` for a 304. Errors are RFC 9457 problem details
(`application/problem+json`) naming the fields that failed."""


class ShelterMonitorApi(Api):
    """flask-smorest's Api with errors as problem details, documented as such."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, _problem_on_api)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"], content_type = ProblemSchema, PROBLEM_JSON
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


class CodeConverter(BaseConverter):
    """A path segment that is a code (a section, a questionnaire version, a region, a job id): letters, digits,
    '.', '_', '-', so that what the document allows is what the routes match."""

    regex = r"[A-Za-z0-9._-]{1,40}"


def _problem_on_api(error: HTTPException):
    """Errors without a page of their own (401, 409, 422, 429...): problem details on the API, Werkzeug's answer
    elsewhere."""
    return problem_from_exception(error) if is_api_request() else error


def register_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Shelter Monitor API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.url_map.converters["code"] = CodeConverter
    api = ShelterMonitorApi(app, spec_kwargs={
        "info": {"description": API_DESCRIPTION},
        "security": [{"bearerAuth": []}],
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_converter(CodeConverter, lambda converter: {"type": "string",
                                                             "pattern": f"^{CodeConverter.regex}$"})
    for blueprint in (directory_api, monitoring_api, exports_api):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_page)
