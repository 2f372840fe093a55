#!/usr/bin/env python
"""Django's manage.py; the `oversight` console command does the same with nicer names."""

import sys

from oversight.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
