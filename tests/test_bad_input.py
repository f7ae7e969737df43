"""Every bad input is a 4xx (or the form again with the field's message), never a 500, and no control character
reaches the database.

The sweep is generated, not hand-picked: the routes come from the app's URL map; the fields of each route from
the forms the app's pages render (every page crawled as every role, each form's action mapped back to its route)
and from the request parameters the view functions read themselves."""
import inspect
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed, NotFound

from shelter_monitor import create_app
from shelter_monitor.api.tokens import create_token
from shelter_monitor.auth.models import Role
from shelter_monitor.directory.hsds import object_id
from shelter_monitor.extensions import db
from shelter_monitor.plain_text import CONTROL
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.recommendations.models import NationalRecommendation, RegionalRecommendation
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import start_response
from tests.conftest import app_config, login

ROLES = ["admin", "coordinator", "monitor", "regional", "ministry", "staff"]
BAD_VALUES = ["a\x00b", "\x1b[2J", "2147483648", "99999999999999999999", "-99999999999999999999", "NaN", "inf",
              " ", "\r\n", "[" * 3000]
FIELD_VALUES = ["a\x00b", "99999999999999999999", "NaN", " ", "\r\n", "[" * 3000]  # one field at a time
PER_FAMILY = 2  # fields that differ only by the question code they carry (comment_C1, comment_C2) are alike
SKIPPED = {"static", "auth.logout"}  # files; logging out is no input
# path values the world below provides, by argument name (endpoint-specific ones first)
PATH_VALUES = {
    ("responses.edit_section", "code"): "C",
    ("recommendations.follow_up", "code"): "R5",
    ("responses.approve", "response_id"): "submitted_id",
    ("responses.return_to_monitor", "response_id"): "submitted_id",
    ("responses.view_response", "response_id"): "submitted_id",
}
# what a route needs besides its form's fields to get past loading its object (a regional recommendation's region)
EXTRA = {"recommendations.follow_up": {"region": "UA-46"}}


def _sections_covering_every_field_kind() -> list[str]:
    """Questionnaire pages enough to hold every kind of field (type, and text on one line or several), and the
    pages the issue named (B, J, L)."""
    kinds = {}
    for section in load_definition().shelter_sections():
        for question in section.questions:
            kinds.setdefault((question.type, question.multiline), section.code)
    return sorted(set(kinds.values()) | {"B", "J", "L"})


SECTIONS = _sections_covering_every_field_kind()
PARAMETERS = re.compile(r"request\.(?:args|form|values)\.(?:get|getlist)\(\s*[\"'](\w+)[\"']")


def _url_map():
    return create_app(app_config("sqlite://")).url_map


def _routes() -> list[tuple[str, str, str]]:
    routes = []
    for rule in _url_map().iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            routes.append((rule.endpoint, method, rule.rule))
    return sorted(set(routes))


ROUTES = _routes()


@pytest.fixture
def world(make):
    users = {
        "admin": make.user(Role.ADMIN),
        "coordinator": make.user(Role.COORDINATOR),
        "monitor": make.user(Role.MONITOR),
        "regional": make.user(Role.REGIONAL, region="UA-46"),
        "ministry": make.user(Role.MINISTRY),
    }
    shelter = make.shelter(region="UA-46", monitors=[users["monitor"]])
    users["staff"] = make.user(Role.SHELTER_STAFF, shelter=shelter)
    round_ = make.round()
    load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    response = start_response(shelter, round_, users["monitor"])
    submitted = start_response(make.shelter(region="UA-46", monitors=[users["monitor"]]), round_, users["monitor"])
    submitted.state = ResponseState.SUBMITTED  # its page carries the coordinator's return and approve forms
    region = region_by_iso("UA-46")  # issued recommendations carry the follow-up forms
    db.session.add_all([RegionalRecommendation(round_id=round_.id, region=region, code="R5", severity="medium"),
                        NationalRecommendation(round_id=round_.id, code="M1", severity="medium",
                                               region_codes=["UA-46"])])
    db.session.commit()
    values = {"shelter_id": shelter.id, "round_id": round_.id, "response_id": response.id,
              "submitted_id": submitted.id, "token": "no-such-token",
              "user_id": users["monitor"].id, "iso_code": "UA-46", "code": "ua-thb-2012", "job_id": "no-such-job",
              "indicator_code": "t2_monitoring_reports", "version": "2020.1",
              "token_id": _committed_token(users["monitor"])}
    values |= {f"{kind}_id": object_id(kind, shelter.id)
               for kind in ("service", "organization", "service_at_location")}  # /api/hsds/ items
    return users, values


def _committed_token(user) -> int:
    token, _secret = create_token(user, "sweep")
    db.session.commit()
    return token.id


