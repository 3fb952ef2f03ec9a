from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "taper.web.clinic"
    label = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from taper.web.clinic.audit import signals  # noqa: F401  (connects the login signals)
