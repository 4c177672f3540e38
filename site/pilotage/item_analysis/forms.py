"""The period of an item analysis (a GET form: nothing changes)."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

# The default period: the last twelve months, as on the public results page.
DEFAULT_DAYS = 365
# Outside these years a date is a typo (and date arithmetic near 9999 would overflow).
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Tentatives validées à partir du"), widget=AdminDateInput)
    end = forms.DateField(label=_("jusqu'au (inclus)"), widget=AdminDateInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            if cleaned.get(name) and not MIN_YEAR <= cleaned[name].year <= MAX_YEAR:
                self.add_error(name, _("Choisissez une date entre 2000 et 2100."))
        if start and end and start > end:
            self.add_error("end", _("La date de fin précède la date de début."))
        return cleaned

    @staticmethod
    def initial_period(today):
        return {"start": today - timedelta(days=DEFAULT_DAYS - 1), "end": today}

    def period(self, today):
        """The chosen period if valid, else the default one (the errors are shown)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        initial = self.initial_period(today)
        return initial["start"], initial["end"]
