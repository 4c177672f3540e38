"""Who may read a quiz's item analysis: Coordination every quiz; an editor the quizzes
of the modules whose publisher counts them as a member (`Publisher.members`).

Anyone else gets a 404, as if the quiz did not exist. The rule is the dashboard's
(`guides.publishers.works_for`, also read by `pilotage.scope`).
"""

from django.http import Http404

from courses.models import ModulePage, QuizPage
from guides.publishers import works_for


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
    return works_for(user, module.publisher_id)
