"""Every text goes through the gettext catalogs: plural forms in both languages, and the wording of the plain
modules (indicators, export columns) shown in the reader's or the file's language."""
import flask_babel
import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.dashboards.indicators import INDICATORS
from shelter_monitor.exports.columns import FIXED_COLUMNS
from shelter_monitor.i18n import catalog, ngettext


@pytest.mark.parametrize(("language", "expected"), [
    ("uk", ["1 область", "2 області", "5 областей", "21 область"]),
    ("en", ["1 region", "2 regions", "5 regions", "21 regions"]),
])
def test_counted_regions_take_each_languages_plural_forms(language, expected):
    assert [ngettext("%(num)d region", "%(num)d regions", n, catalog(language)) for n in (1, 2, 5, 21)] == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("uk", ["1 притулок", "2 притулки", "5 притулків", "21 притулок"]),
    ("en", ["1 shelter", "2 shelters", "5 shelters", "21 shelters"]),
])
def test_counted_shelters_take_each_languages_plural_forms(language, expected):
    assert [ngettext("%(num)d shelter", "%(num)d shelters", n, catalog(language)) for n in (1, 2, 5, 21)] == expected


def test_the_web_layers_ngettext_uses_the_same_catalogs(app):
    def approved(language: str) -> list[str]:
        with app.test_request_context(), flask_babel.force_locale(language):
            return [flask_babel.ngettext("%(num)d response approved.", "%(num)d responses approved.", n)
                    for n in (1, 2, 5, 21)]

    assert approved("en")[:2] == ["1 response approved.", "2 responses approved."]
    assert approved("uk") == ["Затверджено 1 анкету.", "Затверджено 2 анкети.", "Затверджено 5 анкет.",
                              "Затверджено 21 анкету."]


def test_indicator_labels_and_export_columns_read_in_both_languages():
    occupancy = next(spec for spec in INDICATORS if spec.key == "occupancy")
    shelter_id = next(column for column in FIXED_COLUMNS if column.key == "shelter_id")
    assert catalog("en").gettext(occupancy.label) == "Occupancy"
    assert catalog("uk").gettext(occupancy.label) == "Заповнюваність"
    assert shelter_id.header_label("en", catalog("en")) == "Shelter ID"
    assert shelter_id.header_label("uk", catalog("uk")) == "ID закладу"


def test_the_dashboard_names_its_indicators_in_the_readers_language(client, login_as, make):
    round_ = make.round()
    login_as(Role.MINISTRY)
    english = client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert ">Occupancy<" in english and ">Free places<" in english
    client.post("/language/uk")
    ukrainian = client.get(f"/rounds/{round_.id}/dashboard").get_data(as_text=True)
    assert ">Заповнюваність<" in ukrainian and ">Вільні місця<" in ukrainian and ">Occupancy<" not in ukrainian
