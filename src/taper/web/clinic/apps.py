from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "taper.web.clinic"
    label = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"
