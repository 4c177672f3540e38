"""The dashboard's filters: a GET form whose every value is checked against what the
person may see.

Two kinds of bad value, two answers (issue 14, « Bad input »):

- a value that means nothing (an unknown sector, `module=abc`, a date like
  `2026-13-45`, a start after the end): the filter is ignored, the page says which
  one, and the figures are those without it. Never a 500.
- a well-formed id of a publisher, module or session the person may not see (another
  publisher's module, or an id that does not exist): 404, as for any object that is
  not theirs. Both cases answer the same, so the dashboard tells nobody whether
  another publisher's module exists.
"""

import datetime
import html
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import ModulePage, TrainingSession

from .dimensions import NOT_GIVEN, OUTSIDE, available_dimensions

THIS_MONTH = "mois"
LAST_12_MONTHS = "12-mois"
THIS_YEAR = "annee"
LAST_YEAR = "annee-precedente"
PRESETS = [
    (LAST_12_MONTHS, _("Les 12 derniers mois")),
    (THIS_MONTH, _("Ce mois-ci")),
    (THIS_YEAR, _("Cette année")),
    (LAST_YEAR, _("L'année dernière")),
]
#: Filters whose value is an object id, checked against the person's scope (404).
SCOPED_FIELDS = ("publisher", "module", "session")


def today_in_paris():
    return timezone.localdate(timezone=timezone.get_default_timezone())


def preset_period(preset, today):
    """(first day, last day) of a preset, both included."""
    if preset == THIS_MONTH:
        return today.replace(day=1), today
    if preset == THIS_YEAR:
        return today.replace(month=1, day=1), today
    if preset == LAST_YEAR:
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    # The last 12 months: this month and the 11 before it, whole.
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1), today


@dataclass(frozen=True)
class Filters:
    """What the figures are restricted to. `publishers` is a queryset (a subquery)."""

    start: datetime.date
    end: datetime.date
    publishers: object
    module: object = None
    session: object = None
    people: tuple = ()  # ((user field, value), …) from the dimension filters
    #: Every publisher (Coordination, no publisher filter): platform-wide items count too.
    all_publishers: bool = False

    @property
    def since(self):
        """The period's first instant (Paris midnight), for datetime columns."""
        return paris_midnight(self.start)

    @property
    def until(self):
        """The instant after the period (excluded)."""
        return paris_midnight(self.end + datetime.timedelta(days=1))

    def people_condition(self, prefix=""):
        """Q on the user model (through `prefix`, e.g. "user__") for sector, profession…"""
        condition = Q()
        for field, value in self.people:
            if value == NOT_GIVEN:
                condition &= Q(**{f"{prefix}{field}": ""})
            elif value == OUTSIDE:
                condition &= Q(**{f"{prefix}{field}": ""}) & ~Q(
                    **{f"{prefix}workplace_departement": ""}
                )
            else:
                condition &= Q(**{f"{prefix}{field}": value})
        return condition


def paris_midnight(day):
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FastSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template,
    and a few years of sessions make hundreds of them on every dashboard view."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(item) for item in self.format_value(value)}
        # The standard library's `html.escape`, which Django's `escape` wraps, without
        # the wrapping: it is called twice per option, four thousand times a view.
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                escaped(option_value),
                " selected" if str(option_value) in selected else "",
                escaped(label),
            )
            for option_value, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308 (escaped above)


