"""Demo data: about sixty fictional but realistic Ukrainian shelters and their answers to the questionnaire.

Plain Python (no Flask, no database). The shelter list is fixed; answers are drawn from a `random.Random` the
caller seeds, so the same seed gives the same data set. Every answer set is complete and valid under the
2020.1 definition (skip logic respected, cross-field checks hold), and across the data set every
recommendation category (M1-M3, R1-R7) fires, at medium and at high severity, while some shelters and regions
stay clean: Kyiv City and Lviv look relatively good, the other regions are mixed.

Which finding a shelter produces is fixed by its scenario (the `_SCENARIOS` flags below), not by the seed; the
seed varies counts, dates and the answers no rule reads.
"""
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

__all__ = ["DEMO_REGIONS_WITHOUT_FORM", "DemoShelter", "demo_answers", "demo_historical_regional_answers",
           "demo_regional_answers", "demo_shelters"]


@dataclass(frozen=True)
class DemoShelter:
    key: str
    name: str
    region: str
    settlement: str
    institution_type: str
    ownership: str
    specialised: bool
    capacity: int
    status: str
    address: str
    phone: str


# Regions with shelters that get no regional form (R7 shows "no data" for them).
DEMO_REGIONS_WITHOUT_FORM: tuple[str, ...] = ("UA-65", "UA-77", "UA-21")

