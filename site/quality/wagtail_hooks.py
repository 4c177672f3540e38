"""The « Qualité » menu of the Wagtail admin, for Coordination.

- « Réclamations » (indicator 31): list, filters, search, export; the edit view sets
  the status, the person who follows it and the answer, sent by e-mail;
- « Actions d'amélioration » (indicator 32): the register, its « en retard » filter,
  export.

Shown to users holding the models' permissions: Coordination (granted by migration
0002) and superusers. Publishers' editors do not see complaints about their content
here: the membership of a publisher (`Publisher.members`) lands with issue 14's
« reach » branch; until then Coordination passes complaints on.
https://docs.wagtail.org/en/stable/extending/generic_views.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from quality import admin_views
from quality.admin_forms import ComplaintAdminForm, ImprovementActionAdminForm
from quality.models import Complaint, ImprovementAction

COMPLAINT_EXPORT = [
    ("reference", _("Référence")),
    ("created_at", _("Reçue le")),
    ("name", _("Nom")),
    ("email", _("Adresse e-mail")),
    ("get_subject_type_display", _("Objet")),
    ("subject_label", _("Élément concerné")),
    ("publisher", _("Éditeur")),
    ("message", _("Message")),
    ("get_status_display", _("Statut")),
    ("assignee", _("Suivie par")),
    ("answer_sent", _("Réponse envoyée")),
    ("answered_at", _("Répondue le")),
    ("closed_at", _("Close le")),
]

ACTION_EXPORT = [
    ("title", _("Intitulé")),
    ("get_origin_display", _("Origine")),
    ("complaint_references", _("Réclamations liées")),
    ("publisher", _("Éditeur")),
    ("owner", _("Responsable")),
    ("due_date", _("Échéance")),
    ("get_status_display", _("Statut")),
    ("description", _("Description")),
    ("result", _("Résultat")),
    ("created_at", _("Créée le")),
    ("done_at", _("Réalisée le")),
]


class ComplaintViewSet(ModelViewSet):
    model = Complaint
    icon = "mail"
    menu_label = _("Réclamations")
    url_prefix = "qualite/reclamations"
    name = "complaints"
    copy_view_enabled = False
    index_view_class = admin_views.ComplaintIndexView
    edit_view_class = admin_views.ComplaintEditView
    search_fields = ["reference", "name", "email", "message"]
    search_backend_name = None  # not indexed: plain database search
    list_export = [field for field, _heading in COMPLAINT_EXPORT]
    export_headings = dict(COMPLAINT_EXPORT)
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    add_to_reference_index = False

    def get_edit_handler(self):
        return ObjectList(
            [
                admin_views.ComplaintSummaryPanel(heading=_("Réclamation")),
                MultiFieldPanel(
                    [FieldPanel("status"), FieldPanel("assignee"), FieldPanel("answer")],
                    heading=_("Suivi"),
                ),
            ],
            base_form_class=ComplaintAdminForm,
        ).bind_to_model(self.model)

    def get_common_view_kwargs(self, **kwargs):
        # No add, copy or delete views: their names must not be reversed.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "delete_url_name": None,
        }

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", None) not in ("add", "delete", "copy")
        ]


class ImprovementActionViewSet(ModelViewSet):
    model = ImprovementAction
    icon = "tasks"
    menu_label = _("Actions d'amélioration")
    url_prefix = "qualite/actions"
    name = "improvement_actions"
    copy_view_enabled = False
    index_view_class = admin_views.ImprovementActionIndexView
    search_fields = ["title", "description", "result"]
    search_backend_name = None
    list_export = [field for field, _heading in ACTION_EXPORT]
    export_headings = dict(ACTION_EXPORT)
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    add_to_reference_index = False

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("title"),
                FieldPanel("origin"),
                FieldPanel("complaints"),
                FieldPanel("description"),
                FieldPanel("publisher"),
                FieldPanel("owner"),
                FieldPanel("due_date"),
                FieldPanel("status"),
                FieldPanel("result"),
            ],
            base_form_class=ImprovementActionAdminForm,
        ).bind_to_model(self.model)


class QualityMenu(ModelViewSetGroup):
    menu_label = _("Qualité")
    menu_icon = "clipboard-list"
    menu_order = 270
    items = (ComplaintViewSet, ImprovementActionViewSet)


@hooks.register("register_admin_viewset")
def register_quality_admin():
    return QualityMenu()
