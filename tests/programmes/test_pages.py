"""Programme pages: plan against official and measured figures, entering figures, and who may do what."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.programmes.models import ActualValue
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme
from shelter_monitor.responses.models import Response, ResponseState
from tests.conftest import login

URL = "/programmes/ua-thb-2012"


@pytest.fixture
def programme(make):
    row, _ = load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    db.session.commit()
    return row


@pytest.fixture
def round_2013(make, programme):
    shelter = make.shelter(region="UA-46")
    round_ = make.round("2013-10", dt.date(2013, 10, 1), dt.date(2013, 10, 31), is_open=False, covid_section=False)
    db.session.add(Response(shelter=shelter, round=round_, questionnaire_version="2020.1",
                            answers={"C5a": 3, "C5b": 409, "F4": 7}, state=ResponseState.APPROVED))
    db.session.commit()
    return round_


def _enter(client, **data):
    form = {"kind": "indicator", "code": "t8_assisted", "year": "2013", "region": "", "value": "1078",
            "source": "Ministry annual report 2013", "note": ""}
    form.update(data)
    return client.post(f"{URL}/values", data=form)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_overview_shows_plan_official_and_measured_side_by_side(client, login_as, round_2013):
    login_as(Role.MINISTRY)
    assert _enter(client).status_code == 302
    page = _text(client.get(URL))
    assert "Task 8. Assistance to victims" in page
    # 2013 column of t8: plan, the official figure with its share, and the measured lower bound with its share
    assert "Plan 1,242 Official 1,078 87% partly Measured ≥ 412 33% behind" in page.replace("\u202f", " ")
    assert "lower bound: monitored shelters only" in page
    assert "Total Plan 3,726" in page.replace("\u202f", " ") or "Plan 3,726" in page.replace("\u202f", " ")
    assert "The programme sets no indicator for this task." in page  # tasks 6 and 7
    assert "Share of the target reached in 2013" in page and "Official 87% Measured ≥ 33%" in page


def test_indicator_page_has_chart_table_and_history(client, login_as, round_2013):
    login_as(Role.MINISTRY)
    _enter(client)
    _enter(client, value="1 080", source="Corrected annual report", note="typo in the first report")
    page = client.get(f"{URL}/indicators/t8_assisted").get_data(as_text=True)
    assert "<svg" in page and "The numbers" in page
    history = _text(client.get(f"{URL}/indicators/t8_assisted")).replace("\u202f", " ")
    assert history.index("Corrected annual report") < history.index("Ministry annual report 2013")
    assert "Official 1,080" in history  # the newest entry counts
    assert "2013: round 2013-10; responses or regional forms counted: 1" in history


def test_entering_is_audited_with_who_and_what(client, login_as, programme):
    user = login_as(Role.MINISTRY)
    _enter(client)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "programme.enter_value"))
    assert entry.user_id == user.id
    assert entry.changes == {"code": "t8_assisted", "year": 2013, "value": "1078", "region": None,
                             "source": "Ministry annual report 2013"}
    value = db.session.scalar(select(ActualValue))
    assert value.entered_by_id == user.id and value.source == "Ministry annual report 2013"


def test_bad_value_is_explained_next_to_the_field_and_nothing_typed_is_lost(client, login_as, programme):
    login_as(Role.MINISTRY)
    response = _enter(client, value="about 1000", source="Letter 12/3", note="check with the region")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write a number" in page and 'value="about 1000"' in page and 'value="Letter 12/3"' in page
    assert "check with the region" in page
    assert db.session.scalar(select(ActualValue)) is None
    missing = _enter(client, source="  ").get_data(as_text=True)
    assert "Say where the figure comes from" in missing


def test_regional_user_enters_only_for_its_own_region(client, login_as, programme):
    login_as(Role.REGIONAL, region="UA-46")
    assert _enter(client, region="UA-46", value="61").status_code == 302
    assert _enter(client, region="UA-12", value="5").status_code == 403
    assert _enter(client, region="", value="5").status_code == 403
    values = db.session.scalars(select(ActualValue)).all()
    assert [(v.region.iso_code, v.value) for v in values] == [("UA-46", 61)]
    own = _text(client.get(f"{URL}?region=UA-46")).replace("\u202f", " ")
    assert "Official 61" in own
    assert client.get(f"{URL}?region=UA-12").status_code == 403
    form_regions = client.get(f"{URL}/indicators/t8_assisted").get_data(as_text=True)
    assert 'value="UA-46"' in form_regions and 'value="UA-12"' not in form_regions


def test_regional_figure_does_not_change_the_national_view(client, login_as, programme):
    login_as(Role.MINISTRY)
    _enter(client, region="UA-46", value="61", source="Lviv report")
    national = _text(client.get(f"{URL}/indicators/t8_assisted")).replace("\u202f", " ")
    assert "Official 61" not in national
    assert "Lviv" in national  # the by-region table and the history show it


def test_monitor_neither_sees_nor_enters(client, login_as, programme):
    login_as(Role.MONITOR)
    assert client.get(URL).status_code == 403
    assert _enter(client).status_code == 403
    assert db.session.scalar(select(ActualValue)) is None


def test_funding_page_compares_plan_with_disbursed(client, login_as, programme):
    login_as(Role.MINISTRY)
    assert _enter(client, kind="funding", code="state", value="936.2", source="Treasury report").status_code == 302
    page = _text(client.get(f"{URL}/funding")).replace("\u202f", " ")
    assert "State budget Plan 1,003.505 Official 936.2 93% partly" in page
    assert "of which Ministry of Social Policy" in page
    assert "Total Plan 2,391.103" in page


def test_unknown_line_or_year_is_refused_with_a_message(client, login_as, programme):
    login_as(Role.MINISTRY)
    assert _enter(client, year="2016").status_code == 400
    assert _enter(client, kind="funding", code="t8_assisted").status_code == 400
    assert db.session.scalar(select(ActualValue)) is None


def test_ukrainian_overview(client, login_as, round_2013):
    login_as(Role.MINISTRY)
    client.post("/language/uk", data={"next": URL})
    page = _text(client.get(URL))
    assert "Допомога постраждалим" in page and "План" in page


def test_the_source_of_a_target_is_named_in_the_readers_language(client, login_as, programme):
    login_as(Role.MINISTRY)
    assert "Source of the target: Annex 3" in _text(client.get(f"{URL}/indicators/t8_assisted"))
    client.post("/language/uk")
    page = _text(client.get(f"{URL}/indicators/t8_assisted"))
    assert "Додаток 3" in page and "Annex" not in page


def test_a_regional_programme_belongs_to_its_region(client, make, login_as):
    text = SHIPPED_PROGRAMME.read_text(encoding="utf-8").replace("region: national", "region: UA-46").replace(
        "code: ua-thb-2012", "code: lviv-thb-2013")
    load_programme(text, "lviv.yaml")
    db.session.commit()
    lviv = make.user(Role.REGIONAL, region="UA-46")
    other = make.user(Role.REGIONAL, region="UA-12")
    login(client, other)
    assert client.get("/programmes/lviv-thb-2013").status_code == 403
    assert "lviv-thb-2013" not in client.get("/programmes").get_data(as_text=True)
    client.post("/logout")
    login(client, lviv)
    assert client.get("/programmes/lviv-thb-2013").status_code == 200
    posted = client.post("/programmes/lviv-thb-2013/values", data={
        "kind": "indicator", "code": "t8_assisted", "year": "2014", "region": "UA-46", "value": "58",
        "source": "Oblast report"})
    assert posted.status_code == 302
    page = _text(client.get("/programmes/lviv-thb-2013/indicators/t8_assisted")).replace("\u202f", " ")
    # the regional programme's own targets apply in its region
    assert "Plan 1,242 Official 58 5% behind" in page