class FormParser(HTMLParser):
    """The forms of a page: method, action and each named field with the value the page fills in."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").upper(), "action": attrs.get("action") or "",
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(attrs["name"], None)
                if "checked" in attrs:
                    self._form["fields"][attrs["name"]] = attrs.get("value") or "y"
            elif kind not in ("submit", "button", "file"):
                self._form["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select and ("selected" in attrs or self._form["fields"][self._select] is None):
            self._form["fields"][self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _fill(rule: str, endpoint: str, values: dict, section: str | None = None) -> str:
    def value(match):
        name = match.group(1).split(":")[-1]
        if section and name == "code":
            return section
        given = PATH_VALUES.get((endpoint, name))
        return str(values[given] if given in values else given if given else values[name])
    return re.sub(r"<([^>]+)>", value, rule)


def _clients(app, users) -> dict:
    """One client per role, logged in once (logging in again and again would meet the login throttle)."""
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        login(clients[role], users[role])
    return clients


FORMS: dict[tuple[str, str], dict[str, str | None]] = {}


def _crawl(app, clients, values) -> None:
    """Every GET page as every role: the fields of each form, by the endpoint its action goes to."""
    adapter = app.url_map.bind("localhost")
    for role in ROLES:
        client = clients[role]
        for endpoint, method, rule in ROUTES:
            if method != "GET" or "<" in rule and endpoint.startswith("downloads.job"):
                continue
            url = _fill(rule, endpoint, values)
            page = client.get(url)
            if page.status_code != 200 or not page.content_type.startswith("text/html"):
                continue
            parser = FormParser()
            parser.feed(page.get_data(as_text=True))
            for form in parser.forms:
                target = urlsplit(form["action"]).path or url
                try:
                    found, _args = adapter.match(target, method=form["method"])
                except (NotFound, MethodNotAllowed):
                    continue
                fields = FORMS.setdefault((found, form["method"]), {})
                for name, default in form["fields"].items():
                    fields.setdefault(name, default)


def _read_parameters(app, endpoint: str) -> set[str]:
    """The parameters the view function reads itself (request.args / request.form)."""
    view = app.view_functions[endpoint]
    source = inspect.getsource(inspect.getmodule(view))
    return set(PARAMETERS.findall(source))


def _choose_role(clients, method, url, base) -> str | None:
    for role in ROLES:
        client = clients[role]
        status = (client.get(url) if method == "GET" else client.post(url, data=base)).status_code
        if status not in (403, 404):
            return role
    return None


def _sample(fields: set[str]) -> list[str]:
    """A few fields of each family (the name up to its first "_" or "-": comment_C1 and comment_C2, K1a_from
    and K1a_to, the rows of a grid)."""
    families: dict[str, list[str]] = {}
    for name in sorted(fields):
        families.setdefault(re.split(r"[_-]", name, maxsplit=1)[0], []).append(name)
    return [name for names in families.values() for name in names[:PER_FAMILY]]


def _stored_control_characters() -> list[str]:
    """Every text or JSON value in the database that holds a control character (table.column)."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.JSON, sa.Text))]
            for row in connection.execute(sa.select(*columns)) if columns else ():
                for column, value in zip(columns, row, strict=True):
                    if value is not None and CONTROL.search(str(value)):
                        found.append(f"{table.name}.{column.name}")
    return sorted(set(found))


def _cases():
    for endpoint, method, rule in ROUTES:
        if endpoint == "responses.edit_section":
            for section in SECTIONS:
                yield pytest.param(endpoint, method, rule, section, id=f"{method} {endpoint} {section}")
        else:
            yield pytest.param(endpoint, method, rule, None, id=f"{method} {endpoint}")


@pytest.mark.parametrize(("endpoint", "method", "rule", "section"), list(_cases()))
def test_bad_input_is_never_a_server_error(app, world, endpoint, method, rule, section):
    users, values = world
    clients = _clients(app, users)
    if not FORMS:
        _crawl(app, clients, values)
    url = _fill(rule, endpoint, values, section)
    base = {name: value for name, value in FORMS.get((endpoint, method), {}).items() if value is not None}
    base.update(EXTRA.get(endpoint, {}))
    role = _choose_role(clients, method, url, base)
    if role is None:
        pytest.skip(f"no role may use {method} {url}")
    client = clients[role]
    fields = set(FORMS.get((endpoint, method), {})) | _read_parameters(app, endpoint)
    if method == "GET":
        fields |= {name for (found, form_method), form in FORMS.items()
                   if found == endpoint and form_method == "GET" for name in form}
    failures = []
    sampled = _sample(fields or {"q"})
    tries = [({**base, **dict.fromkeys(sampled, bad)}, "every field", bad) for bad in BAD_VALUES]
    tries += [({**base, field: bad}, field, bad) for field in sampled for bad in FIELD_VALUES]
    for data, field, bad in tries:
        answer = client.get(url, query_string=data) if method == "GET" else client.post(url, data=data)
        if answer.status_code >= 500:
            failures.append((field, bad, answer.status_code))
    for bad in ("2147483648", "99999999999999999999"):  # overlong ids in the path
        if "<int:" in rule:
            overlong = re.sub(r"<int:[^>]+>", bad, rule)
            status = (client.get(overlong) if method == "GET" else client.post(overlong)).status_code
            if status != 404:
                failures.append(("path", bad, status))
    assert failures == []
    assert _stored_control_characters() == []


