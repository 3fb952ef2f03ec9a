from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "taper.web.messaging"
    label = "messaging"
    verbose_name = "Secure messages"
    default_auto_field = "django.db.models.BigAutoField"
