"""URLs: documented in docs/web.md (the permission test tries each one as every role)."""

from django.urls import include, path

urlpatterns = [
    path("", include("taper.web.clinic.urls")),
]