def test_the_sweep_sees_the_forms(app, world):
    """The crawl finds the forms the sweep relies on (a guard against a sweep that silently tests nothing)."""
    users, values = world
    FORMS.clear()
    _crawl(app, _clients(app, users), values)
    for endpoint, field in [("shelters.edit_shelter", "capacity"), ("availability.update_availability", "free_men"),
                            ("availability.find_a_place", "children_ages"), ("responses.return_to_monitor", "reason"),
                            ("recommendations.follow_up", "comment"), ("programmes.enter", "source"),
                            ("rounds.edit_round", "name"), ("responses.edit_section", "C1")]:
        assert any(found == endpoint and field in form for (found, _m), form in FORMS.items()), (endpoint, field)


def test_overlong_id_is_a_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/shelters/2147483648").status_code == 404
    assert client.get("/shelters/99999999999999999999").status_code == 404


def test_control_characters_in_the_query_are_a_400_page(client, login_as):
    login_as(Role.ADMIN)
    answer = client.get("/shelters?region=%00")
    assert answer.status_code == 400
    assert "control characters" in answer.get_data(as_text=True)


def test_oversize_request_is_a_413_page_naming_the_limit(client, login_as, make, app):
    login_as(Role.ADMIN)
    shelter = make.shelter()
    limit = app.config["MAX_CONTENT_LENGTH"]
    answer = client.post(f"/shelters/{shelter.id}/edit", data={"name": "x" * (limit + 1)})
    assert answer.status_code == 413
    page = answer.get_data(as_text=True)
    assert "too large" in page and f"{limit // 2**20} MB" in page


def test_import_upload_has_its_own_larger_limit(client, login_as, make, app):
    import io

    login_as(Role.ADMIN)
    round_ = make.round()
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    answer = client.post(f"/rounds/{round_.id}/imports", data={"file": (io.BytesIO(body), "big.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code != 413
    body = b"x" * (app.config["IMPORT_MAX_BYTES"] + 10)
    answer = client.post(f"/rounds/{round_.id}/imports", data={"file": (io.BytesIO(body), "huge.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 413


def test_text_answer_over_its_maximum_is_refused_and_not_stored(client, world):
    users, values = world
    login(client, users["monitor"])
    question = load_definition().question("L2")
    url = f"/responses/{values['response_id']}/sections/L"
    answer = client.post(url, data={"version": "1", "original": "{}", "L2": "x" * (question.max_length + 1)})
    assert answer.status_code == 422
    assert f"Write at most {question.max_length} characters." in answer.get_data(as_text=True)
    response = db.session.get(Response, values["response_id"])
    db.session.refresh(response)
    assert "L2" not in response.answers


def test_nul_in_a_text_answer_keeps_what_was_typed_with_the_message(client, world):
    users, values = world
    login(client, users["monitor"])
    answer = client.post(f"/responses/{values['response_id']}/sections/L",
                         data={"version": "1", "original": "{}", "L2": "Proposal\x00 one"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Remove the control characters" in page and "Proposal" in page


def test_capacity_that_is_only_a_line_break_is_a_field_message(client, login_as, make):
    login_as(Role.ADMIN)
    shelter = make.shelter()
    answer = client.post(f"/shelters/{shelter.id}/edit",
                         data={"name": "A", "region": "UA-46", "institution_type": "cspa", "ownership": "hromada",
                               "status": "open", "capacity": "\r\n"})
    assert answer.status_code == 200
    assert "Not a valid integer value." in answer.get_data(as_text=True)


@pytest.mark.parametrize("ages", ["NaN", "inf", "1e999", "-1", "two"])
def test_find_a_place_refuses_ages_that_are_not_numbers(client, login_as, ages):
    login_as(Role.MINISTRY)
    answer = client.get("/find-a-place", query_string={"sex": "female", "children_ages": ages})
    assert answer.status_code == 200
    assert "Write ages in years as numbers separated by commas" in answer.get_data(as_text=True)


def test_find_a_place_refuses_a_blank_region(client, login_as):
    login_as(Role.MINISTRY)
    answer = client.get("/find-a-place", query_string={"sex": "female", "region": " ", "include_neighbours": "y"})
    assert answer.status_code == 200
    assert "Not a valid choice" in answer.get_data(as_text=True)


def test_national_only_indicator_page_answers(app, world):
    users, _values = world
    clients = _clients(app, users)
    for role in ("ministry", "admin", "regional"):
        page = clients[role].get("/programmes/ua-thb-2012/indicators/t2_monitoring_reports")
        assert page.status_code == 200, role
