"""Shelters as Open Referral HSDS 3.1 objects (https://docs.openreferral.org/en/v3.1/): plain Python, no Flask,
no database. The caller hands in one ShelterRecord per shelter (its record, the latest submitted or approved
answers HSDS reads, its newest availability update) and a Reader (the language to write in).

What each shelter becomes:
- organization: the institution that runs the shelter. The questionnaire names no other operator (B5 says who
  founded it, B6 whether it is a legal entity or a unit of another institution), so each shelter is the one service
  of its own organisation, which bears the shelter's name and says its type (B4), founder (B5) and legal form (B6).
- service: status from the record (open: active; admissions suspended: temporarily closed; closed: inactive), and
  temporarily closed as well when the newest availability update says admissions are closed (with an alert);
  eligibility_description from who is admitted (D1), the children's ages (D2, D3), registration (D6), admission
  without documents (D7) and foreigners (D14); minimum_age 18 when D1 admits no children, the youngest child's age
  (D2, in years) when children come with a parent, unknown for unaccompanied children; maximum_age 17 in an
  institution for children (B4 child_rehab, child_shelter); required_documents from D5; languages: Ukrainian, the
  state language every service in Ukraine is provided in, and interpretation_services from D14b.
- capacities (service_capacity): free places per unit (places for women, for men, for children, from the newest
  availability update) and all places (available: the update's total, maximum: the most places the shelter is
  known to have, the larger of its profile's capacity and C1), `updated` the update's moment; when the update is
  not newer than the visit (A2), the visit's figures instead: all places, available C1 - C3 (never below 0),
  maximum C1, updated the visit's day. This is the dashboards' free-places rule.
- location (in service_at_location): the settlement and the region, nothing more.

Nothing confidential is ever written, whoever reads: no address, phone, email, coordinates or contact of any shelter
(the public has no contact rule in auth/policy: a public reader sees none, and a directory is passed on); answers
the coordinator marked sensitive are dropped by the caller before they reach a record.

Identifiers are UUIDs, stable between requests: organisations, services, locations and service-at-locations carry
the shelter id in their last 12 hex digits (`object_id`, `shelter_id_of`), nested objects a UUID 5 of their
parent's id and their own name.

check_definition(definition) holds every question code and choice value named here against a questionnaire
definition (the app runs it for every version when it starts).
"""
import datetime as dt
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shelter_monitor.availability.matching import CHILDREN_ONLY_TYPES
from shelter_monitor.dashboards.indicators import Availability, availability_is_current
from shelter_monitor.formatting import format_date
from shelter_monitor.i18n import ENGLISH, N_, NullTranslations
from shelter_monitor.questionnaire.model import Definition, Question, localize, reads_mismatch

__all__ = ["HSDS_VERSION", "KINDS", "DirectoryError", "Reader", "ShelterRecord", "about", "check_definition",
           "object_id", "organization", "page", "service", "service_at_location", "shelter_id_of"]

HSDS_VERSION = "3.1"
HSDS_PROFILE = "https://docs.openreferral.org/en/v3.1/"
HSDS_OPENAPI = "https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json"
ID_PREFIX = "53484c54"  # "SHLT"
KINDS = {"organization": 1, "service": 2, "location": 3, "service_at_location": 4}
LARGEST_ID = 2**31 - 1
NESTED = uuid.UUID(f"{ID_PREFIX}-0000-8000-8000-000000000000")  # the namespace of units

