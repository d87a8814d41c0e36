"""`python -m cbr_tui` runs the same entry point as the `cbr-tui` script (the SSH and web servers rely on it)."""

from cbr_tui.cli import main

if __name__ == "__main__":
    main()
