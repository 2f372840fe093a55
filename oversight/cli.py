"""The `oversight` console command: Django management with the platform's command names.

`oversight run-scheduler` and `oversight run_scheduler` are the same command; every Django command
(`migrate`, `createsuperuser`, `shell`, …) works as well.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "oversight"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
