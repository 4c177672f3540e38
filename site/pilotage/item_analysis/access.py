"""Who may read a quiz's item analysis: Coordination every quiz; an editor the quizzes
of the modules whose publisher counts them as a member (`Publisher.members`).

Anyone else gets a 404, as if the quiz did not exist. Same rule as
`pilotage.scope.visible_publishers` (owner D): reuse it once both branches meet.
"""

from django.http import Http404

from accounts import roles
from courses.models import ModulePage, QuizPage


def get_quiz_for(user, quiz_id):
    """(quiz, module) if `user` may analyse this quiz; else Http404."""
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    module = (
        ModulePage.objects.filter(path=quiz.path[: -quiz.steplen])
        .select_related("publisher")
        .first()
    )
    if module is None or not can_analyse(user, module):
        raise Http404
    return quiz, module


def can_analyse(user, module):
    """Coordination; or an editor (Rédacteur·rice) member of the module's publisher."""
    if roles.is_coordination(user):
        return True
    if module.publisher_id is None:
        return False
    is_editor = any(group.name == roles.REDACTEUR for group in user.groups.all())
    return is_editor and user.publishers.filter(pk=module.publisher_id).exists()
