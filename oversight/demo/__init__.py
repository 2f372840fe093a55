"""Demo data for `make demo` and its command (see loader.py)."""
