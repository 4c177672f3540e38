"""Verification and holder views (being written)."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


verify_form = verify = my_certificates = download = status = _missing
