"""Getting a real certificate: complete a module through the learning services; the
fields of a realistic certificate row, for the PDF tests."""

import base64
import io
from datetime import date, datetime

from django.utils import timezone
from PIL import Image

from certificates.models import CertificateKind
from courses.modules import services
from tests.courses.factories import build_module
from tests.courses.learning_helpers import finish_lessons, right_answers


def complete_module(user, **module_kwargs):
    """Finish a fresh module's lessons and pass its quiz: `(module, completion)`.

    Completion sends `module_completed`, which issues the certificate.
    """
    module, lessons, quiz = build_module(**module_kwargs)
    finish_lessons(user, lessons)
    attempt = services.start_attempt(user, quiz)
    services.submit_attempt(user, attempt, right_answers(attempt))
    completion = services.complete_module(user, module)
    return module, completion


def certificate_of(user, module):
    from certificates.models import Certificate

    return Certificate.objects.current().get(holder=user, module=module)


def png_bytes(size=(480, 160), colour=(25, 35, 80, 255), image_format="PNG", **save_options):
    """A real image file: a stroke of `colour` on a transparent (or white) background."""
    mode = "RGBA" if image_format == "PNG" else "RGB"
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else "white")
    image.paste(colour[: len(mode)], (10, size[1] // 2 - 4, size[0] - 10, size[1] // 2 + 4))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def png_data_url(size=(300, 100), colour=(122, 46, 92, 255)):
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    image.paste(colour, (10, 10, size[0] - 10, size[1] - 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def certificate_fields(sequence=1, **overrides):
    fields = {
        "kind": CertificateKind.COMPLETION,
        "number": f"RP-2026-{sequence:06d}",
        "year": 2026,
        "sequence": sequence,
        "code": f"7KQ2MX9D{sequence:04d}",
        "holder_first_name": "Camille",
        "holder_last_name": "Martin",
        "holder_profession": "Conseiller·ère principal·e d'éducation",
        "title": "Repérer et protéger : la prostitution des mineur·e·s",
        "publisher_name": "Amicale du Nid",
        "objectives_summary": "Connaître le cadre légal ; repérer les signaux d'alerte.",
        "planned_minutes": 150,
        "achieved_minutes": 172,
        "started_on": date(2026, 1, 5),
        "completed_on": date(2026, 1, 19),
        "score": 85,
        "issuer_name": "Amicale du Nid",
        "signatory_name": "Dominique Exemple",
        "signatory_role": "Responsable de la formation",
        "signature_data": png_data_url((480, 160), (25, 35, 80, 255)),
        "logo_data": png_data_url(),
        "footer_text": "Organisme de formation, déclaration d'activité n° 00 00 00000 00.",
        "issued_at": timezone.make_aware(datetime(2026, 1, 19, 10, 0)),
    }
    return {**fields, **overrides}