# Scenario flags (what each shelter's answers show):
#   sexes / children: women_only (CSPA without men), men (DV/NGO/crisis shelter that also takes men),
#       no_children (no mothers/fathers with children, no families)
#   M1: m1_noext (D12 no), m1_unknown (D12 unknown), m1_nocrim (D12 yes without criminal_proc),
#       d13_yes (residents in criminal proceedings had to leave), stay_limit (refusal: stay limit reached)
#   M2: c10_no, tb (D10 active_tb), sdd (D10 other_sdd / hiv), no_isolation (H8 and K8 false),
#       group / disease (refusals of a group / of a person with a socially dangerous disease)
#   M3: d14_no, d14_legal, foreigner (refusal of a foreigner)
#   R1: j4_no, j4_unknown, j5_no, j5_unknown, no_places (refusal: no places), c2_zero (no place for victims)
#   R2 (NGO-run only; without `public` the shelter has no public share): public, i3_refused, donor_heavy,
#       underfunded (I2 insufficient)
#   R3 (non-profile only; without a flag staff are trained and need nothing):
#       r3_high (F4 = 0, victims housed), r3_zero (F4 = 0, no victims), r3_low (under half trained),
#       r3_needs (F6 = true)
#   R4: male, with_children, under3 (refusals), d2_36 (youngest child admitted 36 months)
#   R5: d4_no, father (refusal of a father with his child)
#   R6: d6_yes, d6_some, d5_reg, no_registration (refusal: not registered)
_SHELTER_TABLE: tuple[tuple[str, str, str, str, str, str, bool, int, str, str], ...] = (
    # key, name, region, settlement, type, ownership, specialised, capacity, status, flags
    ("kyiv-child-shelter-1",
     "Притулок для дітей Служби у справах дітей та сім'ї Подільської районної в місті Києві державної "
     "адміністрації", "UA-30", "Київ", "child_shelter", "hromada", False, 25, "open", ""),
    ("kyiv-cspa-1",
     "Центр соціально-психологічної допомоги Дніпровської районної в місті Києві державної адміністрації",
     "UA-30", "Київ", "cspa", "hromada", True, 30, "open", ""),
    ("kyiv-ngo-tip-1", "Притулок для постраждалих від торгівлі людьми ГО «Надійний прихисток»",
     "UA-30", "Київ", "ngo_tip", "ngo", True, 12, "open", "public men no_places"),
    ("kyiv-dv-1",
     "Притулок для осіб, які постраждали від домашнього насильства, Деснянської районної в місті Києві "
     "державної адміністрації", "UA-30", "Київ", "dv_shelter", "hromada", False, 16, "open", "men r3_needs"),
    ("kyiv-medrehab-1", "Центр медичної реабілітації постраждалих від торгівлі людьми «Відновлення»",
     "UA-30", "Київ", "medical_rehab", "intl", True, 14, "open", ""),
    ("kyiv-homeless-1",
     "Соціальний готель для бездомних осіб Київського міського центру обліку бездомних осіб",
     "UA-30", "Київ", "homeless", "hromada", False, 60, "open", "r3_low"),
    ("kyiv-css-1", "Центр соціальних служб Оболонської районної в місті Києві державної адміністрації",
     "UA-30", "Київ", "social_services_centre", "hromada", False, 10, "open", ""),
    ("lviv-cspa-1", "Львівський обласний центр соціально-психологічної допомоги",
     "UA-46", "Львів", "cspa", "oblast", False, 35, "open", ""),
    ("lviv-mother-child-1",
     "Соціальний центр матері та дитини «Дім Милосердя» Благодійного фонду Львівської архієпархії",
     "UA-46", "Львів", "mother_child", "religious", False, 20, "open", "public"),
    ("lviv-homeless-1", "Будинок тимчасового перебування для бездомних осіб БО «Теплий дім»",
     "UA-46", "Львів", "homeless", "charity", False, 40, "open", "r3_needs"),
    ("drohobych-dv-1",
     "Притулок для осіб, які постраждали від домашнього насильства, Дрогобицької міської ради",
     "UA-46", "Дрогобич", "dv_shelter", "hromada", False, 12, "open", "men"),
    ("stryi-crisis-1",
     "Денний центр соціально-психологічної допомоги з кризовою кімнатою Стрийської міської ради",
     "UA-46", "Стрий", "crisis_room", "hromada", False, 4, "open", "r3_needs"),
    ("kamianske-child-rehab-1", "Центр соціально-психологічної реабілітації дітей Кам'янської міської ради",
     "UA-12", "Кам'янське", "child_rehab", "hromada", False, 30, "open", ""),
    ("dnipro-cspa-1", "Дніпропетровський обласний центр соціально-психологічної допомоги",
     "UA-12", "Дніпро", "cspa", "oblast", False, 40, "open", "m1_noext d6_some j5_unknown"),
    ("kryvyi-rih-cspa-1", "Центр соціально-психологічної допомоги Криворізької міської ради",
     "UA-12", "Кривий Ріг", "cspa", "hromada", False, 25, "open", "c10_no tb group"),
    ("dnipro-ngo-tip-1", "Притулок для постраждалих від торгівлі людьми ГО «Шлях додому»",
     "UA-12", "Дніпро", "ngo_tip", "ngo", True, 10, "open", "donor_heavy"),
    ("pavlohrad-mother-child-1", "Соціальний центр матері та дитини Павлоградської міської ради",
     "UA-12", "Павлоград", "mother_child", "hromada", False, 15, "open", "r3_high j4_no d4_no"),
    ("dnipro-homeless-1", "Центр соціальної адаптації бездомних осіб Дніпровської міської ради",
     "UA-12", "Дніпро", "homeless", "hromada", False, 50, "open", "d6_yes no_registration r3_low"),
    ("odesa-cspa-1", "Одеський обласний центр соціально-психологічної допомоги",
     "UA-51", "Одеса", "cspa", "oblast", False, 35, "open", "d14_legal foreigner"),
    ("izmail-cspa-1", "Центр соціально-психологічної допомоги Ізмаїльської районної ради",
     "UA-51", "Ізмаїл", "cspa", "district", False, 15, "open", "m1_noext d13_yes stay_limit"),
    ("odesa-ngo-tip-1",
     "Притулок Благодійного фонду «Світло надії» для жінок, постраждалих від торгівлі людьми",
     "UA-51", "Одеса", "ngo_tip", "charity", True, 10, "open", "under3"),
    ("bilhorod-dv-1",
     "Притулок для осіб, які постраждали від домашнього насильства, Білгород-Дністровської міської ради",
     "UA-51", "Білгород-Дністровський", "dv_shelter", "hromada", False, 10, "open", "male d4_no"),
    ("odesa-territorial-1",
     "Територіальний центр соціального обслуговування (надання соціальних послуг) Приморського району "
     "м. Одеси",
     "UA-51", "Одеса", "territorial_centre", "hromada", False, 30, "open", "r3_high j4_unknown j5_no"),
    ("kharkiv-cspa-1", "Харківський обласний центр соціально-психологічної допомоги",
     "UA-63", "Харків", "cspa", "oblast", False, 40, "open", "m1_nocrim j4_unknown"),
    ("kharkiv-child-shelter-1", "Притулок для дітей Харківської обласної ради",
     "UA-63", "Харків", "child_shelter", "oblast", False, 35, "open", ""),
    ("lozova-cspa-1", "Центр соціально-психологічної допомоги Лозівської міської ради",
     "UA-63", "Лозова", "cspa", "hromada", False, 12, "open", "d14_no sdd no_isolation d4_no"),
    ("kharkiv-ngo-tip-1", "Притулок для постраждалих від торгівлі людьми ГО «Відлуння»",
     "UA-63", "Харків", "ngo_tip", "ngo", True, 8, "open", "i3_refused"),
    ("izium-cfs-1", "Центр соціальної підтримки дітей та сімей Ізюмської міської ради",
     "UA-63", "Ізюм", "child_family_support", "hromada", False, 12, "open", "r3_low r3_needs j4_unknown"),
    ("zaporizhzhia-cspa-1", "Запорізький обласний центр соціально-психологічної допомоги",
     "UA-23", "Запоріжжя", "cspa", "oblast", False, 30, "open", "d4_no father"),
    ("melitopol-dv-1",
     "Притулок для осіб, які постраждали від домашнього насильства, Мелітопольської міської ради",
     "UA-23", "Мелітополь", "dv_shelter", "hromada", False, 10, "open", "under3 d2_36"),
    ("zaporizhzhia-homeless-1", "Центр реінтеграції бездомних осіб Запорізької міської ради",
     "UA-23", "Запоріжжя", "homeless", "hromada", False, 45, "open", "d6_yes r3_zero"),
    ("zaporizhzhia-mother-child-1", "Запорізький обласний соціальний центр матері та дитини",
     "UA-23", "Запоріжжя", "mother_child", "oblast", False, 20, "open", ""),
    ("mykolaiv-cspa-1", "Миколаївський обласний центр соціально-психологічної допомоги",
     "UA-48", "Миколаїв", "cspa", "oblast", False, 25, "open", "d2_36"),
    ("pervomaisk-child-rehab-1",
     "Центр соціально-психологічної реабілітації дітей Первомайської міської ради",
     "UA-48", "Первомайськ", "child_rehab", "hromada", False, 20, "open", ""),
    ("mykolaiv-territorial-1",
     "Територіальний центр соціального обслуговування Центрального району м. Миколаєва",
     "UA-48", "Миколаїв", "territorial_centre", "hromada", False, 25, "open", "r3_needs no_children"),
    ("kherson-cspa-1", "Херсонський обласний центр соціально-психологічної допомоги",
     "UA-65", "Херсон", "cspa", "oblast", False, 20, "open", "women_only male d4_no m1_unknown d13_yes"),
    ("sarny-child-shelter-1", "Притулок для дітей Сарненської районної державної адміністрації",
     "UA-56", "Сарни", "child_shelter", "district", False, 15, "open", ""),
    ("kherson-dv-1", "Притулок для осіб, які постраждали від домашнього насильства, Херсонської міської ради",
     "UA-65", "Херсон", "dv_shelter", "hromada", False, 10, "open", "d4_no j5_no"),
    ("nova-kakhovka-crisis-1",
     "Кризова кімната Денного центру соціально-психологічної допомоги Новокаховської міської ради",
     "UA-65", "Нова Каховка", "crisis_room", "hromada", False, 3, "suspended",
     "d4_no with_children no_children r3_zero"),
    ("kramatorsk-cspa-1", "Донецький обласний центр соціально-психологічної допомоги",
     "UA-14", "Краматорськ", "cspa", "oblast", False, 30, "open", "no_places j5_no sdd"),
    ("mariupol-dv-1", "Притулок для жінок, які постраждали від насильства, ГО «Жіночий простір Приазов'я»",
     "UA-14", "Маріуполь", "dv_shelter", "ngo", False, 12, "open", "donor_heavy r3_needs"),
    ("mariupol-css-1", "Центр соціальних служб Маріупольської міської ради",
     "UA-14", "Маріуполь", "social_services_centre", "hromada", False, 8, "open", "r3_high no_places j5_no"),
    ("sloviansk-homeless-1", "Будинок нічного перебування для бездомних осіб Слов'янської міської ради",
     "UA-14", "Слов'янськ", "homeless", "hromada", False, 30, "suspended", "d6_yes j4_no r3_zero"),
    ("vinnytsia-cspa-1", "Вінницький обласний центр соціально-психологічної допомоги",
     "UA-05", "Вінниця", "cspa", "oblast", False, 25, "open", "m1_unknown d14_legal"),
    ("vinnytsia-mother-child-1", "Соціальний центр матері та дитини Вінницької міської ради",
     "UA-05", "Вінниця", "mother_child", "hromada", False, 18, "open", "r3_low d4_no father"),
    ("mohyliv-other-1", "Будинок соціального перебування Благодійного фонду «Рідна оселя»",
     "UA-05", "Могилів-Подільський", "other", "charity", False, 15, "closed", ""),
    ("khmelnytskyi-cspa-1", "Хмельницький обласний центр соціально-психологічної допомоги",
     "UA-68", "Хмельницький", "cspa", "oblast", False, 25, "open", "c10_no disease d6_yes no_registration"),
    ("kamianets-cfs-1", "Центр соціальної підтримки дітей та сімей Кам'янець-Подільської міської ради",
     "UA-68", "Кам'янець-Подільський", "child_family_support", "hromada", False, 14, "open", ""),
    ("brovary-child-rehab-1", "Центр соціально-психологічної реабілітації дітей Броварської міської ради",
     "UA-32", "Бровари", "child_rehab", "hromada", False, 24, "open", ""),
    ("chernivtsi-cfs-1", "Центр соціальної підтримки дітей та сімей Чернівецької міської ради",
     "UA-77", "Чернівці", "child_family_support", "hromada", False, 10, "open",
     "c2_zero c10_no d14_no j4_no j5_no r3_needs"),
    ("chernivtsi-territorial-1", "Територіальний центр соціального обслуговування Чернівецької міської ради",
     "UA-77", "Чернівці", "territorial_centre", "hromada", False, 20, "open",
     "c2_zero c10_no d14_legal j4_no j5_no r3_zero no_children"),
    ("rivne-cspa-1", "Рівненський обласний центр соціально-психологічної допомоги",
     "UA-56", "Рівне", "cspa", "oblast", False, 25, "open", "d6_some"),
    ("rivne-dv-1", "Притулок для осіб, які постраждали від домашнього насильства, Рівненської міської ради",
     "UA-56", "Рівне", "dv_shelter", "hromada", False, 10, "open", "men"),
    ("poltava-cspa-1", "Полтавський обласний центр соціально-психологічної допомоги",
     "UA-53", "Полтава", "cspa", "oblast", False, 25, "open", "d4_no j5_unknown"),
    ("kremenchuk-css-1", "Центр соціальних служб Кременчуцької міської ради",
     "UA-53", "Кременчук", "social_services_centre", "hromada", False, 8, "open", "d5_reg r3_low"),
    ("uzhhorod-cspa-1", "Закарпатський обласний центр соціально-психологічної допомоги",
     "UA-21", "Ужгород", "cspa", "oblast", False, 20, "open", "d14_legal foreigner"),
    ("bila-tserkva-cspa-1", "Центр соціально-психологічної допомоги Білоцерківської міської ради",
     "UA-32", "Біла Церква", "cspa", "hromada", False, 20, "open", "tb no_isolation d14_no"),
    ("brovary-crisis-1",
     "Денний центр соціально-психологічної допомоги з кризовою кімнатою Броварської міської ради",
     "UA-32", "Бровари", "crisis_room", "hromada", False, 4, "open", "r3_low"),
    ("ivano-frankivsk-cspa-1", "Івано-Франківський обласний центр соціально-психологічної допомоги",
     "UA-26", "Івано-Франківськ", "cspa", "oblast", False, 25, "open", "m1_noext stay_limit"),
    ("kolomyia-other-1",
     "Притулок тимчасового перебування «Дім святого Миколая» релігійної громади м. Коломиї",
     "UA-26", "Коломия", "other", "religious", False, 12, "open", "underfunded"),
    ("poltava-mother-child-1", "Полтавський обласний соціальний центр матері та дитини",
     "UA-53", "Полтава", "mother_child", "oblast", False, 20, "open", ""),
    ("mukachevo-homeless-1", "Притулок для бездомних осіб Мукачівської греко-католицької єпархії",
     "UA-21", "Мукачево", "homeless", "religious", False, 25, "open", "d14_legal r3_needs"),
)

