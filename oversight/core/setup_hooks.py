"""Base data each app loads at `oversight setup`: apps register a function in their setup_data.py.

Run in INSTALLED_APPS order, each idempotent: adds what is missing, never overwrites edits.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

HOOKS: list[tuple[str, Callable[[], int]]] = []


def on_setup(label: str):
    def register(func: Callable[[], int]) -> Callable[[], int]:
        HOOKS.append((label, func))
        return func

    return register


def run_all() -> list[tuple[str, int]]:
    autodiscover_modules("setup_data")
    return [(label, func()) for label, func in HOOKS]
