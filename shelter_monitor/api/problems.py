"""Errors on /api/ paths as RFC 9457 problem details (application/problem+json), with the fields that failed.

`errors` lists {"field", "in", "detail"}: the request part ("query", "json", "path", "header") and the field's
name as sent (nested fields joined by "."), so that a client can show the message next to its own field.
"""
from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from shelter_monitor.api.bearer import API_PREFIX
from shelter_monitor.extensions import db

PROBLEM_JSON = "application/problem+json"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def field_errors(messages: Any, location: str, prefix: str = "") -> list[dict[str, str]]:
    """webargs/marshmallow's nested {"field": ["message"]} as a flat list of {"field", "in", "detail"}."""
    if isinstance(messages, Mapping):
        found = []
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.extend(field_errors(value, location, name))
        return found
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return [{"field": prefix or "_schema", "in": location, "detail": " ".join(messages)}]
    if isinstance(messages, list | tuple):
        return [error for message in messages for error in field_errors(message, location, prefix)]
    return [{"field": prefix or "_schema", "in": location, "detail": str(messages)}]


def problem(status: int, title: str, detail: str | None = None, errors: list[dict[str, str]] | None = None,
            headers: Mapping[str, str] | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers.update(dict(headers or {}))
    return response


def problem_from_exception(error: HTTPException) -> Response:
    """Any HTTP error of an API request as a problem: webargs' validation messages become `errors`."""
    db.session.rollback()  # a failed statement must not make the answer itself fail
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = []
    for location, messages in (data.get("messages") or {}).items():
        errors.extend(field_errors(messages, location))
    errors.extend(data.get("errors") or [])
    detail = data.get("message") or (error.description if status != 500 else None)
    headers = {key: value for key, value in error.get_headers() if key.lower() in ("www-authenticate", "allow")}
    headers.update(data.get("headers") or {})
    if status == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = "60"
    return problem(status, error.name, str(detail) if detail else None, errors, headers)
