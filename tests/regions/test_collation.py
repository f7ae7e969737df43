"""Ukrainian names in alphabet order: the Unicode Collation Algorithm, not code points."""
import csv
from pathlib import Path

from shelter_monitor.auth.models import Role
from shelter_monitor.collation import collated, sort_key
from shelter_monitor.rounds.service import round_progress

REGIONS = Path(__file__).resolve().parents[3] / "shared" / "spec" / "regions.csv"
SHIPPED = Path(__file__).resolve().parents[2] / "shelter_monitor" / "regions" / "regions.csv"
# the 27 regions in Ukrainian alphabet order (а б в г ґ д е є ж з и і ї й к л м н о п р с т у ф х ц ч ш щ ь ю я)
UKRAINIAN_ORDER = [
    "Автономна Республіка Крим", "Вінницька область", "Волинська область", "Дніпропетровська область",
    "Донецька область", "Житомирська область", "Закарпатська область", "Запорізька область",
    "Івано-Франківська область", "Київська область", "Кіровоградська область", "Луганська область",
    "Львівська область", "м. Київ", "м. Севастополь", "Миколаївська область",
    "Одеська область", "Полтавська область", "Рівненська область",
    "Сумська область", "Тернопільська область", "Харківська область", "Херсонська область",
    "Хмельницька область", "Черкаська область", "Чернівецька область", "Чернігівська область",
]


def _names(column: str) -> list[str]:
    path = REGIONS if REGIONS.exists() else SHIPPED
    with path.open(encoding="utf-8") as file:
        return [row[column] for row in csv.DictReader(file)]


def test_the_27_regions_sort_in_ukrainian_alphabet_order():
    names = _names("name_uk")
    assert len(names) == 27
    assert collated(reversed(names)) == UKRAINIAN_ORDER
    assert sorted(names) != UKRAINIAN_ORDER  # code points put "І" (U+0406) before "А"


def test_english_names_sort_alphabetically_ignoring_case():
    names = collated(_names("name_en"))
    assert names[0].startswith("Autonomous Republic of Crimea") and names[-1].startswith("Zhytomyr")
    assert sort_key("Іван") > sort_key("Иван") and sort_key("Ґ") > sort_key("Г")


def test_round_progress_lists_regions_in_the_readers_alphabet(make):
    for region in ("UA-26", "UA-43", "UA-05"):  # Івано-Франківська, Автономна Республіка Крим, Вінницька
        make.shelter(region=region)
    round_ = make.round()
    ministry = make.user(Role.MINISTRY)
    assert [p.region.iso_code for p in round_progress(round_, ministry, "uk")] == ["UA-43", "UA-05", "UA-26"]
    assert [p.region.iso_code for p in round_progress(round_, ministry, "en")] == ["UA-43", "UA-26", "UA-05"]