# Telephone area codes of the settlements (the subscriber part of a demo number starts with 0, so no demo
# number is a real one).
_AREA_CODES = {
    "Київ": "44", "Львів": "32", "Дрогобич": "3244", "Стрий": "3245", "Дніпро": "56", "Кривий Ріг": "564",
    "Кам'янське": "5692", "Павлоград": "5632", "Одеса": "48", "Ізмаїл": "4841",
    "Білгород-Дністровський": "4849",
    "Харків": "57", "Лозова": "5745", "Ізюм": "5743", "Запоріжжя": "61", "Мелітополь": "619",
    "Миколаїв": "512", "Первомайськ": "5161", "Херсон": "552", "Нова Каховка": "5549", "Краматорськ": "626",
    "Маріуполь": "629", "Слов'янськ": "6262", "Вінниця": "432", "Могилів-Подільський": "4337",
    "Хмельницький": "382", "Кам'янець-Подільський": "3849", "Чернівці": "372", "Рівне": "362",
    "Сарни": "3655",
    "Полтава": "532", "Кременчук": "536", "Біла Церква": "4563", "Бровари": "4594", "Івано-Франківськ": "342",
    "Коломия": "3433", "Ужгород": "312", "Мукачево": "3131",
}
_STREETS = ("Садова", "Шкільна", "Лісова", "Затишна", "Квіткова", "Молодіжна", "Сонячна", "Тиха", "Зелена",
            "Калинова", "Джерельна", "Вишнева", "Липова", "Польова", "Яблунева", "Світла", "Паркова")


def _address(index: int) -> str:
    street = _STREETS[(index * 7) % len(_STREETS)]
    return f"вул. {street}, {3 + (index * 17) % 89}"


def _phone(settlement: str, index: int) -> str:
    code = _AREA_CODES[settlement]
    digits = "0" + f"{(index * 7919 + 1234) % 10 ** (8 - len(code)):0{8 - len(code)}d}"
    groups = {7: (3, 2, 2), 6: (2, 2, 2), 5: (1, 2, 2)}[len(digits)]
    parts, start = [], 0
    for size in groups:
        parts.append(digits[start:start + size])
        start += size
    return f"+380 {code} {' '.join(parts)}"


def _build_shelters() -> tuple[tuple[DemoShelter, frozenset[str]], ...]:
    rows = []
    for index, row in enumerate(_SHELTER_TABLE):
        key, name, region, settlement, kind, ownership, specialised, capacity, status, flags = row
        shelter = DemoShelter(key=key, name=name, region=region, settlement=settlement, institution_type=kind,
                              ownership=ownership, specialised=specialised, capacity=capacity, status=status,
                              address=_address(index), phone=_phone(settlement, index))
        rows.append((shelter, frozenset(flags.split())))
    return tuple(rows)


_SHELTERS = _build_shelters()
_SCENARIOS: dict[str, frozenset[str]] = {shelter.key: flags for shelter, flags in _SHELTERS}


def demo_shelters() -> list[DemoShelter]:
    """The fixed list of demo shelters (62 institutions in 17 regions, every institution type)."""
    return [shelter for shelter, _ in _SHELTERS]


# ------------------------------------------------------------------------------------------------------------
# Answers
# ------------------------------------------------------------------------------------------------------------

NGO_RUN = ("ngo", "charity", "religious")
NON_PROFILE = ("child_family_support", "mother_child", "territorial_centre", "social_services_centre",
               "homeless", "dv_shelter", "crisis_room")
CHILD_TYPES = ("child_rehab", "child_shelter")
CHILDREN_CHOICES = ("mothers_children", "fathers_children", "families")
# Types that take men as well as women unless the scenario says otherwise (DV, NGO and crisis shelters take
# women only unless flagged `men`; mother-and-child centres never take men).
_WITH_CHILDREN_TYPES = ("cspa", "ngo_tip", "dv_shelter", "crisis_room", "child_family_support",
                        "mother_child", "social_services_centre", "other")
_MIXED_TYPES = ("cspa", "homeless", "territorial_centre", "social_services_centre", "medical_rehab", "other",
                "child_family_support")
