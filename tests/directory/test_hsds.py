"""The HSDS mapping alone (no Flask, no database): identifiers, status, capacities, ages, documents, the
questionnaire check, and a service valid against the HSDS 3.1 schema."""
import dataclasses
import datetime as dt

import pytest

from shelter_monitor.dashboards.indicators import Availability
from shelter_monitor.directory.hsds import (
    DirectoryError,
    Reader,
    ShelterRecord,
    check_definition,
    object_id,
    organization,
    page,
    service,
    service_at_location,
    shelter_id_of,
)
from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import Definition, Section
from tests.directory.schemas import FORMATS, errors_of, page_validator, validator

DEFINITION = load_definition()
ENGLISH = Reader()
ANSWERS = {"A2": "2020-10-12", "B6": "unit", "C1": 30, "C3": 18, "D1": ["adult_women", "mothers_children"],
           "D2": 6, "D3": 17, "D5": ["passport", "referral"], "D6": "no", "D7": "temporary", "D14": "yes",
           "D14b": True}


def record(**changes) -> ShelterRecord:
    values = {"shelter_id": 7, "name": "Centre 7", "region": "UA-46", "region_name": "Lviv Oblast",
              "settlement": "Lviv", "katottg": "UA46060250010015970", "institution_type": "cspa",
              "ownership": "oblast", "specialised": True, "capacity": 25, "status": "open",
              "changed_at": dt.datetime(2020, 11, 20, 9, 30, 0, 250000), "definition": DEFINITION,
              "answers": ANSWERS, "availability": None}
    return ShelterRecord(**(values | changes))


def update(day: int = 20, open_: bool = True) -> Availability:
    return Availability(as_of=dt.datetime(2020, 10, day, 9), free_women=2, free_men=1, free_children=3,
                        youngest_child_months=None, admissions_open=open_)


def units(payload: dict) -> dict[str, tuple]:
    return {c["unit"]["identifier"]: (c["available"], c.get("maximum"), c["updated"])
            for c in payload.get("capacities", [])}


def test_the_shipped_questionnaire_has_every_code_the_directory_reads():
    check_definition(DEFINITION)


def _definition_with(**changes) -> Definition:
    questions = tuple(changes.get(q.code, q) for q in DEFINITION.questions if changes.get(q.code, q) is not None)
    return Definition("test", {}, (Section("all", {}, questions),), ())


@pytest.mark.parametrize(("changes", "message"), [
    ({"D14b": None}, "the HSDS directory reads D14b, which questionnaire test does not have"),
    ({"D2": dataclasses.replace(DEFINITION.question("D2"), type="text")},
     "the HSDS directory reads D2 as int, but questionnaire test has it as text"),
    ({"D1": dataclasses.replace(DEFINITION.question("D1"), choices=DEFINITION.question("D1").choices[:4])},
     "the HSDS directory reads choice 'families' of D1, which questionnaire test does not offer"),
])
def test_a_questionnaire_without_what_the_directory_reads_is_refused_by_name(changes, message):
    with pytest.raises(DirectoryError) as refused:
        check_definition(_definition_with(**changes))
    assert str(refused.value) == message


def test_identifiers_are_uuids_that_name_their_shelter_and_kind():
    assert FORMATS.conforms(object_id("service", 7), "uuid") and not FORMATS.conforms("7", "uuid")
    assert shelter_id_of("service", object_id("service", 7)) == 7
    assert shelter_id_of("service", object_id("service", 7).upper()) == 7
    assert shelter_id_of("organization", object_id("service", 7)) is None
    for wrong in ("7", "", "not-a-uuid", "53484c54-0002-8000-8000-ffffffffffff", object_id("service", 0),
                  "00000000-0002-8000-8000-000000000007"):
        assert shelter_id_of("service", wrong) is None, wrong


def test_a_service_validates_against_the_hsds_schema_and_has_no_contact():
    for availability in (None, update(), update(open_=False)):
        payload = service(record(availability=availability), ENGLISH)
        assert errors_of(validator("service"), payload) == []
        assert not {"phones", "contacts", "email", "url"} & payload.keys()
        location = payload["service_at_locations"][0]["location"]
        assert location == {"id": object_id("location", 7), "location_type": "physical",
                            "organization_id": object_id("organization", 7), "name": "Lviv, Lviv Oblast",
                            "external_identifier": "UA46060250010015970", "external_identifier_type": "KATOTTG"}
    assert errors_of(validator("organization"), organization(record(), ENGLISH)) == []
    assert errors_of(validator("service_at_location"), service_at_location(record(), ENGLISH, True)) == []


def test_the_date_time_format_is_checked():
    """Without a date-time checker (rfc3339-validator) the schemas' date-time would pass anything."""
    assert not FORMATS.conforms("2020-10-12", "date-time") and FORMATS.conforms("2020-10-12T00:00:00.000Z",
                                                                               "date-time")


