"""Questionnaire versions stored in the database: read like the shipped one, chosen for a round, immutable once a
round uses them."""
import copy
import json

import pytest

from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import DEFINITIONS_DIR, available_versions, load_definition
from shelter_monitor.questionnaire.versions import VersionError, store_version

SHIPPED = json.loads((DEFINITIONS_DIR / "2020.1.json").read_text(encoding="utf-8"))


def edited(version: str = "2021.1", label: str = "Date of the visit (2021)") -> dict:
    raw = copy.deepcopy(SHIPPED)
    raw["version"] = version
    raw["sections"][0]["questions"][1]["label"]["en"] = label
    return raw


def test_a_stored_version_is_loaded_like_the_shipped_one(make):
    store_version(edited(), "2020.1", None)
    db.session.commit()
    assert available_versions() == ["2020.1", "2021.1"]
    definition = load_definition("2021.1")
    assert definition.version == "2021.1"
    assert definition.question("A2").label["en"] == "Date of the visit (2021)"
    assert load_definition("2020.1").question("A2").label["en"] != "Date of the visit (2021)"
    assert load_definition("2021.1") is definition  # cached


def test_a_shipped_version_cannot_be_replaced(make):
    with pytest.raises(VersionError, match="ships with the platform"):
        store_version(edited("2020.1"), "2020.1", None)


def test_a_version_is_replaced_until_a_round_uses_it(make):
    store_version(edited(), "2020.1", None)
    db.session.commit()
    store_version(edited(label="Date of the visit (second import)"), "2020.1", None)
    db.session.commit()
    assert load_definition("2021.1").question("A2").label["en"] == "Date of the visit (second import)"
    make.round("2021-10", questionnaire_version="2021.1")
    with pytest.raises(VersionError, match="used by the rounds 2021-10 and cannot be changed"):
        store_version(edited(label="Changed under a running round"), "2020.1", None)
    db.session.rollback()
    assert load_definition("2021.1").question("A2").label["en"] == "Date of the visit (second import)"


def test_the_round_form_offers_stored_versions(client, make, login_as):
    store_version(edited(), "2020.1", None)
    db.session.commit()
    login_as("admin")
    page = client.get("/rounds/new").get_data(as_text=True)
    assert '<option value="2021.1">2021.1</option>' in page
    response = client.post("/rounds/new", data={
        "code": "2021-10", "name": "Жовтень 2021", "name_en": "October 2021", "period_start": "2021-10-01",
        "period_end": "2021-10-31", "questionnaire_version": "2021.1", "covid_section": "y", "is_open": "y"})
    assert response.status_code == 302