STATUSES = {"open": "active", "suspended": "temporarily closed", "closed": "inactive"}
WITH_PARENT = ("mothers_children", "fathers_children", "families")
ADULT_AGE = 18
CHILD_MAXIMUM_AGE = 17  # a child is a person under 18
ELIGIBILITY_CODES = ("D1", "D2", "D3", "D6", "D7", "D14")
RECORD_CODES = ("B4", "B5", "B7")  # read from the shelter's record, which the questionnaire's section B pre-fills
# What the directory reads: question code -> (type, the choice values it names); check_definition holds these
# against the questionnaire.
READS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "A2": ("date", ()),
    "B4": ("single", CHILDREN_ONLY_TYPES),
    "B5": ("single", ()),
    "B6": ("single", ()),
    "B7": ("bool", ()),
    "C1": ("int", ()),
    "C3": ("int", ()),
    "D1": ("multi", (*WITH_PARENT, "unaccomp_children")),
    "D2": ("int", ()),
    "D3": ("int", ()),
    "D5": ("multi", ("none",)),
    "D6": ("single", ()),
    "D7": ("single", ()),
    "D14": ("single", ()),
    "D14b": ("bool", ()),
}
ANSWER_CODES = tuple(code for code in READS if code not in RECORD_CODES)  # what the caller loads from answers
UNITS = {
    "women": N_("Places for women"),
    "men": N_("Places for men"),
    "children": N_("Places for children"),
    "places": N_("All places"),
}
UNIT_SCHEME = "shelter-monitor"


class DirectoryError(ValueError):
    """The directory names a question or choice the questionnaire definition does not have (or has another type)."""


def check_definition(definition: Definition) -> None:
    """Raise DirectoryError naming the first question code, type or choice value the directory reads that the
    definition lacks or defines otherwise."""
    problem = reads_mismatch(definition, READS, "the HSDS directory")
    if problem:
        raise DirectoryError(problem)


@dataclass(frozen=True)
class Reader:
    """The language the directory is written in: the questionnaire's labels in `locale`, this module's own wording
    through `translations` (shelter_monitor.i18n.catalog, or Flask-Babel's for the reader of a request)."""

    locale: str = "en"
    translations: NullTranslations = ENGLISH

    def say(self, message: str, **params: Any) -> str:
        text = self.translations.gettext(message)
        return text % params if params else text


@dataclass(frozen=True)
class ShelterRecord:
    """One shelter as the directory sees it."""

    shelter_id: int
    name: str
    region: str  # ISO 3166-2 code
    region_name: str  # in the reader's language
    settlement: str
    katottg: str
    institution_type: str
    ownership: str
    specialised: bool
    capacity: int
    status: str  # "open" | "suspended" | "closed"
    changed_at: dt.datetime  # the newest change of the record, its answers or its free places (naive UTC)
    definition: Definition  # of the answers' questionnaire version (the current one when there are none)
    answers: Mapping[str, Any] = field(default_factory=dict)  # ANSWER_CODES of the latest counted answers
    availability: Availability | None = None


def object_id(kind: str, shelter_id: int) -> str:
    """The UUID of the shelter's organisation, service, location or service-at-location."""
    return f"{ID_PREFIX}-{KINDS[kind]:04x}-8000-8000-{shelter_id:012x}"


def shelter_id_of(kind: str, identifier: str) -> int | None:
    """The shelter whose `kind` object has this id; None when it is no id of that kind."""
    try:
        text = str(uuid.UUID(identifier))
    except ValueError:
        return None
    prefix = object_id(kind, 0)[:-12]
    if not text.startswith(prefix):
        return None
    number = int(text[len(prefix):], 16)
    return number if 0 < number <= LARGEST_ID else None


def _nested_id(parent: str, name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(parent), name))


def _moment(moment: dt.datetime) -> str:
    """A naive UTC datetime as RFC 3339 with milliseconds, as HSDS asks."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """HSDS has no nulls: an unknown field is left out, as is an empty list."""
    return {key: value for key, value in values.items() if value is not None and value != []}


def _count(answers: Mapping[str, Any], code: str) -> int | None:
    value = answers.get(code)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _visit_date(answers: Mapping[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(answers["A2"])
    except (KeyError, TypeError, ValueError):
        return None


# --- words --------------------------------------------------------------------------------------------------

def _choice_label(question: Question, value: Any, reader: Reader) -> str:
    choice = question.choice(value) if isinstance(value, str) else None
    return localize(choice.label, reader.locale) if choice else str(value)


def _answer_text(question: Question, value: Any, reader: Reader) -> str | None:
    """An answer in words; None when absent or not of the question's shape."""
    if question.type == "multi":
        return "; ".join(_choice_label(question, v, reader) for v in value) if isinstance(value, list) and value \
            else None
    if question.type == "single":
        return _choice_label(question, value, reader) if isinstance(value, str) else None
    if question.type == "bool":
        return (reader.say(N_("Yes")) if value else reader.say(N_("No"))) if isinstance(value, bool) else None
    if question.type == "int":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def _sentence(definition: Definition, code: str, value: Any, reader: Reader) -> str | None:
    """"Question: answer." in the reader's language ("Question? Answer." when the question asks)."""
    question = definition.question(code)
    text = _answer_text(question, value, reader)
    if text is None:
        return None
    label = localize(question.label, reader.locale).strip()
    return f"{label} {text}." if label.endswith("?") else f"{label}: {text}."


