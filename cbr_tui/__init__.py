"""cbr-tui: the Huawei Cloud Cloud Backup and Recovery console in the terminal, with a real backup engine."""

__version__ = "0.1.0"
