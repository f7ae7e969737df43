"""The round's progress table: regions in the reader's collation order, and the regional form's answer in words."""
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.service import regional_form_for, save_regional_form
from shelter_monitor.rounds.service import round_progress


def test_progress_rows_follow_the_ukrainian_collation_of_region_names(make):
    round_ = make.round()
    for iso in ("UA-26", "UA-43", "UA-05", "UA-46"):  # Ivano-Frankivsk, Crimea, Vinnytsia, Lviv
        make.shelter(region=iso)
    ministry = make.user(Role.MINISTRY)
    in_ukrainian = [p.region.iso_code for p in round_progress(round_, ministry, "uk")]
    assert in_ukrainian == ["UA-43", "UA-05", "UA-26", "UA-46"]  # Автономна, Вінницька, Івано-Франківська, Львівська
    in_english = [p.region.iso_code for p in round_progress(round_, ministry, "en")]
    assert in_english == ["UA-43", "UA-26", "UA-46", "UA-05"]  # Autonomous, Ivano-Frankivsk, Lviv, Vinnytsia


def test_the_regional_form_column_says_what_was_answered(client, make, login_as):
    round_ = make.round()
    make.shelter(region="UA-46")
    make.shelter(region="UA-12")
    lviv = make.user(Role.REGIONAL, region="UA-46")
    save_regional_form(regional_form_for(region_by_iso("UA-46"), round_), {"I4": "yes"}, 0, lviv)
    db.session.commit()
    login_as(Role.COORDINATOR)
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "I4, I4a" not in page and "Regional anti-trafficking programme (regional form)" in page
    lviv_row = page[page.index("Lviv Oblast"):]
    lviv_row = lviv_row[:lviv_row.index("</tr>")]
    dnipro_row = page[page.index("Dnipropetrovsk Oblast"):]
    dnipro_row = dnipro_row[:dnipro_row.index("</tr>")]
    assert ">Yes</a>" in lviv_row and ">Not filled in</a>" in dnipro_row
