"""Absolute links to the platform, for what leaves it: e-mails, calendar feeds,
certificates and their QR codes, the check-in QR code.

One rule: the public address is `WAGTAILADMIN_BASE_URL` (see docs/deployment.md),
never the host of the current request, which a client chooses.
"""

from django.conf import settings


def absolute_url(path=""):
    """`path` (starting with /) on the platform's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
