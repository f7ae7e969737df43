"""A region belongs to regional users and a shelter to shelter staff: a choice that would be ignored for another
role is refused next to its field, never silently dropped."""
import re

import pytest
from sqlalchemy import select

from shelter_monitor.auth.models import Role, User
from shelter_monitor.auth.service import UserError, create_user
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso

NEW = {"email": "mon@example.org", "name": "Mon", "role": "monitor", "region": "", "shelter": "0"}


def _error_of(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"><p class="field-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_a_region_chosen_for_a_monitor_is_refused_next_to_the_field(client, login_as):
    login_as(Role.ADMIN)
    page = client.post("/admin/users/new", data={**NEW, "region": "UA-46"}).get_data(as_text=True)
    assert _error_of(page, "region").startswith("Only regional administration users have a region")
    assert db.session.scalar(select(User).where(User.email == "mon@example.org")) is None
    client.post("/admin/users/new", data=NEW)
    assert db.session.scalar(select(User).where(User.email == "mon@example.org")).region is None


def test_editing_a_user_refuses_a_region_the_role_would_ignore(client, login_as, make):
    login_as(Role.ADMIN)
    monitor = make.user(Role.MONITOR)
    page = client.post(f"/admin/users/{monitor.id}", data={"name": monitor.name, "role": "monitor",
                                                         "region": "UA-46", "shelter": "0", "active": "y"})
    assert page.status_code == 200 and _error_of(page.get_data(as_text=True), "region")
    db.session.refresh(monitor)
    assert monitor.region is None


def test_a_regional_user_keeps_its_region_and_a_staff_member_its_shelter(make):
    shelter = make.shelter()
    regional = create_user("r@example.org", "R", None, Role.REGIONAL, region_by_iso("UA-46"))
    staff = create_user("s@example.org", "S", None, Role.SHELTER_STAFF, shelter=shelter)
    assert regional.region.iso_code == "UA-46" and staff.shelter_id == shelter.id
    with pytest.raises(UserError) as refused:
        create_user("c@example.org", "C", None, Role.COORDINATOR, shelter=shelter)
    assert refused.value.field == "shelter"
