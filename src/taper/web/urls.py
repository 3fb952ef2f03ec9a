"""URLs: documented in docs/web.md (the permission test tries each one as every role)."""

from django.urls import include, path

from taper.web.clinic.api.routes import api
from taper.web.ops.readiness import readyz

urlpatterns = [
    path("readyz", readyz, name="readyz"),
    path("api/", api.urls),
    path("", include("taper.web.clinic.urls")),
    path("", include("taper.web.records.urls")),
    path("", include("taper.web.accounts.urls")),
    path("", include("taper.web.carers.urls")),
    path("", include("taper.web.messaging.urls")),
    path("", include("taper.web.staff.urls")),
    path("", include("taper.web.reminders.urls")),
]

# /static/ is WhiteNoise's (settings.MIDDLEWARE), or the proxy's with TAPER_SERVE_STATIC=0.
