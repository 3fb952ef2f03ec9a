"""The WSGI entry point gunicorn serves (`taper serve`)."""

import os

from django.core.wsgi import get_wsgi_application

from taper.web.ops.warm import FrozenWhenWarm, freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taper.web.settings")
application = FrozenWhenWarm(get_wsgi_application())
# Django and the apps, loaded: out of the collector's full passes already (`taper serve` loads
# this module before forking its workers, so they share these pages too); each worker
# freezes again once warm (taper.web.ops.warm).
freeze()
