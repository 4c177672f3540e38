"""Wagtail admin views of the two registers, for Coordination.

Complaints are never added or deleted here (they come from /reclamation/ and are
evidence): the list, with its filters, search and export, and the edit view, whose
two buttons go through `quality.services` — « Enregistrer » (`update_complaint`:
assignee, draft answer, status) and « Envoyer la réponse » (`answer_complaint`).
Improvement actions use Wagtail's generic views (add, edit, delete: Wagtail logs
each one in the audit log).
Wagtail's generic views: https://docs.wagtail.org/en/stable/extending/generic_views.html
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import EditView, IndexView

from quality import services
from quality.admin_forms import ComplaintFilterSet, ImprovementActionFilterSet
from quality.errors import ComplaintError
from quality.models import ComplaintStatus

SEND_ANSWER = "send-answer"


class ComplaintSummaryPanel(Panel):
    """What the person sent, as they sent it (read only, escaped), and what was answered."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quality/admin/complaint_summary.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["complaint"] = self.instance
            return context


class ComplaintIndexView(IndexView):
    filterset_class = ComplaintFilterSet
    export_stem = "reclamations"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("publisher", "assignee", "module", "session", "guide")
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("reference"),
            Column("created_at", label=gettext_lazy("Reçue le"), sort_key="created_at"),
            Column("subject_label", label=gettext_lazy("Objet")),
            Column("publisher", label=gettext_lazy("Éditeur")),
            Column("assignee_name", label=gettext_lazy("Suivie par"), accessor=assignee_name),
            StatusTagColumn(
                "get_status_display",
                label=gettext_lazy("Statut"),
                sort_key="status",
                primary=lambda complaint: complaint.status != ComplaintStatus.CLOSE,
            ),
        ]


def assignee_name(complaint):
    user = complaint.assignee
    return (user.get_full_name().strip() or user.email) if user else "—"


class ComplaintEditView(EditView):
    """« Enregistrer » and « Envoyer la réponse », both through the services."""

    template_name = "quality/admin/complaint_edit.html"

    def save_instance(self):
        data = self.form.cleaned_data
        by = self.request.user
        complaint = services.update_complaint(
            self.object,
            by=by,
            status=data["status"],
            assignee=data.get("assignee"),
            answer=data.get("answer", ""),
        )
        if SEND_ANSWER in self.request.POST:
            self.answer = services.answer_complaint(complaint, data.get("answer", ""), by=by)
            complaint = self.answer.complaint
        return complaint

    def form_valid(self, form):
        self.answer = None
        try:
            return super().form_valid(form)
        except ComplaintError as error:
            # Raised inside the view's transaction (Wagtail's `form_valid`): nothing
            # was saved, neither the status nor the draft.
            form.add_error(None, error.message)
            self.object.refresh_from_db()
            return self.form_invalid(form)

    def get_success_message(self):
        if self.answer is None:
            return _("Réclamation %(reference)s enregistrée.") % {
                "reference": self.object.reference
            }
        if self.answer.sent:
            return _("Réponse envoyée par e-mail ; la réclamation %(reference)s est traitée.") % {
                "reference": self.object.reference
            }
        return _("Cette réponse a déjà été envoyée : aucun nouvel e-mail n'est parti.")

    def get_success_url(self):
        return self.get_edit_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["send_answer_name"] = SEND_ANSWER
        context["can_answer"] = self.object.status != ComplaintStatus.CLOSE
        return context


class ImprovementActionIndexView(IndexView):
    filterset_class = ImprovementActionFilterSet
    export_stem = "actions-amelioration"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("publisher", "owner")
            .prefetch_related("complaints")
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("title"),
            Column("get_origin_display", label=gettext_lazy("Origine"), sort_key="origin"),
            Column("publisher", label=gettext_lazy("Éditeur")),
            Column("owner_name", label=gettext_lazy("Responsable"), accessor=owner_name),
            Column("due_date", label=gettext_lazy("Échéance"), sort_key="due_date"),
            StatusTagColumn(
                "status_label",
                label=gettext_lazy("Statut"),
                sort_key="status",
                accessor=status_label,
                primary=lambda action: not action.is_overdue,
            ),
        ]


def owner_name(action):
    user = action.owner
    return (user.get_full_name().strip() or user.email) if user else "—"


def status_label(action):
    label = action.get_status_display()
    if action.is_overdue:
        return _("%(status)s, en retard") % {"status": label}
    return label
