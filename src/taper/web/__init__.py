"""The web application (Django): clinicians, patients, plans and daily check-ins.

Imported only by `taper serve`, `taper adduser` and the WSGI server, so that `taper plan`
never pays for Django. See docs/web.md.
"""
