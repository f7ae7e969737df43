"""Backup and restore of the whole database in an engine-independent file (docs/backup-format.md)."""
from shelter_monitor.backup.codec import FORMAT_NAME, FORMAT_VERSION, BackupError
from shelter_monitor.backup.service import create_backup, restore_backup

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "BackupError", "create_backup", "restore_backup"]
