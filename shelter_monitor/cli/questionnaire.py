from pathlib import Path

import click
from flask.cli import AppGroup

from shelter_monitor.cli.language import lang_option, messages_language
from shelter_monitor.extensions import db
from shelter_monitor.i18n import N_, Message, catalog
from shelter_monitor.questionnaire.changes import KIND_WORDING
from shelter_monitor.questionnaire.loader import DEFAULT_VERSION, DefinitionError
from shelter_monitor.questionnaire.service import xlsform_file
from shelter_monitor.questionnaire.versions import VersionError, XLSFormImport, read_xlsform, store_version
from shelter_monitor.questionnaire.xlsform_import import settings_version

questionnaire_cli = AppGroup("questionnaire", help="Questionnaire versions.")


@questionnaire_cli.command("export-xlsform")
@click.option("--version", "version", default=DEFAULT_VERSION, show_default=True, help="The questionnaire version.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="FILE.xlsx")
def export_xlsform_command(version: str, output: str) -> None:
    """Write a version as an XLSForm for ODK Collect and KoboCollect (its first question: today's shelters)."""
    try:
        content, _name = xlsform_file(version)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from error
    Path(output).write_bytes(content)
    click.echo(f"Wrote {output} (questionnaire {version}).")


def _echo_import(result: XLSFormImport, language: str) -> None:
    translations = catalog(language)
    for change in result.changes:
        kind = translations.gettext(KIND_WORDING[change.kind])
        choice = f" {translations.gettext(N_('Choice'))} {change.choice}" if change.choice else ""
        click.echo(f"  {kind:<20} {change.question}{choice}")
    for gap in result.rule_gaps:
        gap_text = Message(N_("rule %(rule)s reads what this version lacks: %(missing)s"), rule=gap.rule,
                           missing=", ".join(gap.missing))
        click.echo(f"  {gap_text.render(translations, language)}")


@questionnaire_cli.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--version", "version", required=True, help="The code of the new version, e.g. 2021.1.")
@click.option("--derived-from", "derived_from", help="The version it was edited from (default: the settings sheet's "
                                                     "version, else the default version).")
@click.option("--yes", is_flag=True, help="Store it without asking.")
@lang_option
def import_xlsform_command(file: str, version: str, derived_from: str | None, yes: bool, lang: str | None) -> None:
    """Check an XLSForm with pyxform, read it as a new questionnaire version, show what it changes and the rules
    that would read what it lacks, and store it when confirmed."""
    content = Path(file).read_bytes()
    derived_from = derived_from or settings_version(content) or DEFAULT_VERSION
    result = read_xlsform(content, version, derived_from)
    language = messages_language(lang)
    if result.problems:
        for problem in result.problems:
            click.echo(problem.render(catalog(language), language), err=True)
        raise click.ClickException(f"{file} was not imported: {len(result.problems)} problem(s).")
    click.echo(f"Version {version}, derived from {derived_from}: {len(result.changes)} change(s).")
    _echo_import(result, language)
    if not yes and not click.confirm("Store this version?"):
        raise click.ClickException("Not stored.")
    try:
        store_version(result.definition, derived_from, None)
    except VersionError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Stored questionnaire version {version}.")
