"""Demo certificate templates, and one module completed by the demo professional.

Templates are example content: the signatory is fictitious and the footer says so.
The signature image is drawn here (a plain stroke), so no file is shipped or fetched.
"""

import io
import logging
import math
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from certificates.models import CertificateTemplate
from courses.models import ModuleCompletion, ModulePage
from courses.modules import services

from .progress import DEMO_LEARNER

logger = logging.getLogger(__name__)

DEMO_COMPLETED_MODULE_SLUG = "le-cadre-legal"
FOOTER = (
    "Document d'exemple produit par la plateforme de démonstration Repères. "
    "Plan départemental de lutte contre la prostitution des mineur·e·s."
)


def _signature_png():
    """A pen-like stroke on a transparent background, as PNG bytes."""
    image = PILImage.new("RGBA", (480, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (30 + x * 4, 90 + 28 * math.sin(x / 6) * math.exp(-x / 110) - x * 0.12) for x in range(105)
    ]
    draw.line(points, fill=(25, 35, 80, 255), width=4, joint="curve")
    draw.line([(60, 128), (420, 118)], fill=(25, 35, 80, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_certificate_templates(publishers):
    """One template per publisher (created once; editors' changes are kept).

    The signature goes to the private storage like any signatory's
    (certificates/signatory.py), never to the public image library.
    """
    created = 0
    for publisher in publishers.values():
        template, was_created = CertificateTemplate.objects.get_or_create(
            publisher=publisher,
            defaults={
                "issuer_name": publisher.name,
                "signatory_name": "Dominique Exemple",
                "signatory_role": "Responsable de la formation (exemple)",
                "footer_text": FOOTER,
            },
        )
        if was_created:
            template.signature_file.save("signature.png", ContentFile(_signature_png()), save=False)
            template.save(update_fields=["signature_file"])
        created += was_created
    return created


def ensure_demo_completion():
    """The demo professional completes « Le cadre légal »: an attestation is issued.

    Goes through the learning services, so the certificate comes from the real
    `module_completed` hook. Idempotent: nothing happens once the module is completed.
    """
    learner = get_user_model().objects.filter(email=DEMO_LEARNER).first()
    module = ModulePage.objects.live().filter(slug=DEMO_COMPLETED_MODULE_SLUG).first()
    if learner is None or module is None:
        return False
    if ModuleCompletion.objects.filter(user=learner, module=module).exists():
        return False
    start = timezone.now() - timedelta(days=5)
    for step, lesson in enumerate(services.module_lessons(module)):
        visited = start + timedelta(minutes=20 * step)
        services.record_lesson_visit(learner, lesson, now=visited)
        services.complete_lesson(learner, lesson, now=visited + timedelta(minutes=18))
    attempt = services.start_attempt(learner, services.module_quiz(module))
    right = {
        question["id"]: [choice["id"] for choice in question["choices"] if choice["correct"]]
        for question in attempt.questions
    }
    services.submit_attempt(learner, attempt, right)
    services.complete_module(learner, module)
    logger.info("demo completion created for %s", DEMO_LEARNER)
    return True
