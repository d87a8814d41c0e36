"""Every console operation, one module per console area: validate with the domain's rules, write in one
transaction, return API-shaped data. `open_console` in `console.py` is the door front ends use."""
