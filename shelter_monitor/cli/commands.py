"""`flask --app shelter_monitor users ...` and `... demo load`."""
import json
import secrets
import sys
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import (
    LinkPurpose,
    UserError,
    all_users,
    create_user,
    find_user,
    issue_password_link,
    set_active,
)
from shelter_monitor.cli.language import lang_option, messages_language, renderer
from shelter_monitor.demo.service import DEMO_LOGINS_FILE, DemoAlreadyLoaded, load_demo
from shelter_monitor.downloads.imports import import_file, record_import
from shelter_monitor.downloads.service import FORMATS, build_file, gather_export, layout_for, record_export
from shelter_monitor.downloads.submissions import import_submissions
from shelter_monitor.exports.submissions import SOURCES
from shelter_monitor.exports.tables import HEADERS, VALUES
from shelter_monitor.extensions import db
from shelter_monitor.programmes.plan import ProgrammeFileError
from shelter_monitor.programmes.service import load_programme
from shelter_monitor.questionnaire.answers import round_context
from shelter_monitor.questionnaire.loader import DEFAULT_VERSION, load_definition
from shelter_monitor.recommendations.service import rules_for
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.rules.cli_io import InputError, read_cli_input
from shelter_monitor.rules.engine import evaluate_round, to_cli_output
from shelter_monitor.shelters.models import Shelter

users_cli = AppGroup("users", help="Create, list and deactivate user accounts.")
rules_cli = AppGroup("rules", help="The recommendation rules.")
import_cli = AppGroup("import", help="Bring in data collected elsewhere.")
results_cli = AppGroup("results", help="Findings, recommendations and indicators stored per round.")
demo_cli = AppGroup("demo", help="Demo data for trying the platform.")
programme_cli = AppGroup("programme", help="State and regional programmes: targets and funding plans.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--region", "region_iso", help="ISO 3166-2 code of the region (regional users), e.g. UA-46.")
@click.option("--shelter", "shelter_id", type=int, help="Id of the shelter (shelter staff).")
@click.password_option(help="At least 12 characters, not a common password; asked for when not given.")
def create_user_command(email: str, name: str, role: str, region_iso: str | None, shelter_id: int | None,
                        password: str) -> None:
    """Create a user account."""
    region = region_by_iso(region_iso) if region_iso else None
    if region_iso and region is None:
        raise click.BadParameter(f"no region with the code {region_iso}", param_hint="--region")
    shelter = db.session.get(Shelter, shelter_id) if shelter_id else None
    if shelter_id and shelter is None:
        raise click.BadParameter(f"no shelter with the id {shelter_id}", param_hint="--shelter")
    try:
        user = create_user(email, name, password, role, region, shelter=shelter)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("password-link")
@click.option("--email", required=True)
@click.option("--base-url", envvar="PUBLIC_URL", default="http://127.0.0.1:5000", show_default=True,
              help="Where users open the platform (environment variable PUBLIC_URL).")
def password_link_command(email: str, base_url: str) -> None:
    """Print a one-time link (valid 48 hours) with which the user sets a new password."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    token = issue_password_link(user, None, LinkPurpose.RESET)
    db.session.commit()
    with current_app.test_request_context(base_url=base_url):
        click.echo(url_for("auth.set_password", token=token, _external=True))


@users_cli.command("list")
def list_users_command() -> None:
    """List user accounts."""
    for user in db.session.scalars(all_users()):
        region = user.region.iso_code if user.region else ""
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.role}\t{region}\t{state}\t{user.name}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Deactivate a user account (it can no longer log in)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    set_active(user, False)
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load demo shelters, users, rounds and responses into an empty database; print the demo logins."""
    logins_file = Path(current_app.instance_path) / DEMO_LOGINS_FILE
    try:
        logins = load_demo(password=secrets.token_urlsafe(9))
    except DemoAlreadyLoaded:
        click.echo("The database already has data: nothing loaded, nothing changed.")
        if logins_file.exists():
            click.echo(logins_file.read_text(encoding="utf-8"))
        return
    db.session.commit()
    text = "Demo logins (this database only):\n" + "".join(
        f"  {role:<12} {email:<34} {password}\n" for email, role, password in logins)
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text(text, encoding="utf-8")
    logins_file.chmod(0o600)
    click.echo("Demo data loaded.")
    click.echo(text)



@rules_cli.command("evaluate")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--version", "version", default=DEFAULT_VERSION, show_default=True, help="Questionnaire version.")
@click.option("--covid-section/--no-covid-section", default=True, show_default=True,
              help="Whether the round asks the COVID-19 section (K); without it, K's answers are dropped.")
def evaluate_rules_command(path: str, version: str, covid_section: bool) -> None:
    """Evaluate a JSON file of answers and print the findings and recommendations as JSON. Answers that skip
    logic hides (C8b when C8 is "no") are dropped first, as the web form and the import drop them."""
    try:
        with click.open_file(path, encoding="utf-8") as handle:
            text = handle.read()
        responses, regional = read_cli_input(text, load_definition(version),
                                             round_context(covid_section, None, None))
    except (OSError, InputError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    evaluation = evaluate_round(rules_for(version), responses, regional,
                                medium_needed=current_app.config["RULES_MEDIUM_FINDINGS_NEEDED"])
    click.echo(json.dumps(to_cli_output(evaluation), ensure_ascii=False, indent=2, sort_keys=True))



def _round_by_code(code: str) -> Round:
    round_ = db.session.scalar(select(Round).where(Round.code == code))
    if round_ is None:
        raise click.BadParameter(f"no round with the code {code}", param_hint="--round")
    return round_


@click.command("export")
@click.argument("kind", type=click.Choice(list(FORMATS)))
@click.option("--round", "round_code", required=True, help="The round's code, e.g. 2020-10.")
@click.option("--region", "region_iso", help="ISO code of one region (default: national).")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--multi", type=click.Choice(["split", "joined"]), default="split", show_default=True,
              help="Multiple-choice answers: a column (a 0/1 variable in sav and dta) per choice, or one joined "
                   "cell (a text variable).")
