from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and the `demo` command. It sits above every app (it loads each app's demo
    records), so no app imports it; it is installed in every mode but loads nothing in production."""

    name = "oversight.demo"
    label = "demo"
    verbose_name = "演示数据"
