"""A national recommendation's count of shelters agrees, region by region, with the regions it lists."""
import re

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.responses.helpers import complete_answers


def _submitted(make, monitor, round_, region, institution_type, **changes):
    shelter = make.shelter(region=region, monitors=[monitor], institution_type=institution_type,
                           name=f"{institution_type} of {region}")
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), **changes}
    submit_response(response, monitor)
    db.session.commit()
    return shelter


def test_m2_lists_each_region_with_its_own_shelters_or_the_condition_that_put_it_there(client, make, login_as):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    lviv = _submitted(make, monitor, round_, "UA-46", "cspa", C10="no")               # a finding, and the region
    _submitted(make, monitor, round_, "UA-77", "dv_shelter", C10="no")                # the region condition only
    _submitted(make, monitor, round_, "UA-12", "cspa", C10="yes")                     # neither
    login_as(Role.MINISTRY)
    page = client.get(f"/rounds/{round_.id}/recommendations").get_data(as_text=True)
    section = page.split('id="rec-M2"')[1].split("</section>")[0]
    assert "2 regions behind it · 1 shelter with a finding" in section
    items = re.findall(r"<li>(.*?)</li>", section.split('class="regions-behind"')[1], re.S)
    text = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]
    assert text == [
        "Chernivtsi Oblast : A region where no shelter can admit a group of 5 or more within 24 hours (C10)",
        "Lviv Oblast : 1 shelter with a finding ( cspa of UA-46 ); "
        "A region where no shelter can admit a group of 5 or more within 24 hours (C10)",
    ]
    assert f"/shelters/{lviv.id}#findings-{round_.id}" in section
    assert "Dnipropetrovsk" not in section
