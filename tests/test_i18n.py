"""Every user-facing string is in the catalogs and translated into Ukrainian; the language switch is remembered."""
import re
import subprocess
import sys

from babel.messages.pofile import read_po

from shelter_monitor.auth.models import Role
from shelter_monitor.web import ROOT

TRANSLATIONS = ROOT / "shelter_monitor" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle)


def _msgids(catalog):
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


def test_catalogs_hold_every_string_of_the_code_and_templates(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-k", "N_", "-o", str(template), str(ROOT)],
                   check=True, capture_output=True, cwd=ROOT)
    with open(template, encoding="utf-8") as handle:
        in_source = _msgids(read_po(handle))
    for language in ("uk", "en"):
        missing = in_source - _msgids(_catalog(language))
        assert not missing, f"{language}: run `make messages` and translate: {sorted(missing)[:10]}"


def test_every_message_has_a_ukrainian_translation_with_the_same_placeholders():
    problems = []
    for message in _catalog("uk"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(strings) or "fuzzy" in message.flags:
            problems.append(("untranslated", ids[0]))
        wanted = set(PLACEHOLDER.findall(ids[-1])) - {"num"}
        if any(set(PLACEHOLDER.findall(s)) - {"num"} != wanted for s in strings if s):
            problems.append(("placeholders", ids[0]))
    assert problems == []


def test_language_switch_is_remembered(client, login_as):
    login_as(Role.ADMIN)
    assert "Shelters" in client.get("/shelters").get_data(as_text=True)
    client.post("/language/uk", data={"next": "/shelters"})
    page = client.get("/shelters").get_data(as_text=True)
    assert 'lang="uk"' in page and "Притулки" in page
    client.post("/language/en")
    assert 'lang="en"' in client.get("/rounds").get_data(as_text=True)


def test_questionnaire_labels_follow_the_language(client, login_as, make):
    from shelter_monitor.extensions import db
    from shelter_monitor.responses.service import start_response

    monitor = login_as(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    response = start_response(shelter, make.round(), monitor)
    db.session.commit()
    assert "Total places (beds)" in client.get(f"/responses/{response.id}/sections/C").get_data(as_text=True)
    client.post("/language/uk")
    assert "Загальна кількість ліжко-місць" in client.get(f"/responses/{response.id}/sections/C").get_data(
        as_text=True)
