from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "taper.web.staff"
    label = "staff"
    verbose_name = "Managing accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from taper.web.staff import signals  # noqa: F401  (connects the login notice)
