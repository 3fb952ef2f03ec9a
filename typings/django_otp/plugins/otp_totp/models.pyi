from django.db import models

from django_otp.models import Device, ThrottlingMixin

class TOTPDevice(ThrottlingMixin, Device):
    key = models.CharField(max_length=80)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)
    @property
    def config_url(self) -> str: ...
