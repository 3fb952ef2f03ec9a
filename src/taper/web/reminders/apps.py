from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "taper.web.reminders"
    label = "reminders"
    verbose_name = "Reminders and offline use"
    default_auto_field = "django.db.models.BigAutoField"
