from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "oversight.bulletins"
    label = "bulletins"
    verbose_name = "定期通报与评估"
