"""Admin pages for users, shelters and rounds; the coordinator assigns monitors; shelter list filters."""
from sqlalchemy import select

from shelter_monitor.auth.models import Role, User
from shelter_monitor.extensions import db
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

SHELTER_FORM = {"name": "New CSPA", "region": "UA-51", "settlement": "Odesa", "katottg": "",
                "institution_type": "cspa", "ownership": "oblast", "capacity": "30", "status": "open",
                "address": "1 Hidden st", "phone": "+380"}


def test_admin_creates_and_edits_a_user(client, login_as):
    login_as(Role.ADMIN)
    page = client.post("/admin/users/new", data={"email": "reg@example.org", "name": "Reg", "role": "regional",
                                                 "region": ""})
    assert page.status_code == 200 and "needs a region" in page.get_data(as_text=True)
    page = client.post("/admin/users/new", data={"email": "reg@example.org", "name": "Reg", "role": "regional",
                                                 "region": "UA-46"})
    assert page.status_code == 200 and "/password/" in page.get_data(as_text=True)  # the invitation link
    user = db.session.scalar(select(User).where(User.email == "reg@example.org"))
    assert user.region.iso_code == "UA-46"
    client.post(f"/admin/users/{user.id}", data={"name": "Reg Two", "role": "ministry", "region": "",
                                                 "active": ""})
    db.session.refresh(user)
    assert (user.name, user.role, user.region, user.active) == ("Reg Two", "ministry", None, False)


def test_duplicate_email_is_reported_next_to_the_field(client, login_as, make):
    login_as(Role.ADMIN)
    existing = make.user(Role.MONITOR)
    page = client.post("/admin/users/new", data={"email": existing.email, "name": "X", "role": "monitor",
                                                 "region": ""})
    assert "exists already" in page.get_data(as_text=True)


def test_admin_adds_and_edits_a_shelter(client, login_as):
    login_as(Role.ADMIN)
    page = client.post("/shelters/new", data={**SHELTER_FORM, "name": ""})
    assert page.status_code == 200 and 'value="Odesa"' in page.get_data(as_text=True)
    assert client.post("/shelters/new", data=SHELTER_FORM).status_code == 302
    shelter = db.session.scalar(select(Shelter))
    assert (shelter.region.iso_code, shelter.capacity, shelter.address) == ("UA-51", 30, "1 Hidden st")
    client.post(f"/shelters/{shelter.id}/edit", data={**SHELTER_FORM, "status": "suspended", "capacity": "25"})
    db.session.refresh(shelter)
    assert (shelter.status, shelter.capacity) == ("suspended", 25)
    assert "shelter.update" in client.get("/audit").get_data(as_text=True)


def test_admin_creates_a_round_and_a_reversed_period_is_refused(client, login_as):
    login_as(Role.ADMIN)
    form = {"code": "2021-10", "name": "Жовтень 2021", "name_en": "October 2021", "period_start": "2021-10-01",
            "period_end": "2021-09-01",
            "questionnaire_version": "2020.1", "covid_section": "y", "is_open": "y"}
    page = client.post("/rounds/new", data=form)
    assert "ends before it starts" in page.get_data(as_text=True)
    assert client.post("/rounds/new", data={**form, "period_end": "2021-10-31"}).status_code == 302
    round_ = db.session.scalar(select(Round))
    assert (round_.code, round_.name, round_.name_en) == ("2021-10", "Жовтень 2021", "October 2021")
    assert (round_.display_name("en"), round_.display_name("uk")) == ("October 2021", "Жовтень 2021")
    client.post("/language/en")
    assert "<h1>October 2021" in client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    client.post("/language/uk")
    assert "<h1>Жовтень 2021" in client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    edit = client.get(f"/rounds/{round_.id}/edit").get_data(as_text=True)
    assert 'value="Жовтень 2021"' in edit and 'value="October 2021"' in edit


def test_coordinator_assigns_monitors(client, login_as, make):
    login_as(Role.COORDINATOR)
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter()
    client.post(f"/shelters/{shelter.id}/monitors", data={"monitors": [monitor.id]})
    db.session.refresh(shelter)
    assert shelter.monitors == [monitor]


def test_shelter_list_filters(client, login_as, make):
    login_as(Role.MINISTRY)
    make.shelter(region="UA-46", name="Lviv CSPA", institution_type="cspa")
    make.shelter(region="UA-46", name="Lviv DV shelter", institution_type="dv_shelter", status="suspended")
    make.shelter(region="UA-12", name="Dnipro CSPA", institution_type="cspa")
    page = client.get("/shelters?region=UA-46").get_data(as_text=True)
    assert "Lviv CSPA" in page and "Dnipro CSPA" not in page
    page = client.get("/shelters?institution_type=cspa").get_data(as_text=True)
    assert "Lviv CSPA" in page and "Dnipro CSPA" in page and "Lviv DV shelter" not in page
    page = client.get("/shelters?status=suspended").get_data(as_text=True)
    assert "Lviv DV shelter" in page and "Lviv CSPA" not in page
