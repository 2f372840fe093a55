"""Loaded with `-p` (pyproject addopts) before Django is configured: tests run in test mode."""

import os

os.environ.setdefault("OVERSIGHT_MODE", "test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made beside it are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