@click.option("--values", type=click.Choice(VALUES), default="codes", show_default=True,
              help="Answers as choice codes or as labels in --lang (xlsx, csv; sav and dta always store the "
                   "codes with their labels, and a joined multiple choice as its labels).")
@click.option("--header", type=click.Choice(HEADERS), default="codes", show_default=True,
              help="Header row of the responses: column codes, labels, or both (two rows) (xlsx, csv).")
@click.option("--all-rounds", is_flag=True,
              help="Responses, findings, recommendations and regional forms of every round, each with its round "
                   "(data files).")
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]),
              help="CSV separator (default: ';' with --lang uk, ',' with --lang en).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(kind: str, round_code: str, region_iso: str | None, lang: str, multi: str, values: str,
                   header: str, all_rounds: bool, delimiter: str | None, output: str) -> None:
    """Write a round's deck, PDF report, XLSX, CSV, SPSS (sav) or Stata (dta) file."""
    round_ = _round_by_code(round_code)
    region = region_by_iso(region_iso) if region_iso else None
    if region_iso and region is None:
        raise click.BadParameter(f"no region with the code {region_iso}", param_hint="--region")
    layout = layout_for(kind, {"values": values, "header": header, "all_rounds": all_rounds,
                               "delimiter": "\t" if delimiter == "tab" else delimiter})
    data = gather_export(round_, region, lang, all_rounds=layout["all_rounds"])
    Path(output).write_bytes(build_file(kind, data, multi, layout))
    record_export(None, round_, region, kind, lang, multi, "cli", layout)
    db.session.commit()
    click.echo(f"Wrote {output} ({len(data.responses)} responses).")


def _echo_row_errors(errors, language: str) -> None:
    """Each row error on stderr, its message in `language`."""
    say = renderer(language)
    for error in errors:
        click.echo(f"row {error.row_number}, {error.column or '-'}: {say(error.message)}", err=True)


@import_cli.command("responses")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--round", "round_code", required=True, help="The round's code, e.g. 2020-10.")
@click.option("--valid-rows", is_flag=True, help="Import the valid rows even when other rows have errors.")
@lang_option
def import_responses_command(path: str, round_code: str, valid_rows: bool, lang: str | None) -> None:
    """Import responses from an XLSX or CSV in the export's layout; errors are listed by row and column."""
    round_ = _round_by_code(round_code)
    language = messages_language(lang)
    with open(path, "rb") as handle, force_locale(language):
        report = import_file(handle, Path(path).name, round_, None, import_valid_rows=valid_rows)
    _echo_row_errors(report.errors, language)
    if not report.imported:
        db.session.rollback()
    record_import(None, round_, Path(path).name, report, None, valid_rows)
    db.session.commit()
    if report.imported:
        click.echo(f"Imported {report.imported} responses.")
    else:
        click.echo("Nothing imported.", err=True)
        sys.exit(2 if report.errors else 0)


@import_cli.command("submissions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--round", "round_code", required=True, help="The round's code, e.g. 2020-10.")
@click.option("--format", "source", required=True, type=click.Choice(SOURCES),
              help="ODK Central's CSV export, or KoboToolbox's XLSX or CSV export with XML values and headers.")
@click.option("--valid-rows", is_flag=True, help="Import the valid rows even when other rows have errors.")
@lang_option
def import_submissions_command(path: str, round_code: str, source: str, valid_rows: bool, lang: str | None) -> None:
    """Import the submissions of the XLSForm (questionnaire export-xlsform) collected with ODK or Kobo, as
    submitted responses; errors are listed by row and column. Importing a file again changes nothing."""
    round_ = _round_by_code(round_code)
    language = messages_language(lang)
    with open(path, "rb") as handle, force_locale(language):
        report = import_submissions(handle, Path(path).name, round_, None, source, import_valid_rows=valid_rows)
    _echo_row_errors(report.errors, language)
    if not report.imported:
        db.session.rollback()
    record_import(None, round_, Path(path).name, report, None, valid_rows)
    db.session.commit()
    click.echo(f"Imported {report.imported} submissions ({report.already_imported} imported before, "
               f"{report.rejected} rejected on the server and left out).")
    if report.errors and not report.imported:
        sys.exit(2)


@results_cli.command("refresh")
def refresh_results_command() -> None:
    """Recompute every round's stored results (after an upgrade that adds a kind of stored result)."""
    rounds = db.session.scalars(select(Round).order_by(Round.period_start)).all()
    for round_ in rounds:
        refresh_results(round_)
    db.session.commit()
    click.echo(f"Refreshed {len(rounds)} rounds.")


@programme_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def load_programme_command(path: str) -> None:
    """Load a programme file (docs/programme-format.md), or reload it: the plan is replaced, entered values kept.

    A file with any error is refused whole: each problem is printed with its line, and exit status is 2.
    """
    try:
        row, created = load_programme(Path(path).read_text(encoding="utf-8"), Path(path).name)
    except (ProgrammeFileError, UnicodeDecodeError) as error:
        db.session.rollback()
        click.echo(f"{path}: not loaded, nothing changed.", err=True)
        for line in str(error).splitlines():
            click.echo(f"{path}: {line}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"{'Loaded' if created else 'Reloaded'} programme {row.code} ({row.first_year}-{row.last_year}).")
