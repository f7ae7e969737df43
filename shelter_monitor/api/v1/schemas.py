"""The API's request and response bodies. The OpenAPI document is generated from these (flask-smorest), so what
is documented is what is parsed and sent. Answers are keyed by question code, never by a database id."""
import datetime as dt

import marshmallow as ma
from marshmallow import fields, validate

from shelter_monitor.api.v1.paging import MAX_PAGE_SIZE
from shelter_monitor.inputs import MAX_INT

LANGUAGES = ("uk", "en")
ISO_CODE = validate.Regexp(r"^[A-Z]{2}-[0-9A-Z]{1,3}$", error="An ISO 3166-2 code such as UA-46.")
NO_CONTROL = validate.Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", error="Remove the control characters.")


class UtcDateTime(fields.DateTime):
    """A stored moment (naive UTC in the database) sent as RFC 3339 with its offset, e.g. 2026-11-20T06:00:00+00:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class Schema(ma.Schema):
    class Meta:
        ordered = True


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(metadata={"description": "about:blank"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Dict(keys=fields.String(), values=fields.String()),
                         metadata={"description": "The fields that failed: {field, in, detail}."})


class PlainPageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_INT))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                               metadata={"description": f"At most {MAX_PAGE_SIZE}."})


def _updated_since(description: str) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=dt.UTC, load_default=None,
                                metadata={"description": f"{description} (ISO 8601; UTC when no offset)."})


class PageArgs(PlainPageArgs):
    updated_since = _updated_since("Only items changed at or after this moment")


class RecommendationArgs(Schema):
    updated_since = _updated_since(
        "Only the recommendations whose follow-up changed at or after this moment. The recommendations themselves "
        "have no timestamp (they are recomputed as responses are counted): read the list without it to see new, "
        "changed or withdrawn ones")


class ShelterArgs(PageArgs):
    region = fields.String(load_default=None, validate=ISO_CODE,
                           metadata={"description": "ISO 3166-2 code, e.g. UA-46"})


class ResponseArgs(PageArgs):
    round = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_INT),
                           metadata={"description": "Round id"})
    shelter = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_INT),
                             metadata={"description": "Shelter id"})


class RegionSchema(Schema):
    iso_code = fields.String()
    katottg = fields.String()
    kind = fields.String()
    name_en = fields.String()
    name_uk = fields.String()


class AvailabilitySchema(Schema):
    id = fields.Integer()
    shelter_id = fields.Integer()
    as_of = UtcDateTime()
    free_women = fields.Integer()
    free_men = fields.Integer()
    free_children = fields.Integer()
    youngest_child_months = fields.Integer(allow_none=True)
    admissions_open = fields.Boolean()
    note = fields.String()
    created_at = UtcDateTime()


class AvailabilityInput(Schema):
    as_of = fields.AwareDateTime(default_timezone=dt.UTC, load_default=None,
                                 metadata={"description": "When the figures were true (default: now; UTC when no "
                                                          "offset)."})
    free_women = fields.Integer(required=True, validate=validate.Range(min=0, max=10000))
    free_men = fields.Integer(required=True, validate=validate.Range(min=0, max=10000))
    free_children = fields.Integer(required=True, validate=validate.Range(min=0, max=10000))
    youngest_child_months = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=216))
    admissions_open = fields.Boolean(load_default=True)
    note = fields.String(load_default="", validate=[validate.Length(max=1000), NO_CONTROL])


class ContactSchema(Schema):
    address = fields.String()
    phone = fields.String()


class ShelterSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region = fields.String(attribute="region.iso_code", metadata={"description": "ISO 3166-2 code"})
    settlement = fields.String()
    katottg = fields.String()
    institution_type = fields.String()
    ownership = fields.String()
    specialised = fields.Boolean()
    capacity = fields.Integer()
    status = fields.String(metadata={"description": "open, suspended or closed"})
    updated_at = UtcDateTime()
    contact = fields.Nested(ContactSchema, allow_none=True,
                            metadata={"description": "Address and phone: confidential, null unless the policy "
                                                     "lets the token's user see them."})
    latest_availability = fields.Nested(AvailabilitySchema, allow_none=True)


class RoundSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String(metadata={"description": "In Ukrainian"})
    name_en = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    questionnaire_version = fields.String()
    covid_section = fields.Boolean()
    is_open = fields.Boolean()


class ResponseSchema(Schema):
    id = fields.Integer()
    shelter_id = fields.Integer()
    round_id = fields.Integer()
    questionnaire_version = fields.String()
    state = fields.String(metadata={"description": "draft, submitted, returned or approved"})
    version = fields.Integer(metadata={"description": "Send it back when saving (optimistic locking)."})
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True),
                          metadata={"description": "Question code -> answer (JSON value as in the questionnaire "
                                                   "definition of questionnaire_version)."})
    carried_sections = fields.List(fields.String())
    updated_at = UtcDateTime()
    submitted_at = UtcDateTime(allow_none=True)
    reviewed_at = UtcDateTime(allow_none=True)


class SaveInput(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_INT),
                             metadata={"description": "The response's version the answers were read at."})
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True),
                          required=True, metadata={"description": "Question code -> answer, of this section only."})
    original = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True),
                           load_default=dict,
                           metadata={"description": "The answers as read at `version` (lets changes by others to "
                                                    "the same questions merge; without it every such change "
                                                    "conflicts)."})


class SaveResultSchema(Schema):
    response = fields.Nested(ResponseSchema)
    problems = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                           metadata={"description": "Question code -> what is still wrong (a draft keeps them)."})
    warnings = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ChoiceSchema(Schema):
    value = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    exclusive = fields.Boolean()


class QuestionSchema(Schema):
    code = fields.String()
    type = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    form = fields.String()
    optional = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceSchema))
    rows = fields.List(fields.Nested(ChoiceSchema))
    choices_from = fields.String(allow_none=True)
    show_if = fields.Raw(allow_none=True)
    min = fields.Integer(allow_none=True)
    max = fields.Integer(allow_none=True)
    max_choices = fields.Integer(allow_none=True)
    max_length = fields.Integer(allow_none=True)


class SectionSchema(Schema):
    code = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    show_if = fields.Raw(allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema))


class DefinitionSchema(Schema):
    version = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    sections = fields.List(fields.Nested(SectionSchema))


class VersionSchema(Schema):
    version = fields.String()


class FindingSchema(Schema):
    id = fields.Integer()
    round_id = fields.Integer()
    response_id = fields.Integer()
    shelter_id = fields.Integer()
    code = fields.String()
    severity = fields.String()
    evidence = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))


class FollowUpSchema(Schema):
    status = fields.String()
    comment = fields.String()
    at = UtcDateTime()


class RecommendationSchema(Schema):
    code = fields.String()
    region = fields.String(allow_none=True, metadata={"description": "ISO code; null for the Ministry (M1-M3)"})
    status = fields.String(metadata={"description": "issued or no_data"})
    severity = fields.String(allow_none=True)
    shelter_ids = fields.List(fields.Integer())
    region_codes = fields.List(fields.String())
    reasons = fields.List(fields.String())
    follow_up = fields.Nested(FollowUpSchema, allow_none=True, metadata={"description": "The current status"})
    follow_up_history = fields.List(fields.Nested(FollowUpSchema))


class IndicatorsSchema(Schema):
    shelters = fields.Integer()
    places = fields.Integer()
    free_places = fields.Integer()
    victim_places = fields.Integer()
    residents = fields.Integer()
    occupancy = fields.Float(allow_none=True)
    victim_share = fields.Float(allow_none=True)
    male_share = fields.Float(allow_none=True)
    refusal_rate = fields.Float(allow_none=True)
    top_refusal_reasons = fields.List(fields.Tuple((fields.String(), fields.Integer())))
    covid_suspension_days = fields.Float(allow_none=True)
    suspended_shelters = fields.Integer()
    donor_dependence = fields.Float(allow_none=True)
    training_coverage = fields.Float(allow_none=True)
    gaps = fields.Dict(keys=fields.String(), values=fields.Boolean())


class RoundIndicatorsSchema(Schema):
    national = fields.Nested(IndicatorsSchema)
    by_region = fields.Dict(keys=fields.String(), values=fields.Nested(IndicatorsSchema),
                            metadata={"description": "ISO code -> indicators (a regional user: its own only)"})


class PlaceQuery(Schema):
    sex = fields.String(required=True, validate=validate.OneOf(("female", "male")))
    children_ages_months = fields.List(fields.Integer(validate=validate.Range(min=0, max=216)),
                                       load_default=list, validate=validate.Length(max=20))
    foreigner = fields.Boolean(load_default=False)
    no_registration = fields.Boolean(load_default=False)
    no_id = fields.Boolean(load_default=False)
    dangerous_disease = fields.Boolean(load_default=False)
    group_size = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100))
    region = fields.String(load_default=None, allow_none=True, validate=ISO_CODE)
    include_neighbours = fields.Boolean(load_default=False)
    out_of_hours = fields.Boolean(load_default=False, metadata={"description": "Arrives at night or at the weekend"})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "The language of the notes' `text` (uk or en); without it, the "
                                                  "best of `Accept-Language`, else the default (Ukrainian)."})


class NoteSchema(Schema):
    key = fields.String(metadata={"description": "A stable key, listed in availability/matching.py"})
    params = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    text = fields.String(metadata={"description": "The sentence the find-a-place page shows, in the requested "
                                                  "language (see `lang`)"})


class PlaceSchema(Schema):
    shelter_id = fields.Integer()
    name = fields.String()
    region = fields.String()
    free_places = fields.Integer(allow_none=True)
    as_of = fields.String(allow_none=True, metadata={"description": "Date or date-time of the free places"})
    in_region = fields.Boolean(metadata={"description": "False for a shelter in a neighbouring region"})
    known = fields.Boolean(metadata={"description": "Every answer the case needs is known"})
    from_update = fields.Boolean(metadata={"description": "Free places from an availability update, not the visit"})
    reasons = fields.List(fields.Nested(NoteSchema))
    risks = fields.List(fields.Nested(NoteSchema), metadata={"description": "Conditions that could stop it"})
    unknowns = fields.List(fields.Nested(NoteSchema), metadata={"description": "Answers the case needs that are "
                                                                              "missing"})


class ExportInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("xlsx", "csv", "sav", "dta", "pdf", "deck")))
    region = fields.String(load_default=None, allow_none=True, validate=ISO_CODE)
    language = fields.String(load_default="uk", validate=validate.OneOf(("uk", "en")))
    multi = fields.String(load_default="split", validate=validate.OneOf(("split", "joined")))


class ExportJobSchema(Schema):
    id = fields.String()
    kind = fields.String()
    status = fields.String(metadata={"description": "running, done or failed"})
    file = fields.String(allow_none=True, metadata={"description": "Where to download the file once done"})
