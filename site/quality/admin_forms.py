"""Forms of the quality admin: list filters and the edit forms of both registers."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm

from guides.models import Publisher
from quality.models import (
    OPEN_ACTION_STATUSES,
    ActionOrigin,
    ActionStatus,
    Complaint,
    ComplaintStatus,
    ImprovementAction,
    SubjectType,
)
from quality.services import allowed_statuses, staff_users

#: Complaints offered when linking an action: the last two years, and those already linked.
LINKABLE_COMPLAINTS_DAYS = 730


class ComplaintFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=ComplaintStatus.choices,
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )
    subject_type = django_filters.ChoiceFilter(
        label=_("Objet"),
        choices=SubjectType.choices,
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )
    publisher = django_filters.ModelChoiceFilter(
        label=_("Éditeur"), queryset=Publisher.objects.order_by("name"), empty_label=_("Tous")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Reçue entre"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Complaint
        fields = []


class ImprovementActionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=ActionStatus.choices,
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origine"),
        choices=ActionOrigin.choices,
        empty_label=_("Toutes"),
        widget=forms.RadioSelect,
    )
    publisher = django_filters.ModelChoiceFilter(
        label=_("Éditeur"), queryset=Publisher.objects.order_by("name"), empty_label=_("Tous")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Actions en retard"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = ImprovementAction
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name().strip() or obj.email


class ComplaintAdminForm(WagtailAdminModelForm):
    """Status (only the moves allowed from the current one), assignee, draft answer.

    Saved by `quality.services.update_complaint` (ComplaintEditView), never directly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        self.fields["status"].choices = [
            (status, ComplaintStatus(status).label) for status in allowed_statuses(current)
        ]
        self.fields["assignee"] = StaffChoiceField(
            label=_("Suivie par"),
            queryset=staff_users(),
            required=False,
        )
        self.fields["answer"].help_text = _(
            "« Enregistrer » garde la réponse sans l'envoyer ; « Envoyer la réponse » "
            "l'envoie par e-mail et passe la réclamation en « traitée »."
        )


class ComplaintChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} — {obj.subject_label}"


class ImprovementActionAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.now() - datetime.timedelta(days=LINKABLE_COMPLAINTS_DAYS)
        linked = self.instance.complaints.all() if self.instance.pk else Complaint.objects.none()
        self.fields["complaints"] = ComplaintChoiceField(
            label=_("Réclamations liées"),
            queryset=(Complaint.objects.filter(created_at__gte=since) | linked)
            .distinct()
            .select_related("module", "session", "guide")
            .order_by("-created_at"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Les réclamations des deux dernières années."),
        )
        self.fields["owner"] = StaffChoiceField(
            label=_("Responsable"), queryset=staff_users(), required=False
        )

    def save(self, commit=True):
        action = super().save(commit=False)
        # When it was done is part of the evidence: set once, kept until reopened.
        if action.status == ActionStatus.DONE and action.done_at is None:
            action.done_at = timezone.now()
        elif action.status in OPEN_ACTION_STATUSES:
            action.done_at = None
        if commit:
            action.save()
            self.save_m2m()
        return action
