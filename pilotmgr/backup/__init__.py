"""Backup and restore of the whole database, files and memos included, in a portable zip."""
