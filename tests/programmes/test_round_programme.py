"""A round reports on the programme covering its year, and says so when none does."""
import datetime as dt

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import gather_export
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import (
    SHIPPED_PROGRAMME,
    load_programme,
    programme_for_round,
    programme_note,
    round_programme,
)
from shelter_monitor.regions.service import region_by_iso

TITLE_EN = "State Targeted Social Programme on Combating Trafficking in Human Beings until 2015"


@pytest.fixture
def programme(make):
    row, _ = load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    db.session.commit()
    return row


def test_a_covered_year_reports_on_its_programme(make, programme):
    round_ = make.round("2014-10", dt.date(2014, 10, 1), dt.date(2014, 10, 31))
    found = round_programme(round_, None)
    assert (found.year, found.covering, found.last) == (2014, programme, None)
    assert programme_for_round(round_, region_by_iso("UA-46")) == programme
    assert programme_note(found, "en") is None


def test_an_expired_programme_is_named_never_shown_as_current(app, make, programme):
    round_ = make.round("2020-10")
    found = round_programme(round_, None)
    assert (found.year, found.covering, found.last) == (2020, None, programme)
    assert programme_for_round(round_, None) is None
    with app.test_request_context():
        assert programme_note(found, "en") == f"No programme covers 2020; the last one, {TITLE_EN}, ran 2013–2015."
        data = gather_export(round_, None, "en")
    assert data.programme is None
    assert data.programme_note.startswith("No programme covers 2020; the last one")


def test_no_programme_at_all(app, make):
    round_ = make.round("2020-10")
    found = round_programme(round_, None)
    assert (found.covering, found.last) == (None, None)
    with app.test_request_context():
        assert programme_note(found, "en") == "No programme covers 2020."


def test_the_round_page_says_which_programme_covers_it(client, login_as, make, programme):
    covered = make.round("2014-10", dt.date(2014, 10, 1), dt.date(2014, 10, 31))
    later = make.round("2020-10")
    login_as(Role.MINISTRY)
    client.post("/language/en")
    page = client.get(f"/rounds/{covered.id}").get_data(as_text=True)
    assert "Programme covering 2014:" in page and "/programmes/ua-thb-2012" in page
    page = client.get(f"/rounds/{later.id}").get_data(as_text=True)
    assert f"No programme covers 2020; the last one, {TITLE_EN}, ran 2013–2015." in page
    assert "Programme covering" not in page
