"""Export and import routes and commands: who may, what comes out (never anything confidential), round trips."""
import io
import zipfile

import pytest
from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import gather_export
from shelter_monitor.exports.report import render_report_html
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

SECRET_ADDRESS = "77 Hidden Refuge Lane"
SECRET_PHONE = "+380 99 123 45 67"
SECRET_TEXT = "resident Olena K. from the third floor"


@pytest.fixture
def round_with_data(make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    for region in ("UA-46", "UA-12"):
        shelter = make.shelter(region=region, monitors=[monitor], address=SECRET_ADDRESS, phone=SECRET_PHONE,
                               name=f"Shelter in {region}")
        response = start_response(shelter, round_, monitor)
        response.answers = {**complete_answers(shelter), "L2": SECRET_TEXT, "L3": "more funds for the oblast shelter"}
        response.sensitive_codes = ["L2"]
        submit_response(response, monitor)
    db.session.commit()
    return round_


def _text_of(content: bytes, kind: str) -> str:
    if kind in ("deck", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())
    return content.decode("utf-8-sig", "ignore")


@pytest.mark.parametrize("kind", ["deck", "xlsx", "csv", "pdf", "sav", "dta"])
def test_each_export_downloads_and_holds_nothing_confidential(client, login_as, round_with_data, kind):
    login_as(Role.COORDINATOR)
    response = client.get(f"/rounds/{round_with_data.id}/exports/file?kind={kind}&region=&lang=en&multi=split")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "attachment" in response.headers["Content-Disposition"]
    content = response.get_data()
    if kind == "pdf":
        assert content.startswith(b"%PDF")
        return
    text = _text_of(content, kind)
    assert "Shelter in UA-46" in text or kind == "deck"
    for secret in (SECRET_ADDRESS, SECRET_PHONE, SECRET_TEXT):
        assert secret not in text
    if kind in ("xlsx", "csv"):
        assert "more funds for the oblast shelter" in text  # free text not marked sensitive is exported


def test_report_html_holds_nothing_confidential(app, round_with_data):
    with app.test_request_context():
        data = gather_export(round_with_data, None, "en")
        html = render_report_html(data)
    assert all(secret not in html for secret in (SECRET_ADDRESS, SECRET_PHONE, SECRET_TEXT))


def test_regional_user_exports_only_its_region(client, make, round_with_data):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    own = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=UA-46&lang=en&multi=split")
    assert own.status_code == 200
    text = own.get_data().decode("utf-8-sig")
    assert "Shelter in UA-46" in text and "Shelter in UA-12" not in text
    other = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=UA-12&lang=en&multi=split")
    assert other.status_code == 403
    national = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=&lang=en&multi=split")
    assert national.status_code == 403


def test_monitor_may_not_export(client, login_as, round_with_data):
    login_as(Role.MONITOR)
    assert client.get(f"/rounds/{round_with_data.id}/exports").status_code == 403
    assert client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=&lang=en").status_code == 403


def test_csv_round_trip_through_import_gives_the_same_answers(app, make, round_with_data, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "responses.csv"
    assert runner.invoke(args=["export", "csv", "--round", "2020-10", "-o", str(path)]).exit_code == 0
    before = {r.shelter_id: dict(r.answers) for r in db.session.scalars(select(Response))}
    for response in db.session.scalars(select(Response)):
        response.answers = {"A1": "2020-10"}
        response.state = "draft"
    db.session.commit()
    result = runner.invoke(args=["import", "responses", str(path), "--round", "2020-10"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    after = {r.shelter_id: dict(r.answers) for r in db.session.scalars(select(Response))}
    for shelter_id, answers in before.items():
        expected = {k: v for k, v in answers.items() if k != "L2"}
        got = {k: v for k, v in after[shelter_id].items() if k in expected}
        assert got == expected
    assert {r.state for r in db.session.scalars(select(Response))} <= {"submitted", "draft"}


def test_import_page_reports_bad_rows_and_imports_nothing(client, login_as, round_with_data):
    login_as(Role.COORDINATOR)
    bad = "shelter_id,C1,C2\n1,10,20\n999999,5,1\n"
    page = client.post(f"/rounds/{round_with_data.id}/imports",
                       data={"file": (io.BytesIO(bad.encode()), "bad.csv")}, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nothing was imported" in html
    assert "999999" in html


def test_cli_export_writes_each_kind(app, round_with_data, tmp_path):
    runner = app.test_cli_runner()
    for kind in ("deck", "xlsx", "pdf", "sav", "dta"):
        path = tmp_path / f"out.{kind}"
        result = runner.invoke(args=["export", kind, "--round", "2020-10", "--region", "UA-46", "--lang", "uk",
                                     "-o", str(path)])
        assert result.exit_code == 0, result.output
        assert path.stat().st_size > 1000


def test_a_large_export_runs_as_a_job_the_page_polls(app, client, login_as, round_with_data):
    import time

    app.config["EXPORT_SYNC_LIMIT"] = 1
    try:
        login_as(Role.COORDINATOR)
        started = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=xlsx&region=&lang=en&multi=split")
        assert started.status_code == 302 and "/exports/jobs/" in started.location
        status_url = started.location + "/status"
        for _ in range(100):
            status = client.get(status_url).get_json()
            if status["status"] not in ("queued", "running"):
                break
            time.sleep(0.1)
        assert status["status"] == "done"
        content = client.get(status["file"]).get_data()
        assert "Shelter in UA-46" in _text_of(content, "xlsx")
    finally:
        app.config["EXPORT_SYNC_LIMIT"] = 300


def test_with_redis_a_large_export_goes_to_the_rq_queue(app, client, login_as, round_with_data):
    redis = pytest.importorskip("redis")
    from rq import Queue, SimpleWorker

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app.config.update(EXPORT_SYNC_LIMIT=1, REDIS_URL=url)
    try:
        login_as(Role.COORDINATOR)
        started = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=&lang=en&multi=split")
        assert started.status_code == 302
        status_url = started.location + "/status"
        assert client.get(status_url).get_json()["status"] == "queued"
        queue = Queue("exports", connection=redis.Redis.from_url(url))
        with app.test_request_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
        status = client.get(status_url).get_json()
        assert status["status"] == "done"
        assert "Shelter in UA-46" in client.get(status["file"]).get_data().decode("utf-8-sig")
    finally:
        app.config.update(EXPORT_SYNC_LIMIT=300, REDIS_URL=None)
        redis.Redis.from_url(url).flushdb()


def test_coordinator_marks_free_text_sensitive(client, make, round_with_data):
    coordinator = make.user(Role.COORDINATOR)
    response = db.session.scalars(select(Response)).first()
    login(client, coordinator)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Free-text answers in exports" in page and SECRET_TEXT in page
    client.post(f"/responses/{response.id}/sensitive", data={"sensitive": ["L3", "C1"]})
    db.session.refresh(response)
    assert response.sensitive_codes == ["L3"]
    csv = client.get(f"/rounds/{round_with_data.id}/exports/file?kind=csv&region=&lang=en&multi=split")
    text = csv.get_data().decode("utf-8-sig")
    assert text.count("more funds for the oblast shelter") == 1  # the other shelter's L3 is still exported
    client.post("/logout")
    login(client, make.user(Role.MINISTRY))
    assert client.post(f"/responses/{response.id}/sensitive", data={"sensitive": ["L2"]}).status_code == 403


def test_import_of_the_valid_rows_only_when_asked(client, login_as, round_with_data):
    login_as(Role.COORDINATOR)
    shelter_ids = [r.shelter_id for r in db.session.scalars(select(Response))]
    content = f"shelter_id,C1,C2\n{shelter_ids[0]},30,10\n{shelter_ids[1]},5,9\n"
    page = client.post(f"/rounds/{round_with_data.id}/imports",
                       data={"file": (io.BytesIO(content.encode()), "rows.csv"), "import_valid_rows": "y"},
                       content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert "1 response imported." in html and "1 row with errors was left out." in html
    db.session.expire_all()
    answers = {r.shelter_id: r.answers for r in db.session.scalars(select(Response))}
    assert answers[shelter_ids[0]]["C1"] == 30 and answers[shelter_ids[1]].get("C1") != 5


def test_cli_export_layout_options(app, round_with_data, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "csv", "--round", "2020-10", "--lang", "uk", "--values", "labels",
                                 "--header", "both", "--all-rounds", "-o", str(path)])
    assert result.exit_code == 0, result.output
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("response_id;round;region;") and lines[1].startswith("ID анкети;")
    result = runner.invoke(args=["export", "csv", "--round", "2020-10", "--lang", "uk", "--delimiter", ",",
                                 "-o", str(path)])
    assert path.read_bytes().decode("utf-8-sig").startswith("response_id,round,")


def test_an_import_whose_file_field_is_text_is_refused_next_to_the_field(client, login_as, round_with_data):
    login_as(Role.COORDINATOR)
    for content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        page = client.post(f"/rounds/{round_with_data.id}/imports", data={"file": "shelter_id,C1\n1,10\n"},
                           content_type=content_type)
        assert page.status_code == 200 and "Nothing was imported" not in page.get_data(as_text=True)
