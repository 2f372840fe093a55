from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "oversight.portal"
    label = "portal"
    verbose_name = "公开"
