pytest_plugins = ["oversight.core.testing.fixtures"]
