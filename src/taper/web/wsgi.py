"""The WSGI entry point gunicorn serves (`taper serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taper.web.settings")
application = get_wsgi_application()
