"""The demo professional's progress: one module half done, through the learning services.

Runs only when the demo accounts exist (DEBUG or --force). Idempotent: a learner
already enrolled in the module is left as is.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Enrolment, ModulePage
from courses.modules import positioning, services

logger = logging.getLogger(__name__)

DEMO_LEARNER = "professionnelle@reperes.example"
DEMO_MODULE_SLUG = "prostitution-des-mineures-comprendre-reperer-agir"


def ensure_demo_progress():
    """Give the demo professional one module half done; True when progress was created."""
    learner = get_user_model().objects.filter(email=DEMO_LEARNER).first()
    module = ModulePage.objects.live().filter(slug=DEMO_MODULE_SLUG).first()
    if learner is None or module is None:
        return False
    if Enrolment.objects.filter(user=learner, module=module).exists():
        return False
    lessons = services.module_lessons(module)
    # Readings spaced by a quarter of an hour, so that time spent is plausible.
    start = timezone.now() - timedelta(days=2)
    # Her self-positioning before the first lesson (indicator 11): 2 or 3 out of 4.
    statements = positioning.statements(module)
    if statements:
        values = {key: 2 + index % 2 for index, (key, _text) in enumerate(statements)}
        positioning.submit_positioning(
            learner, module, positioning.BEFORE, values, now=start - timedelta(minutes=5)
        )
    for step, lesson in enumerate(lessons[: len(lessons) // 2]):
        visited = start + timedelta(minutes=15 * step)
        services.record_lesson_visit(learner, lesson, now=visited)
        services.complete_lesson(learner, lesson, now=visited + timedelta(minutes=12))
    logger.info("demo progress created for %s", DEMO_LEARNER)
    return True
