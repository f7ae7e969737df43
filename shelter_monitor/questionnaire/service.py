"""The questionnaire versions offered to admins, and each as an XLSForm for collecting offline."""
from sqlalchemy import select

from shelter_monitor.collation import collated
from shelter_monitor.extensions import db
from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.xlsform import LANGUAGE_NAMES, ShelterChoice, build_xlsform, form_id
from shelter_monitor.regions.models import Region
from shelter_monitor.shelters.models import Shelter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shelter_choices() -> list[ShelterChoice]:
    """Every shelter, by region and name, labelled "Name (region)" in Ukrainian, as the field knows them."""
    rows = db.session.execute(select(Shelter.id, Shelter.name, Region.name_uk).join(Region).order_by(Shelter.id))
    return [ShelterChoice(shelter_id, f"{name} ({region})")
            for shelter_id, name, region in collated(rows, key=lambda row: f"{row.name_uk}\t{row.name}")]


def xlsform_file(version: str) -> tuple[bytes, str]:
    """The XLSForm of a questionnaire version with today's shelters, and its file name (DefinitionError when the
    version does not exist)."""
    definition = load_definition(version)
    content = build_xlsform(definition, shelter_choices(), {lang: catalog(lang) for lang in LANGUAGE_NAMES})
    return content, f"{form_id(definition)}.xlsx"
