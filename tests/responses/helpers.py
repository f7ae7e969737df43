"""Complete answers for a shelter, and answers as the form posts them."""
import datetime as dt
import random

from shelter_monitor.demo.generator import DemoShelter, demo_answers
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.shelters.models import Shelter

DEFINITION = load_definition()


def complete_answers(shelter: Shelter, round_code: str = "2020-10", covid: bool = True) -> dict:
    """A complete, valid set of answers consistent with the shelter's record."""
    profile = DemoShelter(key="t", name=shelter.name, region=shelter.region.iso_code, settlement=shelter.settlement,
                          institution_type=shelter.institution_type, ownership=shelter.ownership,
                          specialised=shelter.specialised, capacity=shelter.capacity, status=shelter.status,
                          address=shelter.address, phone=shelter.phone)
    return demo_answers(profile, round_code, dt.date(2020, 10, 12), covid, random.Random(7))


def form_post(section: str, answers: dict, version: int, **extra) -> dict:
    """What the browser posts for one section page holding these answers."""
    data = {"version": str(version), "original": "{}", **extra}
    for question in DEFINITION.section(section).questions:
        value = answers.get(question.code)
        if value is None or question.form != "shelter" or question.choices_from == "rounds":
            continue
        if question.type == "bool":
            data[question.code] = "true" if value else "false"
        elif question.type in ("grid", "shares"):
            for key, item in value.items():
                data[f"{question.code}-{key}"] = str(item)
        elif question.type == "multi":
            data[question.code] = list(value)
        else:
            data[question.code] = str(value)
    return data
