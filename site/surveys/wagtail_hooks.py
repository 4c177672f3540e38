"""Questionnaires in the Wagtail admin: a « Questionnaires » menu item.

Shown to those holding the questionnaire permissions: Rédacteur·rice and
Coordination (migration 0002). Each publisher keeps its own questionnaires and may
mark one « par défaut »; the platform's defaults have no publisher.
https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Questionnaire


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Questionnaires")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "publisher", "kind", "is_default", "updated_at"]
    list_filter = ["publisher", "kind", "is_default"]
    search_fields = ["title"]
    search_backend_name = None  # not indexed: plain database search
    copy_view_enabled = True


register_snippet(QuestionnaireViewSet)
