"""Forms of the trainer area (`/formateur/`).

They only check the shape of the input; the rules (seats, overlapping slots, who may
manage a session) live in the services, whose `SessionError` messages the views show.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Audience
from guides.models import Publisher

from .models import ModulePage, TrainingSession
from .models.sessions import AttendanceStatus
from .session_errors import MESSAGES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class SessionForm(forms.ModelForm):
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


class SlotForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
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
    return forms.formset_factory(
        SlotForm, formset=BaseSlotFormSet, extra=extra, can_delete=True, max_num=40
    )


class AddParticipantForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class TrainerSignatureForm(forms.Form):
    """The canvas's PNG (`static/js/signature-pad.js`) or the typed name: one is enough."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    typed_name = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
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
