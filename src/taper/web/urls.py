"""URLs: documented in docs/web.md (the permission test tries each one as every role)."""

from django.conf import settings
from django.contrib.staticfiles.views import serve as serve_found
from django.urls import include, path, re_path
from django.views.static import serve

from taper.web.clinic.api.routes import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("taper.web.clinic.urls")),
    path("", include("taper.web.accounts.urls")),
]

if settings.SERVE_STATIC:
    # A handful of small files: from the apps in debug, else collected into the data folder
    # by `taper serve`. A proxy in front can serve data/static instead (TAPER_SERVE_STATIC=0).
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve_found) if settings.DEBUG else
                       re_path(r"^static/(?P<path>.*)$", serve,
                               {"document_root": settings.STATIC_ROOT}))
