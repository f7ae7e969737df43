from pathlib import Path

import click
from flask.cli import AppGroup

from shelter_monitor.questionnaire.loader import DEFAULT_VERSION, DefinitionError
from shelter_monitor.questionnaire.service import xlsform_file

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