BENIGN_REFUSALS = ("no_med_cert", "intoxication", "mental", "no_referral", "needs_care", "no_id", "covid")

_B8 = {
    "cspa": ["thb", "dv", "sjo", "idp"],
    "ngo_tip": ["thb", "gbv"],
    "dv_shelter": ["dv", "gbv"],
    "crisis_room": ["dv", "sjo"],
    "child_family_support": ["children", "pregnant_mothers", "sjo"],
    "mother_child": ["pregnant_mothers"],
    "child_rehab": ["children"],
    "child_shelter": ["children"],
    "homeless": ["homeless", "released"],
    "territorial_centre": ["sjo"],
    "social_services_centre": ["sjo", "idp", "children"],
    "medical_rehab": ["thb"],
    "other": ["sjo", "homeless"],
}

# Maximum stay under the regulation (days) and the usual extension grounds.
_D11 = {
    "cspa": (90,), "ngo_tip": (180, 365), "dv_shelter": (90,), "crisis_room": (10, 20),
    "child_family_support": (90,), "mother_child": (540,), "child_rehab": (270,), "child_shelter": (90,),
    "homeless": (90, 180),
    "territorial_centre": (90,), "social_services_centre": (90,), "medical_rehab": (30, 45), "other": (180,),
}

_E1_ROWS = ("accom_food", "clothing_hygiene", "med_emergency", "med_general", "psych", "psychiatric",
            "legal_consult", "legal_rep", "documents", "status_support", "case_mgmt", "employment",
            "vocational", "child_education", "childcare", "interpretation", "financial", "escort",
            "aftercare", "family")
# Services provided in-house by type; listed referral rows go through partners; the rest are not provided.
_E1_INHOUSE = {
    "cspa": {"accom_food", "clothing_hygiene", "psych", "legal_consult", "documents", "status_support",
             "case_mgmt", "escort"},
    "ngo_tip": {"accom_food", "clothing_hygiene", "psych", "legal_consult", "legal_rep", "documents",
                "status_support", "case_mgmt", "vocational", "financial", "escort", "aftercare", "family"},
    "dv_shelter": {"accom_food", "clothing_hygiene", "psych", "legal_consult", "case_mgmt", "childcare"},
    "crisis_room": {"accom_food", "clothing_hygiene", "psych", "legal_consult"},
    "child_family_support": {"accom_food", "clothing_hygiene", "psych", "case_mgmt", "childcare", "family"},
    "mother_child": {"accom_food", "clothing_hygiene", "psych", "childcare", "case_mgmt", "vocational"},
    "child_rehab": {"accom_food", "clothing_hygiene", "med_general", "psych", "child_education", "case_mgmt",
                    "family"},
    "child_shelter": {"accom_food", "clothing_hygiene", "med_general", "psych", "child_education", "family"},
    "homeless": {"accom_food", "clothing_hygiene", "documents", "case_mgmt"},
    "territorial_centre": {"accom_food", "clothing_hygiene", "med_general", "case_mgmt"},
    "social_services_centre": {"accom_food", "psych", "case_mgmt", "legal_consult"},
    "medical_rehab": {"accom_food", "clothing_hygiene", "med_emergency", "med_general", "psych",
                      "psychiatric", "interpretation", "case_mgmt", "escort"},
    "other": {"accom_food", "clothing_hygiene", "case_mgmt"},
}
_E1_REFERRAL = {"med_emergency", "med_general", "psychiatric", "legal_rep", "employment", "documents",
                "status_support", "child_education", "vocational"}

_L2_TEXTS = (
    "Внести зміни до типового положення про центр соціально-психологічної допомоги щодо продовження строку "
    "перебування постраждалих осіб до ухвалення рішення суду.",
    "Розробити алгоритм екстреного розміщення великих груп постраждалих осіб.",
    "Передбачити можливість розміщення іноземців та осіб без громадянства у ЦСПД.",
    "Організувати навчання персоналу непрофільних закладів з питань протидії торгівлі людьми.",
    "Скасувати вимогу реєстрації місця проживання для прийому до закладу.",
)
_L3_TEXTS = (
    "Передбачити кошти в обласній програмі протидії торгівлі людьми на утримання притулку.",
    "Оновити перелік закладів, у яких можуть бути розміщені постраждалі особи, та довести його до відома "
    "громад.",
    "Запровадити соціальне замовлення на послуги притулку для громадських організацій.",
    "Забезпечити місця для чоловіків та для батьків з дітьми в області.",
    "Проводити щоквартальний моніторинг вільних місць у закладах області.",
)
_F6A_TEXTS = (
    "Виявлення постраждалих осіб та перенаправлення в рамках НМВ.",
    "Процедура встановлення статусу особи, яка постраждала від торгівлі людьми.",
    "Травма-інформований підхід, робота з чоловіками.",
    "Робота з іноземцями та особами без громадянства.",
)
_A4_OTHER_TEXTS = ("завідувач відділення соціальної роботи", "юрисконсульт", "адміністратор притулку")


