"""Region names are listed in the order of the Ukrainian alphabet (Є, І, Ї where they belong, not before А)."""
import re

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.regions.data import region_records
from shelter_monitor.responses.service import start_response, submit_response
from tests.responses.helpers import complete_answers

REGIONS_IN_UKRAINIAN_ORDER = [
    "Автономна Республіка Крим", "Вінницька область", "Волинська область", "Дніпропетровська область",
    "Донецька область", "Житомирська область", "Закарпатська область", "Запорізька область",
    "Івано-Франківська область", "Київська область", "Кіровоградська область", "Луганська область",
    "Львівська область", "м. Київ", "м. Севастополь", "Миколаївська область", "Одеська область",
    "Полтавська область", "Рівненська область", "Сумська область", "Тернопільська область",
    "Харківська область", "Херсонська область", "Хмельницька область", "Черкаська область",
    "Чернівецька область", "Чернігівська область",
]
UKRAINIAN_NAMES = {record.name_uk for record in region_records()}


def _select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)
            if label.strip() in UKRAINIAN_NAMES]


def _row_headers(page: str) -> list[str]:
    return [name.strip() for name in re.findall(r'<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]*)<', page)
            if name.strip() in UKRAINIAN_NAMES]


def test_every_region_is_known_by_its_ukrainian_name():
    assert sorted(UKRAINIAN_NAMES) == sorted(REGIONS_IN_UKRAINIAN_ORDER)


def test_the_shelter_lists_region_select_follows_the_ukrainian_alphabet(client, login_as):
    login_as(Role.ADMIN)
    client.post("/language/uk")
    page = client.get("/shelters").get_data(as_text=True)
    assert _select_options(page, "region") == REGIONS_IN_UKRAINIAN_ORDER


def test_the_questionnaires_region_question_follows_the_readers_alphabet(client, login_as, make):
    monitor = login_as(Role.MONITOR)
    response = start_response(make.shelter(monitors=[monitor]), make.round(), monitor)
    db.session.commit()
    client.post("/language/uk")
    page = client.get(f"/responses/{response.id}/sections/B").get_data(as_text=True)
    assert _select_options(page, "B2") == REGIONS_IN_UKRAINIAN_ORDER
    client.post("/language/en")
    english = client.get(f"/responses/{response.id}/sections/B").get_data(as_text=True)
    assert "Autonomous Republic of Crimea" in english


def test_the_dashboards_chart_and_table_follow_the_ukrainian_alphabet(client, login_as, make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    for record in region_records():
        shelter = make.shelter(region=record.iso_code, monitors=[monitor], name=f"Shelter {record.iso_code}")
        response = start_response(shelter, round_, monitor)
        response.answers = {**complete_answers(shelter), "C1": 20, "C3": 15}
        submit_response(response, monitor)
        db.session.commit()
    login_as(Role.MINISTRY)
    client.post("/language/uk")
    rows = _row_headers(client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True))
    # the chart's table of numbers, then the regions table: each in the alphabet's order
    assert rows == REGIONS_IN_UKRAINIAN_ORDER * 2
