"""Admin integration of the item analysis: an « Analyse des réponses » button in the
header of a quiz page's edit view. (Its URLs are included by the pilotage admin URLs.)

Wagtail loads only `<app>/wagtail_hooks.py`: `pilotage/wagtail_hooks.py` imports
this module, which registers the hook below.
https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-header-buttons
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from courses.models import ModulePage, QuizPage

from .access import can_analyse


@hooks.register("register_page_header_buttons")
def item_analysis_button(page, user, view_name, next_url=None):
    # specific_class reads the content type: no query for the pages that are not quizzes.
    if page.specific_class is not QuizPage:
        return
    module = ModulePage.objects.filter(path=page.path[: -page.steplen]).only("publisher_id").first()
    if module is None or not can_analyse(user, module):
        return
    yield Button(
        _("Analyse des réponses"),
        url=reverse("pilotage:item_analysis:quiz", args=[page.pk]),
        icon_name="list-ul",
        priority=80,
    )
