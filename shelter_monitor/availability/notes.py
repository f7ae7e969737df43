"""The find-a-place form turned into a Profile, and the matcher's notes as sentences in the reader's language,
naming the questionnaire's wording of the question each one comes from."""
import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from shelter_monitor.availability.matching import Note, Profile
from shelter_monitor.formatting import format_date
from shelter_monitor.questionnaire.model import Definition, localize

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
                   region=form.region.data or None, include_neighbours=form.include_neighbours.data,
                   out_of_hours=form.out_of_hours.data)


# key -> (sentence, the question it comes from or None)
SENTENCES = {
    "in_region": (_l("It is in the chosen region."), None),
    "neighbouring_region": (_l("It is in a neighbouring region."), None),
    "admits_women": (_l("It admits women."), "D1"),
    "admits_men": (_l("It admits men."), "D1"),
    "admits_mothers_children": (_l("It admits women with children."), "D1"),
    "admits_fathers_children": (_l("It admits men with children."), "D1"),
    "admits_families": (_l("It admits families with children."), "D1"),
    "father_with_child": (_l("A father can stay with his child."), "D4"),
    "admits_foreigners": (_l("It admits foreigners and stateless persons."), "D14"),
    "registration_not_required": (_l("It does not require registered residence in the territory it serves."), "D6"),
    "admits_without_id": (_l("It admits a person without ID documents."), "D7"),
    "no_documents_required": (_l("It asks for no documents at admission."), "D5"),
    "admits_round_the_clock": (_l("It admits round the clock, at night and at weekends too."), "D8"),
    "disease_not_excluded": (_l("A socially dangerous disease is not among its exclusion criteria."), "D10"),
    "admits_groups": (_l("It can admit a group of 5 or more persons within 24 hours."), "C10"),
    "shelter_suspended": (_l("Its work is suspended: ask before sending anyone."), None),
    "father_with_child_case_by_case": (_l("A father can stay with his child only case by case."), "D4"),
    "foreigners_legal_stay_only": (_l("It admits foreigners only with legal grounds to stay in Ukraine."), "D14"),
    "foreigners_with_status_only": (_l("It admits foreigners only with the status of a victim of trafficking."),
                                    "D14"),
    "registration_required": (_l("It requires registered residence in the territory it serves."), "D6"),
    "registration_for_some": (_l("It requires registered residence for some categories of persons."), "D6"),
    "registration_document_required": (_l("It asks for proof of registered residence at admission."), "D5"),
    "id_temporary": (_l("Without ID documents it admits only for a time, until they are restored."), "D7"),
    "passport_required": (_l("It asks for a passport or ID card at admission."), "D5"),
    "group_conditional": (_l("It can admit a group of 5 or more persons only under conditions."), "C10"),
}
UNKNOWN_SENTENCES = {
    "adult_women": _l("It is not known whether it admits women"),
    "adult_men": _l("It is not known whether it admits men"),
    "mothers_children": _l("It is not known whether it admits women with children"),
    "fathers_children": _l("It is not known whether it admits men with children"),
    "youngest_child": _l("It is not known from what age it admits children"),
    "oldest_child": _l("It is not known up to what age it admits children"),
    "father_with_child": _l("It is not known whether a father can stay with his child"),
    "foreigners": _l("It is not known whether it admits foreigners and stateless persons"),
    "documents": _l("It is not known which documents it asks for at admission"),
    "registration": _l("It is not known whether it requires registered residence"),
    "without_id": _l("It is not known whether it admits a person without ID documents"),
    "round_the_clock": _l("It is not known whether it admits at night and at weekends"),
    "disease": _l("It is not known whether a socially dangerous disease rules out admission"),
    "group": _l("It is not known whether it can admit a group of 5 or more persons"),
    "victim_places": _l("It is not known how many of its places can be used for victims of trafficking"),
    "free_places": _l("Its free places are not known"),
    "visit_date": _l("It is not known when this information was collected"),
}


def note_text(note: Note, definition: Definition, locale: str) -> str:
    """The note as a sentence in the reader's language, with the wording of the question it comes from."""
    if note.key == "unknown":
        return _("%(sentence)s: the last monitoring has no answer to “%(question)s”.",
                 sentence=UNKNOWN_SENTENCES[note.params["about"]],
                 question=_question(definition, note.params["code"], locale))
    if note.key in SENTENCES:
        sentence, question = SENTENCES[note.key]
        sentence = str(sentence)
    else:
        sentence, question = _counted_sentence(note, definition, locale)
    if question is None:
        return sentence
    return _("%(sentence)s (question “%(question)s”)", sentence=sentence,
             question=_question(definition, question, locale))


def _counted_sentence(note: Note, definition: Definition, locale: str) -> tuple[str, str | None]:
    """The notes whose sentence carries a number, a date or a list."""
    params = note.params
    if note.key == "children_from_months":
        if params["months"] == 0:
            return _("It admits children from birth."), "D2"
        return ngettext("It admits children from the age of %(num)d month.",
                        "It admits children from the age of %(num)d months.", params["months"]), "D2"
    if note.key == "children_up_to_years":
        return ngettext("It admits children up to %(num)d year old.", "It admits children up to %(num)d years old.",
                        params["years"]), "D3"
    if note.key == "has_free_places":
        return ngettext("It has %(num)d free place; %(needed)d needed.",
                        "It has %(num)d free places; %(needed)d needed.", params["free"], needed=params["needed"]), None
    if note.key == "documents_required":
        labels = [localize(choice.label, locale) for value in params["documents"]
                  if (choice := definition.question("D5").choice(value)) is not None]
        return _("At admission it asks for: %(documents)s.", documents="; ".join(labels)), "D5"
    if note.key == "stale_availability":
        date = format_date(params["date"], locale, "long")
        if params["source"] == "update":
            return ngettext("Its free places were last posted on %(date)s, %(num)d day ago: call to check them.",
                            "Its free places were last posted on %(date)s, %(num)d days ago: call to check them.",
                            params["days"], date=date), None
        return ngettext("This comes from the monitoring visit on %(date)s, %(num)d day ago: the free places may "
                        "have changed.",
                        "This comes from the monitoring visit on %(date)s, %(num)d days ago: the free places may "
                        "have changed.", params["days"], date=date), None
    raise KeyError(f"no sentence for the note {note.key!r}")


def _question(definition: Definition, code: str, locale: str) -> str:
    return localize(definition.question(code).label, locale)
