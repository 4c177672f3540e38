"""Questionnaires in the Wagtail admin: a « Questionnaires » menu item.

Shown to those holding the questionnaire permissions: Rédacteur·rice and
Coordination (migration 0002). Each publisher keeps its own questionnaires and may
mark one « par défaut »; the platform's defaults have no publisher. An editor sees
and edits their publishers' questionnaires only, and reads (or copies) the
platform's: `admin_scope.py`.
https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_scope
from .models import Questionnaire

# Before the viewset is registered: Wagtail refuses a policy once it made its own.
register_permission_policy(Questionnaire, admin_scope.QuestionnairePermissionPolicy(Questionnaire))


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Questionnaires")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "publisher", "kind", "is_default", "updated_at"]
    filterset_class = admin_scope.QuestionnaireFilterSet
    search_fields = ["title"]
    search_backend_name = None  # not indexed: plain database search
    copy_view_enabled = True
    # The platform's questionnaires open here, read-only, for the editors.
    inspect_view_enabled = True
    chooser_viewset_class = admin_scope.QuestionnaireChooserViewSet
    edit_handler = ObjectList(
        Questionnaire.panels, base_form_class=admin_scope.QuestionnaireAdminForm
    )

    index_view_class = admin_scope.IndexView
    edit_view_class = admin_scope.EditView
    delete_view_class = admin_scope.DeleteView
    copy_view_class = admin_scope.CopyView
    inspect_view_class = admin_scope.InspectView
    usage_view_class = admin_scope.UsageView
    history_view_class = admin_scope.HistoryView

    def get_queryset(self, request):
        # The publisher column: one join, not one query per row.
        return admin_scope.visible_questionnaires(request.user).select_related("publisher")


register_snippet(QuestionnaireViewSet)
