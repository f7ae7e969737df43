"""`flask --app shelter_monitor tokens create ...`: a personal access token for the API, printed once."""
import click
from flask.cli import AppGroup

from shelter_monitor.api.tokens import DEFAULT_DAYS, MAX_DAYS, TokenError, create_token
from shelter_monitor.auth.service import find_user
from shelter_monitor.extensions import db

tokens_cli = AppGroup("tokens", help="Personal access tokens for the API.")


@tokens_cli.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default="", help="What the token is for.")
@click.option("--write", is_flag=True, help="Read-write (default: read-only).")
@click.option("--days", type=click.IntRange(1, MAX_DAYS), default=DEFAULT_DAYS, show_default=True,
              help=f"Days until it expires (at most {MAX_DAYS}).")
def create_token_command(email: str, name: str, write: bool, days: int) -> None:
    """Create a token for the user and print it (it is not stored: copy it now)."""
    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active user with the email {email}")
    try:
        _, secret = create_token(user, name, write, days)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(secret)
