"""The public complaint form (/reclamation/).

Explicit fields. A logged-in person has no name or e-mail field: the service files
under the account's own (nothing in the request can change them). The module,
session and guide lists hold what the public can see (live pages, sessions not
cancelled), chosen by id: an id outside them, typed or tampered with, is a form
error. `website` is a honeypot: hidden from people, filled by robots.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import ModulePage, TrainingSession
from courses.models.sessions import SessionStatus
from guides.models import GuidePage
from quality.models import MESSAGE_MAX_LENGTH, SubjectType

NAME_MAX_LENGTH = 150

#: Which list a subject's item is chosen from.
TARGET_FIELDS = {
    SubjectType.MODULE: "module",
    SubjectType.SESSION: "session",
    SubjectType.GUIDE: "guide",
}


def public_modules():
    return ModulePage.objects.live().public().order_by("title").only("id", "title")


def public_sessions():
    return (
        TrainingSession.objects.filter(status__in=(SessionStatus.PLANNED, SessionStatus.FINISHED))
        .order_by("-starts_at", "pk")
        .only("id", "title", "starts_at")
    )


def public_guides():
    return GuidePage.objects.live().public().order_by("title").only("id", "title")


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.starts_at is None:
            return obj.title
        from django.utils import formats, timezone

        return f"{obj.title} ({formats.date_format(timezone.localtime(obj.starts_at), 'j F Y')})"


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour vous envoyer l'accusé de réception et la réponse."),
    )
    subject_type = forms.ChoiceField(
        label=_("Votre message concerne"),
        choices=[("", _("Choisissez…")), *SubjectType.choices],
    )
    module = forms.ModelChoiceField(
        label=_("Module concerné"),
        queryset=ModulePage.objects.none(),
        required=False,
        empty_label=_("Aucun"),
        help_text=_("Si votre message concerne un module en ligne."),
    )
    session = SessionChoiceField(
        label=_("Session concernée"),
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        help_text=_("Si votre message concerne une session en présentiel."),
    )
    guide = forms.ModelChoiceField(
        label=_("Guide concerné"),
        queryset=GuidePage.objects.none(),
        required=False,
        empty_label=_("Aucun"),
        help_text=_("Si votre message concerne un guide."),
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("5000 caractères au plus."),
    )
    # The honeypot: people never see it (hidden wrapper, out of the tab order).
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            # Filed under the account's name and address (quality.services).
            del self.fields["name"]
            del self.fields["email"]
        # Evaluated per form: pages are published after start-up.
        self.fields["module"].queryset = public_modules()
        self.fields["session"].queryset = public_sessions()
        self.fields["guide"].queryset = public_guides()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Écrivez votre message."))
        return message

    def clean(self):
        cleaned = super().clean()
        subject_type = cleaned.get("subject_type")
        wanted = TARGET_FIELDS.get(subject_type)
        for field in TARGET_FIELDS.values():
            if field != wanted:
                # Only the item of the chosen subject is kept.
                cleaned[field] = None
        if wanted and not cleaned.get(wanted) and wanted not in self.errors:
            self.add_error(wanted, _("Choisissez l'élément concerné dans la liste."))
        return cleaned

    @property
    def is_spam(self):
        """The honeypot was filled: a robot (checked after `is_valid`)."""
        return bool(self.cleaned_data.get("website"))

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "subject_type": data["subject_type"],
            "message": data["message"],
            "module": data["module"],
            "session": data["session"],
            "guide": data["guide"],
        }
