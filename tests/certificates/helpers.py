"""Getting a real certificate: complete a module through the learning services."""

import io

from PIL import Image

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
