"""Forms of the certificates admin: list filters, the reason of an action, the ZIP export."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from certificates.models import Certificate, CertificateKind, CertificateStatus

REASON_MAX_LENGTH = 1000  # the services refuse longer (`reason_too_long`)


def module_choices(request=None):
    """Modules in title order, for the list filter and the ZIP export."""
    from courses.models import ModulePage

    return ModulePage.objects.order_by("title").only("id", "title")


class CertificateFilterSet(WagtailFilterSet):
    """Status is derived from several columns: it filters through `with_status`."""

    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=CertificateStatus.choices,
        method="filter_status",
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=CertificateKind.choices,
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
    )
    module = django_filters.ModelChoiceFilter(
        label=_("Module"), queryset=module_choices, empty_label=_("Tous les modules")
    )
    issued_at = django_filters.DateFromToRangeFilter(
        label=_("Émis entre"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


class ReasonForm(forms.Form):
    """The motive of a revocation or a re-issue: required, kept in the audit log."""

    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire. Il est conservé dans l'historique du certificat."),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Indiquez un motif."))
        return reason


class ZipExportForm(forms.Form):
    """Which certificates go into the ZIP: one module, issued between two dates."""

    module = forms.ModelChoiceField(
        label=_("Module"), queryset=module_choices(), empty_label=_("Choisissez un module")
    )
    start = forms.DateField(label=_("Émis à partir du"), widget=AdminDateInput)
    end = forms.DateField(label=_("Émis jusqu'au (inclus)"), widget=AdminDateInput)
    include_withdrawn = forms.BooleanField(
        label=_("Inclure les certificats révoqués ou remplacés"),
        required=False,
        help_text=_("Par défaut, seuls les certificats en vigueur (ou expirés) sont inclus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per form, not at import: modules are added after start-up.
        self.fields["module"].queryset = module_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("La date de fin précède la date de début."))
        return cleaned

    def period(self):
        """(start, end) as dates; end is included."""
        return self.cleaned_data["start"], self.cleaned_data["end"]

    @staticmethod
    def initial_period(today):
        return {"start": today.replace(day=1), "end": today}


def day_bounds(start, end):
    """Aware datetimes covering `start` 00:00 to the end of `end`, local time."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )
