"""Programmes in the database: loading files, entering actual values, and gathering what the pages show."""
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.programmes import plan
from shelter_monitor.programmes.measures import MEASURES, Key, Measured, RegionSums, RoundFacts, measured_values
from shelter_monitor.programmes.models import ActualValue, Programme, Target
from shelter_monitor.programmes.overview import Entered, EnteredKey, Overview, build_overview
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import COUNTED_STATES, RegionalForm, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

SHIPPED_PROGRAMME = Path(__file__).with_name("files") / "ua-2012-2015.yaml"
VICTIM_CODES = ("C5a", "C5b", "C5c", "C5d")
MAX_VALUE = Decimal("999999999999999")


def load_programme(text: str, source_name: str) -> tuple[Programme, bool]:
    """Store the programme in a file's text, replacing the plan of the same code; (row, whether it is new).

    Raises plan.ProgrammeFileError, with nothing stored, when the file has errors or would drop an indicator
    or funding line that already has entered values.
    """
    parsed = plan.parse_programme(text)
    region = _region_of(parsed)
    row = db.session.scalar(select(Programme).where(Programme.code == parsed.code))
    if row is not None:
        _check_entered_kept(row, parsed)
    created = row is None
    if created:
        row = Programme(code=parsed.code)
        db.session.add(row)
    row.region_id = region.id if region else None
    row.first_year, row.last_year = parsed.years[0], parsed.years[-1]
    row.document = plan.to_document(parsed)
    row.source_name = source_name
    row.loaded_at = utcnow()
    db.session.flush()
    record(None, "programme.load", row, {"source": source_name, "created": created})
    return row, created


def _region_of(parsed: plan.Programme) -> Region | None:
    if parsed.region is None:
        return None
    return db.session.scalar(select(Region).where(Region.iso_code == parsed.region))


def _codes(parsed: plan.Programme) -> set[tuple[str, str, int]]:
    indicators = {(Target.INDICATOR.value, i.code) for _, i in parsed.indicators()}
    lines = {(Target.FUNDING.value, line.code) for line in parsed.funding_rows()}
    return {(kind, code, year) for kind, code in indicators | lines for year in parsed.years}


def _check_entered_kept(row: Programme, parsed: plan.Programme) -> None:
    used = db.session.execute(select(ActualValue.target, ActualValue.code, ActualValue.year, func.count())
                              .where(ActualValue.programme_id == row.id)
                              .group_by(ActualValue.target, ActualValue.code, ActualValue.year)).all()
    kept = _codes(parsed)
    dropped = [f"{kind} '{code}' {year} ({count} entered)" for kind, code, year, count in used
               if (kind, code, year) not in kept]
    if dropped:
        raise plan.ProgrammeFileError([plan.Problem(None, "the file drops what has entered values; keep these in "
                                                          "the file: " + ", ".join(sorted(dropped)))])


def programme_plan(row: Programme) -> plan.Programme:
    return plan.from_document(row.document)


def programmes() -> list[Programme]:
    """Every programme, newest period first."""
    return list(db.session.scalars(select(Programme).order_by(Programme.last_year.desc(), Programme.code)))


def programme_by_code(code: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.code == code))


@dataclass(frozen=True)
class RoundProgramme:
    """Which programme a round reports on: the one covering the round's year, or none, with the one that ended
    most recently before that year (for "no programme covers 2020; the last one ran 2013-2015")."""

    year: int
    covering: Programme | None
    last: Programme | None  # set only when none covers the year: the latest that ended before it


def round_programme(round_: Round, region: Region | None) -> RoundProgramme:
    """The programme covering the round's year (the year its period ends): the region's own before a national
    one; when none covers it, the one that ended most recently before that year is named, never reported on."""
    year = round_.period_end.year
    candidates = [p for p in programmes() if p.region_id is None or (region and p.region_id == region.id)]
    candidates.sort(key=lambda p: (p.region_id is None, -p.last_year))
    covering = next((p for p in candidates if p.first_year <= year <= p.last_year), None)
    before = sorted((p for p in candidates if p.last_year < year), key=lambda p: -p.last_year)
    return RoundProgramme(year, covering, None if covering or not before else before[0])


def programme_for_round(round_: Round, region: Region | None) -> Programme | None:
    """The programme an export or page of the round reports on: the region's own, else a national one, covering
    the round's year; None when no programme covers it (an expired programme is never shown as current)."""
    return round_programme(round_, region).covering