def escaped(value):
    """`conditional_escape`, as `format_html` would apply it, at the speed of `html.escape`."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Période"),
        required=False,
        choices=[("", _("Dates choisies")), *PRESETS],
        widget=FastSelect,
    )
    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    publisher = forms.ModelChoiceField(
        label=_("Éditeur"), required=False, queryset=None, empty_label=_("Tous"), widget=FastSelect
    )
    module = forms.ModelChoiceField(
        label=_("Module"), required=False, queryset=None, empty_label=_("Tous"), widget=FastSelect
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=None,
        empty_label=_("Toutes"),
        widget=FastSelect,
    )

    def __init__(self, *args, publishers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = publishers.order_by("name")
        self.fields["module"].queryset = (
            ModulePage.objects.filter(publisher__in=publishers).order_by("title").only("title")
        )
        self.fields["session"].iterator = SessionChoices
        self.fields["session"].queryset = (
            TrainingSession.objects.filter(organiser__in=publishers)
            .order_by("-starts_at", "pk")
            .only("title", "starts_at")
        )
        self.fields["session"].label_from_instance = session_label
        for dimension in available_dimensions():
            extra = [(OUTSIDE, _("Hors département"))] if dimension.key == "commune" else []
            self.fields[dimension.key] = forms.ChoiceField(
                label=dimension.label,
                required=False,
                widget=FastSelect,
                choices=[
                    ("", _("Tous")),
                    *dimension.choices,
                    *extra,
                    (NOT_GIVEN, _("Non renseigné")),
                ],
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", gettext("La date de fin précède la date de début."))
        return cleaned


def session_label(session):
    return title_and_day(session.title, session.starts_at)


def title_and_day(title, starts_at):
    if starts_at:
        day = timezone.localtime(starts_at).date()
        return f"{title} ({day:%d/%m/%Y})"
    return title


class SessionChoices(forms.models.ModelChoiceIterator):
    """The session filter's options from rows, not model instances: a few years of
    sessions are thousands of options on every view, and building a model instance
    for each cost more than the rest of a cached dashboard (`make bench-scale`).
    Checking the chosen value still goes through the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, title, starts_at in self.queryset.values_list("pk", "title", "starts_at"):
            yield (pk, title_and_day(title, starts_at))


@dataclass
class FilterResult:
    filters: Filters
    form: DashboardFilterForm
    notices: list
    query: dict  # the filters that applied, for the export links


def read_filters(data, user_publishers, *, coordination=False, today=None):
    """Filters from a GET QueryDict: 404 for an object out of scope, notices otherwise."""
    today = today or today_in_paris()
    data = data.copy()
    form = DashboardFilterForm(data, publishers=user_publishers)
    form.is_valid()
    notices = []
    for name in list(form.errors):
        if name in SCOPED_FIELDS and str(data.get(name, "")).strip().isdigit():
            raise Http404  # another publisher's object, or none at all: the same answer
        field = form.fields.get(name)
        label = field.label if field else name
        notices.append(
            gettext("Le filtre « %(filter)s » a été ignoré : valeur inconnue.") % {"filter": label}
        )
        data.pop(name, None)
        if name == "end":
            data.pop("start", None)
    # Re-bound without the bad values, so the form shows what applied.
    form = DashboardFilterForm(data, publishers=user_publishers)
    form.is_valid()
    cleaned = form.cleaned_data
    start, end = period_of(cleaned, today)
    # The form shows the dates that applied (a preset's, or the default 12 months).
    shown = data.copy()
    shown["start"], shown["end"] = start.isoformat(), end.isoformat()
    form = DashboardFilterForm(shown, publishers=user_publishers)
    form.is_valid()
    publishers = user_publishers
    all_publishers = coordination
    if cleaned.get("publisher"):
        all_publishers = False
        publishers = user_publishers.filter(pk=cleaned["publisher"].pk)
    people = tuple(
        (dimension.field, cleaned[dimension.key])
        for dimension in available_dimensions()
        if cleaned.get(dimension.key)
    )
    filters = Filters(
        start=start,
        end=end,
        publishers=publishers,
        module=cleaned.get("module"),
        session=cleaned.get("session"),
        people=people,
        all_publishers=all_publishers,
    )
    query = {key: value for key, value in data.items() if key in form.fields and value}
    return FilterResult(filters=filters, form=form, notices=notices, query=query)


def period_of(cleaned, today):
    start, end = cleaned.get("start"), cleaned.get("end")
    if cleaned.get("period") or not (start or end):
        return preset_period(cleaned.get("period") or LAST_12_MONTHS, today)
    return start or datetime.date(end.year, 1, 1), end or today
