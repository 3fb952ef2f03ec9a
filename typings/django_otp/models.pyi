from typing import Any, TypeVar

from django.conf import settings
from django.db import models

_D = TypeVar("_D", bound=Device)

class DeviceManager(models.Manager[_D]): ...

class Device(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=True)
    @property
    def persistent_id(self) -> str: ...
    def verify_token(self, token: str) -> bool: ...
    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    class Meta:
        abstract = True

class ThrottlingMixin(models.Model):
    throttling_failure_timestamp = models.DateTimeField(null=True, blank=True, default=None)
    throttling_failure_count = models.PositiveIntegerField(default=0)
    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def throttle_reset(self, commit: bool = ...) -> None: ...
    def throttle_increment(self, commit: bool = ...) -> None: ...
    def get_throttle_factor(self) -> int: ...
    class Meta:
        abstract = True
