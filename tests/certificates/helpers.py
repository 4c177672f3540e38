"""Getting a real certificate: complete a module through the learning services."""

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
