"""The console in the terminal: Textual screens over `cbr_tui.services` (never the store or the disk)."""