class _Draw:
    """Small helpers over the caller's rng (only lists and tuples are drawn from, so the order is stable)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def int(self, low: int, high: int) -> int:
        return self.rng.randint(low, max(low, high))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):
        return self.rng.choice(list(options))

    def some(self, options, low: int, high: int) -> list:
        options = list(options)
        count = self.int(min(low, len(options)), min(high, len(options)))
        chosen = set(self.rng.sample(options, count))
        return [o for o in options if o in chosen]


def _split(total: int, parts: list[tuple[str, int]]) -> dict[str, int]:
    """Shares from weights, as whole percentages that sum exactly to `total`; zero shares left out."""
    weight = sum(w for _, w in parts)
    shares = {name: total * w // weight for name, w in parts}
    remainder = total - sum(shares.values())
    first = parts[0][0]
    shares[first] += remainder
    return {name: value for name, value in shares.items() if value > 0}


def _funding(shelter: DemoShelter, flags: frozenset[str], draw: _Draw) -> dict[str, int]:
    """I1 funding shares (total 100); NGO-run shelters follow their R2 scenario."""
    ownership = shelter.ownership
    if ownership in NGO_RUN:
        if "public" in flags:
            local = draw.int(15, 35)
            oblast = draw.pick((0, 0, 10))
            programme = draw.pick((0, 5))
            donor = draw.int(15, 35)
            rest = 100 - local - oblast - programme - donor
            shares = {"local": local, "oblast": oblast, "regional_ct_programme": programme, "donor": donor}
            shares.update(_split(rest, [("charity", 3), ("own", 1)]))
            return {k: v for k, v in shares.items() if v > 0}
        if "donor_heavy" in flags:
            donor = draw.int(45, 60)
            io = max(70 - donor, draw.int(15, 30))
            return {"donor": donor, "io": io, **_split(100 - donor - io, [("charity", 2), ("own", 1)])}
        donor = draw.int(10, 40)
        io = draw.int(0, 15)
        rest = 100 - donor - io
        shares = {"donor": donor, "io": io, **_split(rest, [("charity", 3), ("own", 1)])}
        return {k: v for k, v in shares.items() if v > 0}
    if ownership == "intl":
        io = draw.int(80, 100)
        return {"io": io, "donor": 100 - io} if io < 100 else {"io": 100}
    if ownership == "state":
        main = draw.int(85, 100)
        return {"state": main, "own": 100 - main} if main < 100 else {"state": 100}
    if ownership == "oblast":
        main = draw.int(70, 85)
        programme = draw.pick((0, 0, 5))
        donor = draw.pick((0, 0, 5, 10))
        rest = 100 - main - programme - donor
        shares = {"oblast": main, "regional_ct_programme": programme, "donor": donor, "charity": rest}
        return {k: v for k, v in shares.items() if v > 0}
    # hromada, district: the local budget, sometimes topped up by the oblast, a donor or own income
    main = draw.int(70, 85)
    oblast = draw.pick((0, 0, 5, 10))
    donor = draw.pick((0, 0, 5))
    rest = 100 - main - oblast - donor
    shares = {"local": main, "oblast": oblast, "donor": donor, "own": rest}
    return {k: v for k, v in shares.items() if v > 0}


def _admits_men(kind: str, flags: frozenset[str]) -> bool:
    """Whether the institution takes men (alone, as fathers or in families)."""
    if "women_only" in flags or kind == "mother_child" or kind in CHILD_TYPES:
        return False
    return kind in _MIXED_TYPES or "men" in flags


def _who_admitted(kind: str, flags: frozenset[str], d4: str | None, d7: str, d14: str,
                  draw: _Draw) -> list[str]:
    """D1 for the institution type and scenario (foreigners only when D14 allows, no_id only when D7 does)."""
    women = True
    men = _admits_men(kind, flags)
    children = kind in _WITH_CHILDREN_TYPES and "no_children" not in flags
    chosen: set[str] = set()
    if kind in CHILD_TYPES:
        chosen.add("unaccomp_children")
        if draw.chance(0.5):
            chosen.add("disabled")
    else:
        if women:
            chosen.add("adult_women")
        if men and kind != "child_family_support":
            chosen.add("adult_men")
        if children:
            chosen.add("mothers_children")
            if men and d4 == "yes":
                chosen.add("fathers_children")
            family_types = ("cspa", "child_family_support", "social_services_centre")
            if men and kind in family_types and draw.chance(0.7):
                chosen.add("families")
        if kind in ("homeless", "territorial_centre", "other"):
            chosen.add("elderly")
        if (kind != "crisis_room" and draw.chance(0.6)) or kind in ("homeless", "territorial_centre"):
            chosen.add("disabled")
        idp_types = ("cspa", "ngo_tip", "homeless", "social_services_centre", "dv_shelter",
                     "child_family_support")
        if kind in idp_types and draw.chance(0.8):
            chosen.add("idp")
    if d14 != "no" and kind in ("cspa", "ngo_tip", "medical_rehab", "homeless") and draw.chance(0.7):
        chosen.add("foreigners")
        if draw.chance(0.6):
            chosen.add("stateless")
    if d7 != "no" and kind in ("cspa", "ngo_tip", "medical_rehab", "homeless", "other"):
        chosen.add("no_id")
    order = ("adult_women", "adult_men", "mothers_children", "fathers_children", "families",
             "unaccomp_children", "disabled", "elderly", "foreigners", "stateless", "idp", "no_id")
    return [c for c in order if c in chosen]


def _victims(shelter: DemoShelter, flags: frozenset[str], d1: list[str], draw: _Draw) -> dict[str, int]:
    """C5a-d: victims of trafficking housed in the last 12 months (men, women, boys, girls)."""
    kind = shelter.institution_type
    if "r3_zero" in flags:
        return {"C5a": 0, "C5b": 0, "C5c": 0, "C5d": 0}
    if kind in CHILD_TYPES:
        # relabelled for children: boys 14-17, girls 14-17, boys under 14, girls under 14
        return {"C5a": draw.int(0, 2), "C5b": draw.int(0, 3), "C5c": draw.int(0, 1), "C5d": draw.int(0, 1)}
    men_ok = "adult_men" in d1
    kids_ok = any(c in d1 for c in CHILDREN_CHOICES)
    if kind in ("cspa", "ngo_tip", "medical_rehab"):
        men = draw.int(1, 9) if men_ok else 0
        women = draw.int(1, 7)
        boys = draw.int(0, 1) if kids_ok else 0
        girls = draw.int(0, 2) if kids_ok else 0
    else:
        men = draw.int(0, 2) if men_ok else 0
        women = draw.int(0, 2)
        boys = draw.int(0, 1) if kids_ok and draw.chance(0.2) else 0
        girls = draw.int(0, 1) if kids_ok and draw.chance(0.3) else 0
    if "r3_high" in flags and men + women + boys + girls == 0:
        women = 1
    return {"C5a": men, "C5b": women, "C5c": boys, "C5d": girls}


def _refusals(shelter: DemoShelter, flags: frozenset[str], d1: list[str], covid: bool, draw: _Draw) -> list[str]:
    """C8b: the scenario's refusal reasons, plus sometimes a reason no rule reads (never quarantine restrictions
    in a round without the COVID section: such a round is before the pandemic)."""
    signals = [("no_places", "no_places"), ("no_registration", "no_registration"), ("foreigner", "foreigner"),
               ("male", "male"), ("with_children", "with_children"), ("under3", "child_under3"),
               ("father", "father_with_child"), ("group", "group"), ("disease", "dangerous_disease"),
               ("stay_limit", "stay_limit")]
    reasons = {reason for flag, reason in signals if flag in flags}
    benign_p = 0.5 if reasons else 0.3
    if shelter.institution_type in CHILD_TYPES:
        benign_p = 0.15
    if draw.chance(benign_p):
        benign = draw.pick(BENIGN_REFUSALS)
        reasons.add(benign if covid or benign != "covid" else "no_med_cert")  # the same draws either way
    order = ("no_places", "no_registration", "no_id", "no_med_cert", "foreigner", "male", "with_children",
             "child_under3", "father_with_child", "group", "dangerous_disease", "intoxication", "mental",
             "needs_care", "covid", "no_referral", "stay_limit", "other")
    return [r for r in order if r in reasons]


def _staff(shelter: DemoShelter, flags: frozenset[str], draw: _Draw) -> dict[str, Any]:
    """F1-F7 (F4/F6 follow the R3 scenario for non-profile institutions)."""
    kind = shelter.institution_type
    capacity = shelter.capacity
    if kind in ("crisis_room",):
        f1 = draw.int(3, 5)
    elif kind in ("ngo_tip", "social_services_centre"):
        f1 = draw.int(5, 10)
    else:
        f1 = max(4, capacity // 2 + draw.int(-2, 6))
    social = max(1, f1 // 4)
    psych = 1 if f1 < 8 else 2
    lawyer = 1 if kind in ("cspa", "ngo_tip", "medical_rehab") or draw.chance(0.3) else 0
    with_nurse = ("child_rehab", "child_shelter", "medical_rehab", "territorial_centre", "mother_child")
    medical = 1 if kind in with_nurse else draw.pick((0, 0, 1))
    security = draw.pick((0, 1, 2)) if f1 - social - psych - lawyer - medical > 2 else 0
    other = f1 - social - psych - lawyer - medical - security
    if other < 0:
        social += other
        other = 0
    non_profile = kind in NON_PROFILE and not shelter.specialised
    f6 = draw.chance(0.4)
    if non_profile:
        if "r3_high" in flags or "r3_zero" in flags:
            f4 = 0
        elif "r3_low" in flags:
            f4 = draw.int(1, max(1, (f1 - 1) // 2))
            if f4 * 2 >= f1:
                f4 = max(0, (f1 - 1) // 2)
        else:
            f4 = draw.int((f1 + 1) // 2, f1)
        f6 = "r3_needs" in flags or ((f4 == 0 or "r3_low" in flags) and draw.chance(0.5))
    elif kind in ("ngo_tip", "medical_rehab"):
        f4 = draw.int(max(1, f1 // 2), f1)
    elif kind == "cspa":
        f4 = draw.int(2, max(2, f1 // 2 + 2))
    else:
        f4 = draw.int(0, f1 // 2)
    f4 = min(f4, f1)
    out: dict[str, Any] = {"F1": f1, "F2a": social, "F2b": psych, "F2c": lawyer, "F2d": medical,
                           "F2e": security, "F2f": other,
                           "F3": kind != "social_services_centre" or draw.chance(0.5), "F4": f4}
    if f4 > 0:
        topics = ["identification", "nrm", "status", "trauma", "men", "children", "foreigners", "disability"]
        base = ["identification", "nrm"]
        out["F5"] = [t for t in topics if t in base or t in draw.some(topics[2:], 0, 3)]
    out["F6"] = bool(f6)
    if f6 and draw.chance(0.6):
        out["F6a"] = draw.pick(_F6A_TEXTS)
    out["F7"] = draw.pick((0, 0, 0, 1, 1, 2))
    return out


def _covid(shelter: DemoShelter, flags: frozenset[str], visit_date: dt.date, draw: _Draw) -> dict[str, Any]:
    kind = shelter.institution_type
    out: dict[str, Any] = {}
    k1 = "fully" if shelter.status == "suspended" else draw.pick(("partly", "partly", "no", "fully", "no"))
    out["K1"] = k1
    if k1 != "no":
        start = dt.date(2020, 3, 17) + dt.timedelta(days=draw.int(0, 20))
        end = start + dt.timedelta(days=draw.int(30, 100))
        end = min(end, visit_date)
        start = min(start, end)
        out["K1a_from"] = start.isoformat()
        out["K1a_to"] = end.isoformat()
    k2 = draw.pick((["pcr"], ["self_isolation"], ["observation"], ["rapid", "observation"], ["none"],
                    ["pcr", "self_isolation"]))
    out["K2"] = k2
    if "self_isolation" in k2 or "observation" in k2:
        out["K2a"] = draw.pick((7, 10, 14, 14))
    k3 = draw.chance(0.4)
    out["K3"] = k3
    if k3:
        out["K3a"] = max(1, shelter.capacity // draw.int(4, 8))
    out["K4"] = draw.pick(("sufficient", "partly", "partly", "insufficient"))
    out["K5"] = draw.chance(0.4)
    out["K6"] = draw.pick((["psych"], ["psych", "case_mgmt"], ["psych", "legal", "case_mgmt"], ["none"]))
    out["K7"] = draw.chance(0.35)
    out["K8"] = False if "no_isolation" in flags else draw.chance(0.85)
    out["K9"] = draw.pick((["local"], ["oblast"], ["donor"], ["none"], ["local", "donor"])) \
        if kind != "medical_rehab" else ["donor"]
    out["K10"] = draw.pick(("yes", "no", "unknown", "unknown"))
    return out


def demo_answers(shelter: DemoShelter, round_code: str, visit_date: dt.date, covid_section: bool,
                 rng: random.Random) -> dict:
    """A complete, valid answer set to the 2020.1 questionnaire for one demo shelter.

    The findings it produces follow the shelter's scenario; the rng varies counts and answers no rule reads.
    No answer is given to a question hidden by skip logic, nor to the regional-form questions (I4, I4a_*).
    Without the COVID section (a round before the pandemic) no answer mentions COVID-19 either.
    """
    draw = _Draw(rng)
    flags = _SCENARIOS.get(shelter.key, frozenset())
    kind = shelter.institution_type
    capacity = shelter.capacity
    is_cspa = kind == "cspa"
    child_type = kind in CHILD_TYPES
    a: dict[str, Any] = {}

    # A. metadata
    a["A1"] = round_code
    a["A2"] = visit_date.isoformat()
    a["A3"] = draw.pick(("onsite", "onsite", "phone", "online"))
    a["A4"] = draw.pick(("director", "director", "deputy", "social_worker", "psychologist", "other"))
    if a["A4"] == "other":
        a["A4_other"] = draw.pick(_A4_OTHER_TEXTS)
    a["A5"] = True

    # B. profile (from the shelter record)
    a["B1"] = shelter.name
    a["B2"] = shelter.region
    a["B3"] = shelter.settlement
    a["B4"] = kind
    a["B5"] = shelter.ownership
    unit = kind == "crisis_room" or (kind == "dv_shelter" and draw.chance(0.4))
    a["B6"] = "unit" if unit else "legal_entity"
    a["B7"] = shelter.specialised
    b8 = list(_B8[kind])
    thb_too = ("dv_shelter", "homeless", "social_services_centre")
    if kind in thb_too and "thb" not in b8 and draw.chance(0.5):
        b8.insert(0, "thb")
    a["B8"] = b8

    # D answers that C and D1 depend on
    if "d14_no" in flags:
        d14 = "no"
    elif "d14_legal" in flags:
        d14 = "legal_stay_only"
    elif kind in ("ngo_tip", "medical_rehab"):
        d14 = "yes"
    else:
        d14 = draw.pick(("yes", "with_status_only", "with_status_only"))
    d7 = "temporary" if kind in ("cspa", "homeless") else draw.pick(("yes", "temporary", "temporary"))
    if child_type:
        d4 = None
    elif "d4_no" in flags or "father" in flags or not _admits_men(kind, flags):
        d4 = "no"  # an institution that takes no men cannot let a father stay with his child
    else:
        d4 = draw.pick(("yes", "case_by_case"))
    d1 = _who_admitted(kind, flags, d4, d7, d14, draw)
    children_admitted = any(c in d1 for c in CHILDREN_CHOICES)

    # C. capacity and occupancy
    a["C1"] = capacity
    if "c2_zero" in flags:
        c2 = 0
    elif kind in ("cspa", "ngo_tip", "medical_rehab"):
        c2 = capacity if draw.chance(0.6) else max(2, capacity // 2)
    else:
        c2 = min(capacity, draw.int(1, 4))
    a["C2"] = c2
    victims = _victims(shelter, flags, d1, draw)
    housed = sum(victims.values())
    c3 = 0 if shelter.status != "open" else draw.int(capacity * 4 // 10, capacity * 9 // 10)
    if "no_places" in flags and shelter.status == "open":
        c3 = capacity
    a["C3"] = c3
    now = draw.int(0, 3) if kind in ("cspa", "ngo_tip", "medical_rehab") else draw.int(0, 1)
    a["C4"] = min(c3, housed, now)
    a.update(victims)
    a["C6"] = draw.int(housed // 3, housed) if housed else 0
    d11 = draw.pick(_D11[kind])
    a["C7"] = min(d11, draw.int(d11 // 4, d11 * 3 // 4) if d11 > 20 else draw.int(3, d11))
    reasons = _refusals(shelter, flags, d1, covid_section, draw)
    a["C8"] = "yes" if reasons else draw.pick(("no", "no", "no", "unknown"))
    if reasons:
        a["C8a"] = len(reasons) + draw.int(0, 6)
        a["C8b"] = reasons
    if "c10_no" in flags:
        a["C9"] = draw.int(1, 3)
        a["C10"] = "no"
    elif "group" in flags:
        a["C9"] = draw.int(2, 3)
        a["C10"] = "conditional"
    elif is_cspa or kind in ("ngo_tip", "medical_rehab", "homeless"):
        a["C9"] = min(capacity, draw.int(3, 8))
        a["C10"] = draw.pick(("yes", "conditional"))
    else:
        a["C9"] = min(capacity, draw.int(1, 4))
        a["C10"] = draw.pick(("conditional", "conditional", "no"))

    # D. admission and eligibility
    a["D1"] = d1
    if children_admitted:
        if "d2_36" in flags:
            a["D2"] = 36
        elif kind == "mother_child":
            a["D2"] = 0
        else:
            a["D2"] = draw.pick((0, 0, 6, 12))
        a["D3"] = 1 if kind == "mother_child" else draw.pick((17, 18))
    if d4 is not None:
        a["D4"] = d4
    d5: list[str]
    if kind == "ngo_tip" or kind == "medical_rehab":
        d5 = ["none"] if draw.chance(0.5) else ["referral"]
    elif kind in CHILD_TYPES:
        d5 = ["referral", "med_general", "derm"]
    elif kind == "homeless":
        d5 = ["xray", "derm"] if draw.chance(0.6) else ["xray"]
    else:
        d5 = draw.some(("passport", "referral", "med_general", "xray", "derm", "hiv_test", "covid_test"),
                       1, 4)
        if not covid_section:  # no COVID-19 test before the pandemic
            d5 = [c for c in d5 if c != "covid_test"] or ["med_general"]
        if d7 == "no" and "passport" not in d5:
            d5.insert(0, "passport")
    if "d5_reg" in flags or "d6_yes" in flags and draw.chance(0.5):
        d5 = [c for c in ("passport", "residence_registration") if c not in d5] + d5
        d5 = [c for c in d5 if c != "none"]
    if "status_certificate" not in d5 and kind == "cspa" and draw.chance(0.2):
        d5 = [c for c in d5 if c != "none"] + ["status_certificate"]
    order5 = ("passport", "residence_registration", "referral", "status_certificate", "med_general", "xray",
              "derm", "hiv_test", "covid_test", "no_criminal_record", "idp_certificate", "none")
    a["D5"] = [c for c in order5 if c in d5]
    a["D6"] = "yes" if "d6_yes" in flags else "some_categories" if "d6_some" in flags else "no"
    a["D7"] = d7
    round_the_clock = ("cspa", "ngo_tip", "dv_shelter", "crisis_room", "child_shelter", "homeless")
    a["D8"] = kind in round_the_clock or draw.chance(0.3)
    a["D9"] = draw.pick((1, 2, 3, 6)) if a["D8"] else draw.pick((12, 24, 48))
    d10 = draw.some(("intoxication", "skin_infect", "acute_mental", "needs_care"), 1, 3)
    if "tb" in flags:
        d10.insert(0, "active_tb")
    if "sdd" in flags:
        d10 = d10 + [draw.pick((["other_sdd"], ["hiv"], ["other_sdd", "hiv"]))][0]
    if kind == "homeless" and draw.chance(0.5) and "active_tb" not in d10:
        d10.insert(0, "active_tb")
    if kind in ("ngo_tip", "medical_rehab") and draw.chance(0.4):
        d10 = ["none"]
    order10 = ("intoxication", "active_tb", "other_sdd", "hiv", "skin_infect", "acute_mental", "needs_care",
               "none")
    a["D10"] = [c for c in order10 if c in d10]
    a["D11"] = d11
    if "m1_noext" in flags:
        d12 = "no"
    elif "m1_unknown" in flags:
        d12 = "unknown"
    elif "m1_nocrim" in flags or is_cspa:
        d12 = "yes"
    elif kind in ("crisis_room", "mother_child"):
        d12 = draw.pick(("no", "yes"))
    else:
        d12 = draw.pick(("yes", "yes", "no", "unknown"))
    a["D12"] = d12
    if d12 == "yes":
        if "m1_nocrim" in flags:
            grounds = ["health", "no_housing"]
        elif is_cspa or kind in ("ngo_tip", "medical_rehab"):
            grounds = ["criminal_proc"] + draw.some(("health", "no_housing", "lsa_decision"), 1, 2)
        else:
            grounds = draw.some(("health", "no_housing", "lsa_decision", "other"), 1, 2)
        order12 = ("criminal_proc", "health", "no_housing", "lsa_decision", "other")
        a["D12a"] = [g for g in order12 if g in grounds]
        a["D12b"] = d11 + draw.pick((d11, 90, 180) if d11 >= 90 else (d11, 10, 20))
    if "d13_yes" in flags:
        a["D13"] = "yes"
        a["D13a"] = draw.int(1, 3)
    elif is_cspa or kind in ("ngo_tip", "medical_rehab"):
        a["D13"] = "no"
    else:
        a["D13"] = draw.pick(("no", "no", "unknown"))
    a["D14"] = d14
    if d14 != "no":
        a["D14a"] = draw.int(0, 4) if kind in ("cspa", "ngo_tip", "medical_rehab") else draw.pick((0, 0, 1))
        a["D14b"] = kind in ("ngo_tip", "medical_rehab") or draw.chance(0.4)

    # E. services
    inhouse = _E1_INHOUSE[kind]
    grid = {}
    for row in _E1_ROWS:
        if row in inhouse:
            grid[row] = "inhouse" if draw.chance(0.9) else "referral"
        elif row in _E1_REFERRAL:
            grid[row] = "referral" if draw.chance(0.8) else "none"
        else:
            grid[row] = "referral" if draw.chance(0.25) else "none"
    if not children_admitted and not child_type:
        grid["childcare"] = "none"
        grid["child_education"] = "none"
    a["E1"] = grid
    a["E2"] = kind != "homeless" or draw.chance(0.5)
    a["E3"] = "yes" if shelter.ownership != "charity" or draw.chance(0.7) else "partly"

    # F. staff and training
    a.update(_staff(shelter, flags, draw))

    # G. safety
    confidential = kind in ("dv_shelter", "ngo_tip", "medical_rehab")
    a["G1"] = "yes" if confidential else draw.pick(("yes", "partly", "no"))
    g2 = draw.some(("guard", "access_control", "cctv", "alarm", "visitor_log"), 1, 4)
    a["G2"] = g2 if g2 else ["none"]
    a["G3"] = kind in ("ngo_tip", "medical_rehab") or draw.chance(0.5)
    a["G4"] = draw.pick((["policy", "consent_forms"], ["consent_forms"],
                         ["policy", "consent_forms", "secure_storage"], ["consent_forms", "secure_storage"]))
    both = any(c in d1 for c in ("adult_men", "fathers_children", "families")) and \
        any(c in d1 for c in ("adult_women", "mothers_children", "families"))
    if both and not child_type:
        a["G5"] = draw.chance(0.85)
    a["G6"] = draw.chance(0.7)
    a["G7"] = draw.chance(0.75)
    a["G8"] = "restricted" if child_type else draw.pick(("free", "free", "agreed_schedule"))
    a["G9"] = draw.chance(0.5)

    # H. accessibility and living conditions
    a["H1"] = draw.pick((["entrance"], ["entrance", "toilet"], ["none"], ["entrance", "toilet", "room"]))
    a["H2"] = draw.chance(0.2)
    per_room = draw.int(4, 8) if kind == "homeless" else draw.int(2, 4)
    a["H3a"] = max(1, -(-capacity // per_room))
    a["H3b"] = per_room
    a["H4"] = children_admitted and draw.chance(0.7)
    facilities = (["kitchen", "laundry"], ["kitchen"], ["laundry"])
    a["H5"] = ["kitchen"] if kind == "crisis_room" else draw.pick(facilities)
    a["H6"] = (children_admitted or child_type) and draw.chance(0.8)
    a["H7"] = not child_type or draw.chance(0.3)
    if "no_isolation" in flags:
        a["H8"] = False
    else:
        a["H8"] = True if is_cspa else draw.chance(0.8 if child_type else 0.4)

    # I. funding (I4, I4a_* belong to the regional form)
    a["I1"] = _funding(shelter, flags, draw)
    ngo_run = shelter.ownership in NGO_RUN
    if ngo_run:
        if "underfunded" in flags:
            a["I2"] = "insufficient"
        elif "public" in flags:
            a["I2"] = draw.pick(("partly", "sufficient"))
        else:
            a["I2"] = draw.pick(("partly", "partly", "sufficient"))
        if "i3_refused" in flags:
            a["I3"] = "refused"
        elif "public" in flags:
            a["I3"] = "granted"
        else:
            a["I3"] = draw.pick(("pending", "not_applied", "not_applied"))
    else:
        a["I2"] = draw.pick(("sufficient", "partly", "partly", "insufficient"))
    if draw.chance(0.6):
        a["I5"] = draw.int(180, 650)

    # J. NRM linkage
    if housed:
        a["J1"] = draw.some(("lsa", "police", "css", "ngo", "hotline", "iom", "self", "border"), 1, 3)
    a["J2"] = housed > 0 or draw.chance(0.5)
    a["J3a"] = draw.int(0, housed)
    a["J3b"] = draw.int(0, a["J3a"])
    a["J4"] = "no" if "j4_no" in flags else "unknown" if "j4_unknown" in flags else "yes"
    a["J5"] = "no" if "j5_no" in flags else "unknown" if "j5_unknown" in flags else "yes"
    a["J6"] = a["J4"] == "yes" and draw.chance(0.7)

    # K. COVID-19 (only when the round has the section)
    if covid_section:
        a.update(_covid(shelter, flags, visit_date, draw))

    # L. problems and proposals
    problems = [r for r in reasons if r not in BENIGN_REFUSALS][:2]
    for extra in draw.some(("funding", "staff", "premises", "coordination"), 1, 2):
        if len(problems) < 3:
            problems.append(extra)
    a["L1"] = problems
    if draw.chance(0.4):
        a["L2"] = draw.pick(_L2_TEXTS)
    if draw.chance(0.4):
        a["L3"] = draw.pick(_L3_TEXTS)
    return a


# ------------------------------------------------------------------------------------------------------------
# Regional form
# ------------------------------------------------------------------------------------------------------------

# R7 scenario per region: "none" (no programme), "zero" (programme without money), "low" (less than half of
# the allocation disbursed), otherwise fine.
_REGIONAL_SCENARIOS = {
    "UA-23": "none", "UA-68": "none",
    "UA-51": "zero", "UA-32": "zero",
    "UA-12": "low", "UA-48": "low", "UA-56": "low",
}


def demo_regional_answers(region_iso: str, rng: random.Random) -> dict:
    """The regional form (I4, I4a_allocated, I4a_disbursed) for a region; I4a_* only when I4 = yes."""
    draw = _Draw(rng)
    scenario = _REGIONAL_SCENARIOS.get(region_iso, "fine")
    if scenario == "none":
        return {"I4": "no"}
    if scenario == "zero":
        return {"I4": "yes", "I4a_allocated": 0, "I4a_disbursed": 0}
    allocated = draw.int(6, 60) * 10_000
    if region_iso in ("UA-30", "UA-46"):
        allocated = draw.int(40, 90) * 10_000
    if scenario == "low":
        disbursed = allocated * draw.int(10, 40) // 100
    else:
        disbursed = allocated * draw.int(60, 100) // 100
    return {"I4": "yes", "I4a_allocated": allocated, "I4a_disbursed": disbursed}


# Historical rounds (2013-2015): the order in which regions adopted a regional counter-trafficking programme
# after the 2012 State Programme (invented for the demo); regions not listed come last, by code.
_PROGRAMME_ADOPTION = ("UA-30", "UA-46", "UA-63", "UA-51", "UA-12", "UA-53", "UA-05", "UA-26", "UA-56", "UA-68",
                       "UA-14", "UA-21", "UA-65", "UA-23", "UA-48", "UA-32", "UA-77")


def demo_historical_regional_answers(region_isos: list[str], with_programme: int,
                                     rng: random.Random) -> dict[str, dict]:
    """Regional forms for a small historical round: the first `with_programme` regions in adoption order have a
    programme (I4 yes) with a modest budget (30-70 thousand UAH allocated, 55-95% of it disbursed), the others
    answer I4 no. Returns ISO -> answers, for every region given."""
    draw = _Draw(rng)
    order = sorted(region_isos, key=lambda iso: (_PROGRAMME_ADOPTION.index(iso) if iso in _PROGRAMME_ADOPTION
                                                 else len(_PROGRAMME_ADOPTION), iso))
    forms: dict[str, dict] = {}
    for rank, iso in enumerate(order):
        if rank >= with_programme:
            forms[iso] = {"I4": "no"}
            continue
        allocated = draw.int(3, 7) * 10_000
        forms[iso] = {"I4": "yes", "I4a_allocated": allocated,
                      "I4a_disbursed": allocated * draw.int(55, 95) // 100}
    return {iso: forms[iso] for iso in sorted(forms)}
