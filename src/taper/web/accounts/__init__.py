"""Identity and sessions: normalised addresses, client addresses behind proxies, throttles
shared by every worker, the second factor (django-otp), password change and reset, and
logoff after inactivity. See docs/security.md "Identity and sessions".
"""
