"""Forms of the trainer area (`/formateur/`).

They only check the shape of the input; the rules (seats, overlapping slots, who may
manage a session) live in the services, whose `SessionError` messages the views show.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.formsets import TOTAL_FORM_COUNT
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Audience
from accounts.names import NameFormField
from courses.models import ModulePage, TrainingSession
from courses.models.sessions import AttendanceStatus
from courses.models.surveys import SURVEY_KINDS
from courses.sessions.errors import MESSAGES
from courses.sessions.signatures import TYPED_NAME_MAX_LENGTH
from guides.models import Publisher

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
#: A session's half-days, at most (a week of training is 10).
MAX_SLOTS = 40
SLOTS_PREFIX = "slots"


class DraftMixin:
    """A form shown back as typed, without being judged.

    « Ajouter une demi-journée » (without JavaScript) posts the whole form only to
    get one more row: what was typed comes back, but the person has not asked to
    save, so half-filled fields must not be reported as errors. A draft form is bound
    (its widgets render the posted values) and never validated.
    """

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft

    def full_clean(self):
        if not self.draft:
            return super().full_clean()
        self._errors = ErrorDict()
        self.cleaned_data = {}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class SessionForm(DraftMixin, forms.ModelForm):
    """A session's fields. Capacity and slots are applied by the view through services."""

    meeting_url = forms.URLField(
        label=_("Lien de la visioconférence"),
        required=False,
        assume_scheme="https",
        help_text=_("Montré aux seules personnes inscrites."),
    )

    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "module",
            "description",
            "organiser",
            "is_remote",
            "venue_name",
            "address",
            "commune",
            "meeting_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audiences",
            "trainers",
            "survey_hot",
            "survey_cold",
            "survey_cold_delay_days",
        ]
        widgets = {
            "registration_opens_at": DateTimeLocalInput(),
            "registration_closes_at": DateTimeLocalInput(),
            "audiences": forms.CheckboxSelectMultiple,
            "trainers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, coordination=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = ModulePage.objects.live().order_by("title")
        self.fields["module"].required = False
        self.fields["organiser"].queryset = Publisher.objects.order_by("name")
        self.fields["audiences"].queryset = Audience.objects.all()
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        # Satisfaction questionnaires (site/surveys/): empty means the organiser's default.
        # Each list offers the questionnaires for its use; the model's `clean` refuses
        # another organiser's (courses/models/surveys.py).
        for name, kind in SURVEY_KINDS.items():
            field = self.fields[name]
            field.queryset = field.queryset.filter(kind__in=("", kind)).order_by("title")
        self.fields["survey_cold_delay_days"].required = False
        if coordination:
            self.fields["trainers"].queryset = (
                get_user_model()
                .objects.filter(groups__name=roles.FORMATEUR, is_active=True)
                .order_by("last_name", "first_name")
                .distinct()
            )
            self.fields["trainers"].label_from_instance = _trainer_label
        else:
            # Only Coordination assigns trainers; a trainer's own sessions stay theirs.
            del self.fields["trainers"]

    def clean_survey_cold_delay_days(self):
        """Left empty (or not posted by an older form): the default delay."""
        delay = self.cleaned_data.get("survey_cold_delay_days")
        return (
            delay
            if delay is not None
            else TrainingSession._meta.get_field("survey_cold_delay_days").default
        )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("La clôture des inscriptions doit suivre leur ouverture."),
            )
        if data.get("is_remote"):
            if not data.get("meeting_url"):
                self.add_error("meeting_url", _("Indiquez le lien de la visioconférence."))
        elif not data.get("commune"):
            self.add_error("commune", _("Indiquez la commune (ou cochez « à distance »)."))
        return data

    def validate_constraints(self, exclude=None):
        """The window's order is checked in `clean` with a clearer message."""


def _trainer_label(user):
    return f"{user.get_full_name() or user.email} ({user.email})"


class SlotForm(DraftMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # <input type="date"> takes ISO dates only, never the localised 29/12/2026.
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", MESSAGES["slot_end_before_start"])
        return data


class BaseSlotFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Une session compte au plus %(num)d demi-journées."),
        "missing_management_form": _(
            "Le formulaire des demi-journées est incomplet : rechargez la page et recommencez."
        ),
    }

    def __init__(self, *args, draft=False, **kwargs):
        # A draft formset checks only its own shape (the row count); its rows are drafts.
        if draft:
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "draft": True}
        super().__init__(*args, **kwargs)

    def slots_data(self):
        """The filled slots (not deleted), as `set_slots` takes them."""
        slots = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and data.get("DELETE")):
                continue
            slots.append(
                {
                    "id": data.get("id"),
                    "date": data["date"],
                    "start_time": data["start_time"],
                    "end_time": data["end_time"],
                }
            )
        return slots


def slot_formset(extra):
    # `absolute_max` caps the rows built from a tampered TOTAL_FORMS (Django's default
    # would build a thousand more); `validate_max` refuses more than MAX_SLOTS filled.
    return forms.formset_factory(
        SlotForm,
        formset=BaseSlotFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_SLOTS,
        absolute_max=MAX_SLOTS,
        validate_max=True,
    )


def with_another_slot(data, prefix=SLOTS_PREFIX):
    """The posted data with one more (empty) row, or `None` when no row can be added.

    `None` when the form already has MAX_SLOTS rows, or when its row count is not a
    number (tampered): the formset then reports it.
    """
    key = f"{prefix}-{TOTAL_FORM_COUNT}"
    try:
        total = int(data.get(key, ""))
    except ValueError:
        return None
    if not 0 <= total < MAX_SLOTS:
        return None
    data = data.copy()
    data[key] = str(total + 1)
    return data


class AddParticipantForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class TrainerSignatureForm(forms.Form):
    """The canvas's PNG (`static/js/signature-pad.js`) or the typed name: one is enough."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    typed_name = NameFormField(
        label=_("Votre nom"),
        max_length=TYPED_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Sans tracé dans le cadre, votre nom saisi tient lieu de signature."),
    )
    certified = forms.BooleanField(
        label=_("Je certifie l'exactitude des présences de cette demi-journée"),
        required=True,
    )


ATTENDANCE_CHOICES = [
    (AttendanceStatus.PRESENT, _("Présent·e")),
    (AttendanceStatus.LATE, _("En retard")),
    (AttendanceStatus.EXCUSED, _("Excusé·e")),
    (AttendanceStatus.ABSENT, _("Absent·e")),
]