def programme_note(found: RoundProgramme, language: str) -> str | None:
    """What to say instead of a programme when none covers the round's year, in the language; None when one
    does: "No programme covers 2020; the last one, <title>, ran 2013–2015." """
    if found.covering is not None:
        return None
    with force_locale(language):
        if found.last is None:
            return gettext("No programme covers %(year)s.", year=found.year)
        title = localize(found.last.document["title"], language)
        return gettext("No programme covers %(year)s; the last one, %(title)s, ran %(first)s–%(last)s.",
                       year=found.year, title=title, first=found.last.first_year, last=found.last.last_year)


def _rounds_in(years: Iterable[int]) -> list[Round]:
    years = list(years)
    ending = Round.period_end.between(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    return list(db.session.scalars(select(Round).where(ending).order_by(Round.period_end, Round.id)))


def _response_sums(round_ids: list[int]) -> dict[tuple[int, str], RegionSums]:
    victims = [Response.answers[code].as_integer() for code in VICTIM_CODES]
    staff = Response.answers["F4"].as_integer()
    statement = (
        select(Response.round_id, Region.iso_code,
               func.sum(sum((func.coalesce(v, 0) for v in victims[1:]), func.coalesce(victims[0], 0))),
               func.sum(case((or_(*(v.is_not(None) for v in victims)), 1), else_=0)),
               func.sum(func.coalesce(staff, 0)), func.count(staff))
        .join(Shelter, Shelter.id == Response.shelter_id).join(Region, Region.id == Shelter.region_id)
        .where(Response.round_id.in_(round_ids), Response.state.in_(COUNTED_STATES))
        .group_by(Response.round_id, Region.iso_code)
    )
    return {(round_id, iso): RegionSums(int(v or 0), int(vs or 0), int(s or 0), int(ss or 0))
            for round_id, iso, v, vs, s, ss in db.session.execute(statement)}


def _regional_forms(round_ids: list[int]) -> dict[tuple[int, str], tuple[bool, int | None]]:
    statement = (select(RegionalForm.round_id, Region.iso_code, RegionalForm.answers["I4"].as_string(),
                        RegionalForm.answers["I4a_disbursed"].as_integer())
                 .join(Region, Region.id == RegionalForm.region_id).where(RegionalForm.round_id.in_(round_ids)))
    return {(round_id, iso): (i4 == "yes", disbursed) for round_id, iso, i4, disbursed in db.session.execute(statement)}


def round_facts(years: Iterable[int]) -> list[RoundFacts]:
    """What the measures read, for the rounds ending in the years (oldest first): three queries in all."""
    rounds = _rounds_in(years)
    ids = [r.id for r in rounds]
    sums = _response_sums(ids)
    forms = _regional_forms(ids)
    by_round: dict[int, dict[str, RegionSums]] = defaultdict(dict)
    for (round_id, iso), value in sums.items():
        by_round[round_id][iso] = value
    for (round_id, iso), (has_programme, disbursed) in forms.items():
        base = by_round[round_id].get(iso, RegionSums())
        by_round[round_id][iso] = replace(base, has_form=True, has_programme=has_programme, disbursed=disbursed)
    return [RoundFacts(r.code, r.period_end.year, not r.is_open, by_round[r.id]) for r in rounds]


def measured_for(parsed: plan.Programme, regions: Iterable[str]) -> dict[Key, Measured]:
    return measured_values(round_facts(parsed.years), parsed.years, regions)


def current_entered(row: Programme, region: Region | None) -> dict[EnteredKey, Entered]:
    """The newest entered value per (kind, code, year) for the view: national (region None) or one region."""
    statement = (select(ActualValue).where(ActualValue.programme_id == row.id)
                 .where(ActualValue.region_id == region.id if region else ActualValue.region_id.is_(None))
                 .order_by(ActualValue.entered_at, ActualValue.id))
    return {(value.target, value.code, value.year): _as_entered(value) for value in _with_users(statement)}


def _with_users(statement) -> list[ActualValue]:
    return list(db.session.scalars(statement.options(joinedload(ActualValue.entered_by),
                                                     joinedload(ActualValue.region))))


def _as_entered(value: ActualValue) -> Entered:
    by = value.entered_by.name if value.entered_by else ""
    return Entered(value.value, value.source, value.note, by, value.entered_at)


def overview(row: Programme, region: Region | None, measured: Mapping[Key, Measured] | None = None) -> Overview:
    """The programme's plan against entered and measured values, nationally or for one region.

    `measured` (from measured_for, covering the region) saves reading the rounds again when the caller has it.
    """
    parsed = programme_plan(row)
    iso = region.iso_code if region else None
    if iso is None and row.region is not None:
        region, iso = row.region, row.region.iso_code
    if measured is None:
        measured = measured_for(parsed, [iso] if iso else [])
    return build_overview(parsed, iso, current_entered(row, region), measured)


@dataclass(frozen=True)
class RegionBreakdown:
    """One row's values per region and year: the regions' targets, entered and measured values."""

    region: Region
    targets: dict[int, Decimal | None]
    entered: dict[int, Entered]
    measured: dict[int, Measured]

    @property
    def has_data(self) -> bool:
        return (any(v is not None for v in self.targets.values()) or bool(self.entered)
                or any(m.value is not None for m in self.measured.values()))


def region_breakdown(row: Programme, kind: str, code: str, regions: list[Region],
                     measured: Mapping[Key, Measured]) -> list[RegionBreakdown]:
    """The regions with any target, entered or measured value for the row (national programmes only);
    `measured` comes from measured_for over the same regions. A national-only measure (rounds held) has no
    regional value: its regions show targets and entered figures only."""
    parsed = programme_plan(row)
    found = parsed.indicator(code) if kind == Target.INDICATOR else None
    targets = found[1].regional_targets if found else {}
    lines = parsed.funding_rows()
    measure = found[1].measure if found else next((line.measure for line in lines if line.code == code), None)
    if measure is not None and not MEASURES[measure].per_region:
        measure = None
    entered: dict[int, dict[int, Entered]] = {}
    statement = (select(ActualValue).where(ActualValue.programme_id == row.id, ActualValue.target == kind,
                                           ActualValue.code == code, ActualValue.region_id.is_not(None))
                 .order_by(ActualValue.entered_at, ActualValue.id))
    for value in _with_users(statement):
        entered.setdefault(value.region_id, {})[value.year] = _as_entered(value)
    rows = [RegionBreakdown(region, dict(targets.get(region.iso_code, {})), entered.get(region.id, {}),
                            {y: measured[measure, y, region.iso_code] for y in parsed.years} if measure else {})
            for region in regions]
    return [r for r in rows if r.has_data]


def history(row: Programme, kind: str, code: str | None = None) -> list[ActualValue]:
    """Every value entered for the row (or for every row of the kind), in every region, newest first."""
    statement = (select(ActualValue).where(ActualValue.programme_id == row.id, ActualValue.target == kind)
                 .order_by(ActualValue.entered_at.desc(), ActualValue.id.desc()))
    if code is not None:
        statement = statement.where(ActualValue.code == code)
    return _with_users(statement)


def _known_row(parsed: plan.Programme, kind: str, code: str) -> bool:
    if kind == Target.INDICATOR:
        return parsed.indicator(code) is not None
    return kind == Target.FUNDING and any(line.code == code for line in parsed.funding_rows())


def parse_value(raw: str) -> Decimal:
    """A figure as typed: digits with an optional decimal point or comma; spaces between thousands allowed."""
    text = (raw or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldError("value", _l("Write a number, e.g. 1242 or 473.479.")) from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise FieldError("value", _l("The value must be a number of 0 or more."))
    if value != value.quantize(Decimal("0.001")):
        raise FieldError("value", _l("Use at most three decimals."))
    return value


def enter_value(user: User, row: Programme, kind: str, code: str, year: int, region: Region | None, raw_value: str,
                source: str, note: str) -> ActualValue:
    """Record an official figure (the caller has asked the policy whether the user may enter it for the region)."""
    parsed = programme_plan(row)
    if not _known_row(parsed, kind, code):
        raise FieldError("code", _l("This programme has no such indicator or funding line."))
    if year not in parsed.years:
        raise FieldError("year", _l("Choose one of the programme's years."))
    value = parse_value(raw_value)
    source = (source or "").strip()
    if not source:
        raise FieldError("source", _l("Say where the figure comes from (a report, a letter, a statistics form)."))
    entry = ActualValue(programme=row, target=kind, code=code, year=year, region=region, value=value,
                        source=source[:500], note=(note or "").strip(), entered_by=user)
    db.session.add(entry)
    record(user, "programme.enter_value", entry, {"code": code, "year": year, "value": str(value),
                                                   "region": region.iso_code if region else None,
                                                   "source": entry.source})
    return entry