def _sentences(parts: Iterable[str | None]) -> str | None:
    return " ".join(part for part in parts if part) or None


# --- objects ------------------------------------------------------------------------------------------------

def about(openapi_url: str = HSDS_OPENAPI) -> dict[str, str]:
    """The answer of the API's root: the HSDS version, the profile (none: plain HSDS) and the API reference."""
    return {"version": HSDS_VERSION, "profile": HSDS_PROFILE, "openapi_url": openapi_url}


def page(contents: Sequence[Mapping[str, Any]], total: int, page_number: int, per_page: int) -> dict[str, Any]:
    """A page of a list with the HSDS pagination fields."""
    total_pages = math.ceil(total / per_page)
    return {"total_items": total, "total_pages": total_pages, "page_number": page_number, "size": len(contents),
            "first_page": page_number == 1, "last_page": page_number >= total_pages, "empty": not contents,
            "contents": list(contents)}


def organization(record: ShelterRecord, reader: Reader,
                 services: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The institution running the shelter (with its services, when given: the API's organisation item)."""
    definition = record.definition
    description = _sentences([_sentence(definition, "B4", record.institution_type, reader),
                              _sentence(definition, "B5", record.ownership, reader)])
    legal_form = _answer_text(definition.question("B6"), record.answers.get("B6"), reader)
    return _present({"id": object_id("organization", record.shelter_id), "name": record.name,
                     "description": description or record.name, "legal_status": legal_form,
                     "services": list(services) or None})


def location(record: ShelterRecord) -> dict[str, Any]:
    """Where the shelter is, as far as may be said: its settlement and region (never an address)."""
    return _present({
        "id": object_id("location", record.shelter_id),
        "location_type": "physical",
        "organization_id": object_id("organization", record.shelter_id),
        "name": ", ".join(part for part in (record.settlement.strip(), record.region_name) if part),
        "external_identifier": record.katottg.strip() or None,
        "external_identifier_type": "KATOTTG" if record.katottg.strip() else None,
    })


def service_at_location(record: ShelterRecord, reader: Reader, with_service: bool = False) -> dict[str, Any]:
    """The shelter's service at its location (with the whole service when asked: the API's item)."""
    return _present({
        "id": object_id("service_at_location", record.shelter_id),
        "service_id": object_id("service", record.shelter_id),
        "location_id": object_id("location", record.shelter_id),
        "location": location(record),
        "service": service(record, reader) if with_service else None,
    })


def service(record: ShelterRecord, reader: Reader) -> dict[str, Any]:
    """The shelter as an HSDS service, fully nested (organisation, location, capacities, documents, languages)."""
    service_id = object_id("service", record.shelter_id)
    definition = record.definition
    return _present({
        "id": service_id,
        "organization_id": object_id("organization", record.shelter_id),
        "name": record.name,
        "description": _sentences([_sentence(definition, "B4", record.institution_type, reader),
                                   _sentence(definition, "B7", record.specialised, reader)]),
        "status": _status(record),
        "alert": _alert(record, reader),
        "eligibility_description": _sentences(_sentence(definition, code, record.answers.get(code), reader)
                                              for code in ELIGIBILITY_CODES),
        "minimum_age": _minimum_age(record),
        "maximum_age": CHILD_MAXIMUM_AGE if record.institution_type in CHILDREN_ONLY_TYPES else None,
        "interpretation_services": _interpretation(record, reader),
        "last_modified": _moment(record.changed_at),
        "capacities": _capacities(record, reader, service_id),
        "languages": [{"id": _nested_id(service_id, "language/uk"), "service_id": service_id,
                       "name": reader.say(N_("Ukrainian")), "code": "uk"}],
        "required_documents": _required_documents(record, reader, service_id),
        "service_at_locations": [service_at_location(record, reader)],
        "organization": organization(record, reader),
    })


def _admissions_closed(record: ShelterRecord) -> bool:
    return record.availability is not None and not record.availability.admissions_open


def _status(record: ShelterRecord) -> str:
    status = STATUSES.get(record.status, "inactive")
    return "temporarily closed" if status == "active" and _admissions_closed(record) else status


def _alert(record: ShelterRecord, reader: Reader) -> str | None:
    if record.status == "closed" or not _admissions_closed(record):
        return None
    return reader.say(N_("Admissions are closed according to the availability update of %(date)s."),
                      date=format_date(record.availability.as_of, reader.locale, "long"))


def _minimum_age(record: ShelterRecord) -> float | None:
    admitted = record.answers.get("D1")
    if not isinstance(admitted, list) or not admitted:
        return None
    if any(group in admitted for group in WITH_PARENT):
        months = _count(record.answers, "D2")
        return None if months is None else round(months / 12, 2)
    return None if "unaccomp_children" in admitted else ADULT_AGE


def _interpretation(record: ShelterRecord, reader: Reader) -> str | None:
    interpreter = record.answers.get("D14b")
    if not isinstance(interpreter, bool):
        return None
    return reader.say(N_("An interpreter is available.") if interpreter else N_("No interpreter is available."))


def _required_documents(record: ShelterRecord, reader: Reader, service_id: str) -> list[dict[str, Any]]:
    documents = record.answers.get("D5")
    if not isinstance(documents, list):
        return []
    question = record.definition.question("D5")
    return [{"id": _nested_id(service_id, f"document/{value}"), "service_id": service_id,
             "document": _choice_label(question, value, reader)}
            for value in documents if value != "none"]


def _known_capacity(record: ShelterRecord) -> int | None:
    known = [n for n in (record.capacity, _count(record.answers, "C1")) if n]
    return max(known) if known else None


def _capacities(record: ShelterRecord, reader: Reader, service_id: str) -> list[dict[str, Any]]:
    """Free places per unit from the newest update, or all places from the visit when the update is not newer
    (or there is none); nothing when neither is known."""
    update, answers = record.availability, record.answers
    visit = _visit_date(answers)
    places, residents = _count(answers, "C1"), _count(answers, "C3")
    by_visit = places is not None and residents is not None
    if update is not None and (availability_is_current(update, visit) or not by_visit):
        description = reader.say(N_("Free places according to the availability update of %(date)s."),
                                 date=format_date(update.as_of, reader.locale, "long"))
        figures = [("women", update.free_women, None), ("men", update.free_men, None),
                   ("children", update.free_children, None), ("places", update.total, _known_capacity(record))]
        updated = update.as_of
    elif by_visit:
        description = reader.say(N_("Free places on the monitoring visit of %(date)s: the total places less the "
                                    "persons staying."), date=format_date(visit, reader.locale, "long"))
        figures = [("places", max(places - residents, 0), places)]
        updated = dt.datetime.combine(visit, dt.time()) if visit else record.changed_at
    else:
        return []
    return [_present({"id": _nested_id(service_id, f"capacity/{unit}"), "service_id": service_id,
                      "unit": _unit(unit, reader), "available": available, "maximum": maximum,
                      "description": description, "updated": _moment(updated)})
            for unit, available, maximum in figures]


def _unit(key: str, reader: Reader) -> dict[str, str]:
    return {"id": str(uuid.uuid5(NESTED, f"unit/{key}")), "name": reader.say(UNITS[key]), "scheme": UNIT_SCHEME,
            "identifier": key}
