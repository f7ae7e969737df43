"""`flask --app shelter_monitor backup create FILE` and `... backup restore FILE`."""
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from shelter_monitor.backup import BackupError, create_backup, restore_backup
from shelter_monitor.backup.service import REFERENCE_TABLES
from shelter_monitor.extensions import db

backup_cli = AppGroup("backup", help="Back up every table into one file, and restore it into an empty database.")


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_backup_command(path: Path) -> None:
    """Write every row of every table, with the schema revision, into FILE (gzip-compressed JSON Lines)."""
    if path.exists():
        raise click.ClickException(f"{path} exists already: choose a new file name")
    started = time.perf_counter()
    try:
        counts = create_backup(db.engine, path)
    except (BackupError, OSError) as error:
        raise click.ClickException(f"no backup written: {error}") from error
    _print_counts(counts)
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables into {path} "
               f"({path.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f} s.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_backup_command(path: Path) -> None:
    """Load FILE into this database, which must be empty and at the backup's schema revision (run `db upgrade`)."""
    started = time.perf_counter()
    try:
        counts = restore_backup(db.engine, path)
    except (BackupError, OSError) as error:
        raise click.ClickException(f"nothing restored: {error}") from error
    _print_counts(counts, note=dict.fromkeys(REFERENCE_TABLES, "(made by the migrations; identical)"))
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {path} "
               f"in {time.perf_counter() - started:.1f} s.")


def _print_counts(counts: dict[str, int], note: dict[str, str] | None = None) -> None:
    width = max(map(len, counts))
    for name, count in counts.items():
        click.echo(f"  {name:<{width}} {count:>8} {(note or {}).get(name, '')}".rstrip())
