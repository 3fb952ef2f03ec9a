from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "taper.web.carers"
    label = "carers"
    verbose_name = "Carers"
    default_auto_field = "django.db.models.BigAutoField"
