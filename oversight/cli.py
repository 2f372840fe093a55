"""The `oversight` console command: Django management with the platform's command names.

`oversight run-scheduler` and `oversight run_scheduler` are the same command; every Django command
(`migrate`, `createsuperuser`, `shell`, …) works as well.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if (
        len(argv) > 1
        and argv[1] in {"parse-notice", "parse_notice"}
        and not os.environ.get("SECRET_KEY")
        and not os.environ.get("OVERSIGHT_MODE")
    ):
        # A pure command: reading a notice needs no database, secret or platform mode.
        from oversight.notices.parsing.command import main as parse_main

        return parse_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "oversight"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
