from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "taper.web.ops"
    label = "ops"
    verbose_name = "Operations"
