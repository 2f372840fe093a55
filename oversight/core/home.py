"""The home page is made of panels that apps contribute for the roles they concern.

A panel provider is a function `(user) -> Panel | None`, registered from the app's
`navigation.py`. Figures are counted from the data that exists; nothing is invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    label: str
    value: Any
    url: str | None = None
    tone: str = "primary"


@dataclass
class Panel:
    title: str
    order: int = 100
    figures: list[Figure] = field(default_factory=list)
    rows: list[tuple[str, Any, str | None]] = field(default_factory=list)  # (label, value, url)
    chart: dict | None = None  # an ECharts option
    note: str = ""


PROVIDERS: list[Callable[[Any], Panel | None]] = []


def panel(func: Callable[[Any], Panel | None]) -> Callable[[Any], Panel | None]:
    PROVIDERS.append(func)
    return func


def panels_for(user) -> list[Panel]:
    from .navigation import discover

    discover()
    found = [p for p in (provider(user) for provider in PROVIDERS) if p is not None]
    return sorted(found, key=lambda p: p.order)
