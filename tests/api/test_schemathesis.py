"""Schemathesis against /api/v1/openapi.json with a read-write token on the test database: no 5xx, and every
answer matches the document (status, content type, headers, body). Generated cases (few per operation, so that it
stays within a minute or two) and, for every read, one case on objects that exist (generated ids mostly find
nothing)."""
import contextvars
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, object_level_authorization

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.service import record_availability
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response
from tests.api.helpers import bearer

# these checks send requests of their own within the test's app context, where the first request's user would stay
# cached; tests/test_permissions.py covers them (every route refuses without a token, and scopes by the policy)
RESENDING_CHECKS = [ignored_auth, object_level_authorization]
EXAMPLES = 8


@pytest.fixture
def api_world(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "API_LIMIT_PER_TOKEN", "100000 per minute")
    monkeypatch.setattr("shelter_monitor.api.v1.exports.start_export_job", _no_job)
    coordinator = make.user(Role.COORDINATOR)
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    round_ = make.round()
    response = start_response(shelter, round_, monitor)
    record_availability(shelter, utcnow(), 2, 1, 0, None, True, "", monitor)
    db.session.commit()
    known = {"shelter_id": shelter.id, "round_id": round_.id, "response_id": response.id, "version": "2020.1",
             "iso_code": "UA-46", "section": "C", "job_id": "job"}
    return bearer(coordinator), known


def _call(case, headers):
    """Each request in its own context, as a server gives each request (the test's app context would share g)."""
    response = contextvars.Context().run(case.call, headers=headers)
    case.validate_response(response, headers=headers, excluded_checks=RESENDING_CHECKS)
    return response


def test_every_operation_conforms_to_the_document(app, api_world):
    headers, known = api_world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def generated(case):
            assert _call(case, headers).status_code < 500  # noqa: B023 - run at once, inside the loop

        try:
            generated()
            if operation.method.upper() == "GET":
                parameters = {name: known[name] for name in re.findall(r"{(\w+)}", operation.path)}
                query = {"sex": "female"} if operation.path.endswith("/places") else None
                existing = _call(operation.Case(path_parameters=parameters, query=query), headers)
                if existing.status_code != 200 and not operation.path.startswith("/api/v1/exports"):
                    failures.append(f"GET {operation.path} on existing objects: {existing.status_code}")
        except Exception as error:  # every operation's failure, then fail once
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:800])
    assert failures == []


def _no_job(app, user_id, round_id, *args):
    from types import SimpleNamespace

    return SimpleNamespace(id="job", kind="csv", status="running")
