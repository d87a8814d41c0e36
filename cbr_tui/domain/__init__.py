"""The CBR domain: enums, rules with the console's exact limits, error codes, names, pricing and the clock.

Pure Python: nothing here imports another layer of cbr_tui, the database or Textual.
"""
