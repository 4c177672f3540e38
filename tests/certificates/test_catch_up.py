"""The catch-up command: missing certificates issued, pending PDFs rendered."""

from io import StringIO

import pytest
from django.core.management import call_command

from certificates.models import Certificate

from .helpers import complete_module

pytestmark = pytest.mark.django_db


def test_catch_up_issues_missing_and_renders_pending(professional):
    module, _ = complete_module(professional)  # PDF not rendered: no commit here
    other, _other = complete_module(professional)
    Certificate.objects.filter(module=other).delete()
    assert not Certificate.objects.get(module=module).pdf

    out = StringIO()
    call_command("certificates_catch_up", stdout=out)

    assert "1 attestation délivrée, 2 PDF remis" in out.getvalue()
    assert Certificate.objects.count() == 2
    assert all(certificate.pdf for certificate in Certificate.objects.all())

    out = StringIO()
    call_command("certificates_catch_up", stdout=out)
    assert "0 attestation délivrée, 0 PDF" in out.getvalue()
    assert Certificate.objects.count() == 2