@pytest.mark.parametrize(("status", "availability", "expected"), [
    ("open", None, "active"),
    ("open", update(), "active"),
    ("open", update(open_=False), "temporarily closed"),
    ("suspended", None, "temporarily closed"),
    ("closed", None, "inactive"),
    ("closed", update(open_=False), "inactive"),
])
def test_status_maps_to_hsds(status, availability, expected):
    payload = service(record(status=status, availability=availability), ENGLISH)
    assert payload["status"] == expected
    assert ("alert" in payload) is (expected == "temporarily closed" and availability is not None)


def test_a_newer_update_gives_free_places_per_unit_and_the_known_capacity():
    payload = service(record(availability=update(day=20)), ENGLISH)
    moment = "2020-10-20T09:00:00.000Z"
    assert units(payload) == {"women": (2, None, moment), "men": (1, None, moment), "children": (3, None, moment),
                              "places": (6, 30, moment)}  # 30: C1, larger than the profile's 25
    assert payload["capacities"][0]["description"] == \
        "Free places according to the availability update of October 20, 2020."


def test_an_update_not_newer_than_the_visit_gives_way_to_the_visit():
    visit = {"places": (12, 30, "2020-10-12T00:00:00.000Z")}  # C1 30 less C3 18
    assert units(service(record(availability=update(day=12)), ENGLISH)) == visit
    assert units(service(record(), ENGLISH)) == visit
    over = units(service(record(answers=ANSWERS | {"C3": 40}), ENGLISH))
    assert over["places"][0] == 0
    without_visit_figures = {k: v for k, v in ANSWERS.items() if k != "C3"}
    assert set(units(service(record(answers=without_visit_figures, availability=update(day=12)), ENGLISH))) == \
        {"women", "men", "children", "places"}
    assert "capacities" not in service(record(answers={}), ENGLISH)


@pytest.mark.parametrize(("answers", "institution_type", "minimum", "maximum"), [
    ({"D1": ["adult_women", "mothers_children"], "D2": 6}, "cspa", 0.5, None),
    ({"D1": ["adult_women", "families"]}, "cspa", None, None),  # D2 not answered
    ({"D1": ["adult_women", "adult_men"]}, "cspa", 18, None),
    ({"D1": ["unaccomp_children"]}, "child_shelter", None, 17),
    ({}, "cspa", None, None),
])
def test_ages_come_from_who_is_admitted(answers, institution_type, minimum, maximum):
    payload = service(record(answers=answers, institution_type=institution_type), ENGLISH)
    assert payload.get("minimum_age") == minimum and payload.get("maximum_age") == maximum


def test_eligibility_documents_languages_and_interpretation_come_from_the_answers():
    payload = service(record(), ENGLISH)
    assert payload["eligibility_description"] == (
        "Who can be admitted: Adult women; Women with children. "
        "Youngest child admitted with a parent (months): 6. Oldest child admitted with a parent (years): 17. "
        "Is registered residence in the served territory required? No. "
        "Can a person be admitted without ID documents? Temporarily, until documents are restored. "
        "Foreigners / stateless persons admitted? Yes.")
    assert [d["document"] for d in payload["required_documents"]] == [
        "Passport / ID card", "Referral (state administration / social services centre / police)"]
    assert [(language["code"], language["name"]) for language in payload["languages"]] == [("uk", "Ukrainian")]
    assert payload["interpretation_services"] == "An interpreter is available."
    assert payload["organization"]["legal_status"] == "Structural unit of another institution"
    bare = service(record(answers={"D5": ["none"]}), ENGLISH)
    assert not {"required_documents", "eligibility_description", "interpretation_services"} & bare.keys()


def test_the_questionnaire_labels_follow_the_reader_language():
    payload = service(record(), Reader("uk", catalog("uk")))
    assert payload["eligibility_description"].startswith("Кого приймають: ")
    assert payload["required_documents"][0]["document"] == "Паспорт/ID"


def test_the_module_wording_is_in_ukrainian():
    """Waits on the merge of /work/tr/hsds.po into the catalog."""
    payload = service(record(availability=update()), Reader("uk", catalog("uk")))
    assert [c["unit"]["name"] for c in payload["capacities"]] == [
        "Місця для жінок", "Місця для чоловіків", "Місця для дітей", "Усі місця"]
    assert payload["languages"][0]["name"] == "Українська"


def test_pages_carry_the_hsds_pagination_fields():
    items = [organization(record(shelter_id=n), ENGLISH) for n in (1, 2)]
    first = page(items, 5, 1, 2)
    assert errors_of(page_validator("organization"), first) == []
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5, "total_pages": 3, "page_number": 1, "size": 2, "first_page": True, "last_page": False,
        "empty": False}
    assert page([], 5, 4, 2) | {"contents": None} == {
        "total_items": 5, "total_pages": 3, "page_number": 4, "size": 0, "first_page": False, "last_page": True,
        "empty": True, "contents": None}
    assert page([], 0, 1, 50)["total_pages"] == 0 and page([], 0, 1, 50)["last_page"]
