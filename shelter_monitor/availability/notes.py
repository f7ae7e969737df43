"""The find-a-place form turned into a Profile, and the matcher's notes as text in the reader's language."""
import math

from flask_babel import lazy_gettext as _l

from shelter_monitor.availability.matching import Note, Profile

MONTHS_PER_YEAR = 12


def parse_children_ages(text: str | None) -> tuple[int, ...] | None:
    """"2, 7" -> ages in months (24, 84); None when the text is not a list of ages in years."""
    if not text or not text.strip():
        return ()
    try:
        years = [float(part.replace(",", ".")) for part in text.replace(";", " ").replace(",", " ").split()]
    except ValueError:
        return None
    if any(not math.isfinite(age) or age < 0 or age > 18 for age in years):
        return None
    return tuple(int(age * MONTHS_PER_YEAR) for age in years)


def profile_from_form(form, children_months: tuple[int, ...]) -> Profile:
    return Profile(sex=form.sex.data, children_ages_months=children_months, foreigner=form.foreigner.data,
                   no_registration=form.no_registration.data, no_id=form.no_id.data,
                   dangerous_disease=form.dangerous_disease.data, group_size=form.group_size.data or 1,
                   region=form.region.data or None, include_neighbours=form.include_neighbours.data)


NOTE_TEXTS = {
    "in_region": _l("In the region searched"),
    "neighbouring_region": _l("In a neighbouring region"),
    "admits_women": _l("Admits women"),
    "admits_men": _l("Admits men"),
    "admits_mothers_children": _l("Admits women with children"),
    "admits_fathers_children": _l("Admits men with children"),
    "admits_families": _l("Admits families"),
    "children_from_months": _l("Children from %(months)d months"),
    "children_up_to_years": _l("Children up to %(years)d years"),
    "father_with_child": _l("A father can stay with his child"),
    "admits_foreigners": _l("Admits foreigners and stateless persons"),
    "registration_not_required": _l("No registration in the region needed"),
    "admits_without_id": _l("Admits persons without documents"),
    "disease_not_excluded": _l("A socially dangerous disease is not an exclusion criterion"),
    "admits_groups": _l("Can admit a group of 5 or more within 24 hours"),
    "has_free_places": _l("%(free)d free places for %(needed)d persons"),
    "shelter_suspended": _l("Admissions are suspended at this shelter"),
    "not_answered": _l("Not answered in the last monitoring: %(code)s"),
    "father_with_child_case_by_case": _l("A father stays with his child only case by case"),
    "foreigners_legal_stay_only": _l("Foreigners only with legal grounds for stay"),
    "foreigners_with_status_only": _l("Foreigners only with victim status"),
    "registration_required": _l("Requires registered residence in the served territory"),
    "registration_for_some": _l("Requires registration for some categories"),
    "registration_document_required": _l("Asks for proof of residence registration"),
    "id_temporary": _l("Without documents only temporarily, until they are restored"),
    "passport_required": _l("Asks for a passport or ID"),
    "group_conditional": _l("A group of 5 or more only under conditions"),
    "free_places_unknown": _l("Free places unknown"),
    "stale_availability": _l("Information is %(days)d days old"),
}


def note_text(note: Note) -> str:
    """The note in the reader's language (its key when no text is known)."""
    text = NOTE_TEXTS.get(note.key)
    if text is None:
        return note.key
    params = {k: v for k, v in note.params.items() if k != "source"}
    return str(text) % params if params else str(text)
