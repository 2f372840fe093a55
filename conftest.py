pytest_plugins = ["oversight.core.testing.fixtures", "oversight.core.testing.audit_guard"]


def pytest_configure(config):
    # Wrap the services before any test module imports them (see audit_guard).
    import django

    django.setup()
    from oversight.core.testing import audit_guard

    audit_guard.install()
